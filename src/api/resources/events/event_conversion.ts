/**
 * events.k8s.io/v1 Events are stored as core/v1 Events (one `events` resource, as in
 * Kubernetes). The two shapes differ only in names:
 *   note ↔ message, regarding ↔ involvedObject, reportingController ↔ reportingComponent,
 *   deprecatedSource ↔ source, deprecatedFirstTimestamp ↔ firstTimestamp,
 *   deprecatedLastTimestamp ↔ lastTimestamp, deprecatedCount ↔ count;
 * eventTime, series, action, reason, related, reportingInstance and type are the same.
 */
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventV1 } from 'kubernetes-types/events/v1.js';
import { deepCopy, type KubeObject } from '../../object.js';

export type CoreEventObject = CoreEvent & KubeObject;
export type EventV1Object = EventV1 & KubeObject;

/** [events.k8s.io/v1 name, core/v1 name] of the renamed fields. */
const RENAMED: readonly (readonly [string, string])[] = [
  ['note', 'message'],
  ['regarding', 'involvedObject'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SAME = ['eventTime', 'series', 'action', 'reason', 'related', 'reportingInstance', 'type'];

function convert(from: KubeObject, apiVersion: string, renames: readonly (readonly [string, string])[]): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: deepCopy(from.metadata) };
  for (const [src, dst] of renames) if (from[src] !== undefined) out[dst] = deepCopy(from[src]);
  for (const f of SAME) if (from[f] !== undefined) out[f] = deepCopy(from[f]);
  return out;
}

/** events.k8s.io/v1 → core/v1, the stored form. */
export function eventV1ToCore(event: EventV1Object): CoreEventObject {
  return convert(event, 'v1', RENAMED) as CoreEventObject;
}

/** core/v1 → events.k8s.io/v1. */
export function coreToEventV1(event: KubeObject): EventV1Object {
  return convert(event, 'events.k8s.io/v1', RENAMED.map(([a, b]) => [b, a] as const)) as EventV1Object;
}
