/**
 * Waiting for informers' first lists, as client-go's WaitForCacheSync: controllers start their
 * workers only on whole caches, and stop waiting when they are stopped.
 */

/** Resolves once every `synced` promise has, or as soon as `signal` aborts. */
export async function waitForCacheSync(signal: AbortSignal, synced: Promise<void>[]): Promise<void> {
  if (signal.aborted) return;
  const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await Promise.race([Promise.all(synced), aborted]);
}
