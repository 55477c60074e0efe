/** Timestamps as Kubernetes writes them: RFC 3339 in UTC with whole seconds (`metav1.Time`). */

/** `2026-11-22T02:53:19Z` for a time in milliseconds. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2026-11-22T02:53:19.123456Z`: `metav1.MicroTime`, used by leases and events.k8s.io. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
