/**
 * events.k8s.io/v1 Event: the structured event API, served from the core/v1 `events` storage
 * through event_conversion.ts. Validation is the core Event's plus the stricter rules of the
 * new API (ValidateEventCreate / ValidateEventUpdate for events.k8s.io), worded with the core
 * field names as Kubernetes does; the table is the core Event table.
 */
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType, TableColumn } from '../../registry.js';
import { invalidValue, required, validateImmutableField } from '../../validation/field.js';
import { events as coreEvents, validateEvent } from '../core/event.js';
import { coreToEventV1, eventV1ToCore, type CoreEventObject, type EventV1Object } from './event_conversion.js';

const root = (name: string): FieldPath => FieldPath.root(name);

/** The new API's requirements on a (converted) event: set eventTime and type, no legacy fields. */
function validateStrict(e: CoreEventObject): FieldError[] {
  const errs: FieldError[] = [];
  if (e.series) {
    if ((e.series.count ?? 0) < 2) errs.push(invalidValue('series.count', '', 'should be at least 2'));
    if (!e.series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  }
  if (!e.eventTime) errs.push(required(root('eventTime')));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalidValue(root('type'), '', `has invalid value: ${e.type ?? ''}`));
  if (e.firstTimestamp) errs.push(invalidValue(root('firstTimestamp'), '', 'needs to be unset'));
  if (e.lastTimestamp) errs.push(invalidValue(root('lastTimestamp'), '', 'needs to be unset'));
  if (e.count) errs.push(invalidValue(root('count'), '', 'needs to be unset'));
  if (e.source?.component || e.source?.host) errs.push(invalidValue(root('source'), '', 'needs to be unset'));
  return errs;
}

/** The core checks, with the reporting controller named as this API names it. */
export function validateEventV1(event: EventV1Object): FieldError[] {
  const core = eventV1ToCore(event);
  const legacy = validateEvent(core).map((err) => (err.field === 'reportingComponent' ? { ...err, field: 'reportingController' } : err));
  return [...legacy, ...validateStrict(core)];
}

const IMMUTABLE = [
  'involvedObject',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'type',
  'eventTime',
  'action',
  'related',
  'reportingComponent',
  'reportingInstance',
] as const;

/** ValidateEventUpdate (events.k8s.io): all but the series and metadata stay as they were. */
export function validateEventV1Update(event: EventV1Object, old: EventV1Object): FieldError[] {
  const next = eventV1ToCore(event);
  const prev = eventV1ToCore(old);
  return IMMUTABLE.flatMap((f) =>
    validateImmutableField(next[f], prev[f], f === 'reportingComponent' ? root('reportingController') : root(f)),
  );
}

/** The core Event columns, computed on the core shape (printEvent). */
const columns: readonly TableColumn<EventV1Object>[] = (coreEvents.table ?? []).map((c) => ({
  ...c,
  cell: (e: EventV1Object, now: number) => c.cell(eventV1ToCore(e), now),
}));

export const eventsV1: ResourceType<EventV1Object> = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  storageResource: 'events',
  conversion: {
    // The stored version is core/v1 ("v1" of the core group).
    storageVersion: 'v1',
    toStorage: (e: EventV1Object): KubeObject => eventV1ToCore(e),
    fromStorage: coreToEventV1,
  },
  strategy: { validate: validateEventV1, validateUpdate: validateEventV1Update },
  table: columns,
  fieldSelectors: {
    'regarding.kind': (e) => e.regarding?.kind,
    'regarding.namespace': (e) => e.regarding?.namespace,
    'regarding.name': (e) => e.regarding?.name,
    'regarding.uid': (e) => e.regarding?.uid,
    'regarding.apiVersion': (e) => e.regarding?.apiVersion,
    'regarding.resourceVersion': (e) => e.regarding?.resourceVersion,
    'regarding.fieldPath': (e) => e.regarding?.fieldPath,
    reason: (e) => e.reason,
    reportingController: (e) => e.reportingController,
    type: (e) => e.type,
  },
};
