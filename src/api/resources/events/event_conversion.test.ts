import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldErrorMessage } from '../../errors.js';
import { eventsV1, validateEventV1 } from './event.js';
import { coreToEventV1, eventV1ToCore, type EventV1Object } from './event_conversion.js';

function event(): EventV1Object {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web.17a', namespace: 'default' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    reportingController: 'kts.io/scheduler',
    reportingInstance: 'kts-node-1',
    action: 'Binding',
    reason: 'Scheduled',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' },
    note: 'Successfully assigned default/web to node-1',
    type: 'Normal',
  };
}

describe('events.k8s.io/v1 ↔ core/v1', () => {
  test('field mapping', () => {
    const e = event();
    e.series = { count: 3, lastObservedTime: '2024-01-01T00:01:00.000000Z' };
    e.deprecatedSource = { component: 'scheduler' };
    e.deprecatedCount = 2;
    const core = eventV1ToCore(e);
    assert.deepEqual(core, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.17a', namespace: 'default' },
      message: 'Successfully assigned default/web to node-1',
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' },
      reportingComponent: 'kts.io/scheduler',
      source: { component: 'scheduler' },
      count: 2,
      eventTime: '2024-01-01T00:00:00.000000Z',
      series: { count: 3, lastObservedTime: '2024-01-01T00:01:00.000000Z' },
      action: 'Binding',
      reason: 'Scheduled',
      reportingInstance: 'kts-node-1',
      type: 'Normal',
    });
    assert.deepEqual(coreToEventV1(core), e);
  });

  test('a legacy core event reads with deprecated fields', () => {
    const v1 = coreToEventV1({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'x', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web' },
      message: 'Pulled',
      firstTimestamp: '2024-01-01T00:00:00Z',
      lastTimestamp: '2024-01-01T00:00:05Z',
      count: 4,
      source: { component: 'kubelet', host: 'node-1' },
    });
    assert.equal(v1.note, 'Pulled');
    assert.equal(v1.deprecatedFirstTimestamp, '2024-01-01T00:00:00Z');
    assert.equal(v1.deprecatedLastTimestamp, '2024-01-01T00:00:05Z');
    assert.equal(v1.deprecatedCount, 4);
    assert.deepEqual(v1.deprecatedSource, { component: 'kubelet', host: 'node-1' });
    assert.equal(v1.regarding?.name, 'web');
  });
});

describe('events.k8s.io/v1 validation and table', () => {
  test('a complete event is valid', () => {
    assert.deepEqual(validateEventV1(event()), []);
  });

  test('the stricter rules of the new API', () => {
    const e = event();
    delete e.reportingController;
    e.type = 'Info';
    e.deprecatedCount = 3;
    const errs = validateEventV1(e).map(fieldErrorMessage);
    assert.equal(errs[0], 'reportingController: Required value');
    // Then the qualified-name checks of the empty name, as Kubernetes reports them too.
    assert.ok(errs.slice(1, -2).every((m) => m.startsWith('reportingController: Invalid value: "": name part')));
    assert.deepEqual(errs.slice(-2), ['type: Invalid value: "": has invalid value: Info', 'count: Invalid value: "": needs to be unset']);
  });

  test('the core Event columns', () => {
    const now = Date.parse('2024-01-01T00:00:30Z');
    const cells = (eventsV1.table ?? []).filter((c) => !c.priority).map((c) => c.cell(event(), now));
    assert.deepEqual(cells, ['30s', 'Normal', 'Scheduled', 'pod/web', 'Successfully assigned default/web to node-1']);
    assert.equal(eventsV1.storageResource, 'events');
  });
});
