/**
 * core/v1 Event: a report of something that happened to an object. The table is printEvent's,
 * which, unlike every other kind, does not start with the name: LAST SEEN, TYPE, REASON,
 * OBJECT, MESSAGE, with SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME for `-o wide`. The
 * declaration therefore lists its own Name column (format "name"); a table printer must not
 * add another when a kind declares one.
 */
import type { Event } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { isDNS1123Subdomain } from '../../validation/dns.js';
import { invalidEach, invalidValue, required } from '../../validation/field.js';
import { isQualifiedName } from '../../validation/qualified_name.js';
import { age } from '../columns.js';

type EventObject = Event & KubeObject;

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/** legacyValidateEvent: the involved object's namespace agrees; new-style events carry their reporter. */
export function validateEvent(event: Event): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = event.metadata?.namespace ?? '';
  const involvedNamespace = event.involvedObject?.namespace ?? '';
  const nsPath = FieldPath.root('involvedObject').child('namespace');
  if (!event.eventTime) {
    if (!involvedNamespace) {
      if (namespace !== '' && namespace !== 'default') errs.push(invalidValue(nsPath, involvedNamespace, 'does not match event.namespace'));
    } else if (namespace !== involvedNamespace) {
      errs.push(invalidValue(nsPath, involvedNamespace, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNamespace && namespace !== 'kube-system') errs.push(invalidValue(nsPath, involvedNamespace, 'does not match event.namespace'));
    const controller = event.reportingComponent ?? '';
    if (!controller) errs.push(required('reportingComponent'));
    errs.push(...invalidEach('reportingComponent', controller, isQualifiedName(controller)));
    const instance = event.reportingInstance ?? '';
    if (!instance) errs.push(required('reportingInstance'));
    if (instance.length > REPORTING_INSTANCE_LIMIT) errs.push(invalidValue('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    if (!event.action) errs.push(required('action'));
    if ((event.action ?? '').length > ACTION_LIMIT) errs.push(invalidValue('action', '', `can have at most ${ACTION_LIMIT} characters`));
    if (!event.reason) errs.push(required('reason'));
    if ((event.reason ?? '').length > REASON_LIMIT) errs.push(invalidValue('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if ((event.message ?? '').length > NOTE_LIMIT) errs.push(invalidValue('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  errs.push(...invalidEach('namespace', namespace, isDNS1123Subdomain(namespace)));
  return errs;
}

/** FIRST SEEN: firstTimestamp, or eventTime for new-style events. */
function firstSeen(e: Event, now: number): string {
  return e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime, now);
}

/** LAST SEEN: the series' last observation, lastTimestamp, or the first sighting. */
function lastSeen(e: Event, now: number): string {
  if (e.series) return age(e.series.lastObservedTime, now);
  return e.lastTimestamp ? age(e.lastTimestamp, now) : firstSeen(e, now);
}

/** OBJECT: `kind/name` in lower-case kind. */
function eventObject(e: Event): string {
  const kind = (e.involvedObject?.kind ?? '').toLowerCase();
  return e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
}

/** SOURCE: component (or reporting controller), then `, host` (or instance). */
function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const events: ResourceType<EventObject> = {
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: { validate: validateEvent },
  table: [
    { name: 'Last Seen', type: 'string', description: 'The time at which the most recent occurrence of this event was recorded.', cell: lastSeen },
    { name: 'Type', type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future', cell: (e) => e.type ?? '' },
    { name: 'Reason', type: 'string', description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", cell: (e) => e.reason ?? '' },
    { name: 'Object', type: 'string', description: 'The object that this event is about.', cell: eventObject },
    { name: 'Subobject', type: 'string', priority: 1, description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', cell: (e) => e.involvedObject?.fieldPath ?? '' },
    { name: 'Source', type: 'string', priority: 1, description: 'The component reporting this event. Should be a short machine understandable string.', cell: eventSource },
    { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.', cell: (e) => (e.message ?? '').trim() },
    { name: 'First Seen', type: 'string', priority: 1, description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', cell: firstSeen },
    { name: 'Count', type: 'string', priority: 1, description: 'The number of times this event has occurred.', cell: (e) => e.series?.count ?? (e.count || 1) },
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      priority: 1,
      description: 'Name must be unique within a namespace.',
      cell: (e) => e.metadata?.name ?? '',
    },
  ],
  fieldSelectors: {
    'involvedObject.kind': (e) => e.involvedObject?.kind,
    'involvedObject.namespace': (e) => e.involvedObject?.namespace,
    'involvedObject.name': (e) => e.involvedObject?.name,
    'involvedObject.uid': (e) => e.involvedObject?.uid,
    'involvedObject.apiVersion': (e) => e.involvedObject?.apiVersion,
    'involvedObject.resourceVersion': (e) => e.involvedObject?.resourceVersion,
    'involvedObject.fieldPath': (e) => e.involvedObject?.fieldPath,
    reason: (e) => e.reason,
    reportingComponent: (e) => e.reportingComponent,
    source: (e) => e.source?.component || e.reportingComponent,
    type: (e) => e.type,
  },
};
