import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../errors.js';
import { decodeProtobufObject } from './decode.js';
import { REGISTRY, messageForKind, supportedKinds } from './kinds.js';
import { formatGoDuration } from './well_known.js';

// A tiny protobuf encoder, enough to hand-build the bodies gogo-protobuf writes.
type Bytes = number[];

function varint(value: bigint | number): Bytes {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: Bytes = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const key = (num: number, wireType: number): Bytes => varint((num << 3) | wireType);
const int = (num: number, value: bigint | number): Bytes => [...key(num, 0), ...varint(value)];
const raw = (num: number, bytes: Bytes | Uint8Array): Bytes => [...key(num, 2), ...varint(bytes.length), ...bytes];
const str = (num: number, s: string): Bytes => raw(num, [...Buffer.from(s, 'utf8')]);
const msg = (num: number, ...fields: Bytes[]): Bytes => raw(num, fields.flat());
const entry = (num: number, k: string, value: Bytes): Bytes => msg(num, str(1, k), value);

function envelope(apiVersion: string, kind: string, ...fields: Bytes[]): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...msg(2, ...fields), ...str(3, ''), ...str(4, '')]);
}

/** ObjectMeta as gogo writes it: every non-pointer field, even when empty. */
function objectMeta(name: string, ...more: Bytes[]): Bytes {
  return msg(1, str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), int(7, 0), msg(8), str(15, ''), ...more);
}

function assertStatus(fn: () => unknown, code: number, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isStatusError(err), `not a StatusError: ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('decodeProtobufObject', () => {
  it('decodes a ConfigMap: maps, bytes as base64, a pointer false kept', () => {
    const body = envelope(
      'v1',
      'ConfigMap',
      objectMeta('cm', entry(11, 'app', str(2, 'web'))),
      entry(2, 'a', str(2, 'b')),
      entry(2, 'empty', []),
      entry(3, 'bin', raw(2, [0, 1, 2, 255])),
      int(4, 0),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', creationTimestamp: null, labels: { app: 'web' } },
      immutable: false,
      data: { a: 'b', empty: '' },
      binaryData: { bin: 'AAEC/w==' },
    });
  });

  it('applies Go zero-value rules: omitempty drops, pointers keep 0, absent plain fields get their zero', () => {
    const container = msg(2, str(1, ''), str(2, 'nginx'), msg(8), str(13, ''), str(20, ''), str(14, ''), int(16, 0));
    const spec = msg(2, container, str(3, ''), int(4, 0), int(11, 0), int(25, 0));
    const pod = decodeProtobufObject(envelope('v1', 'Pod', objectMeta('p'), spec));
    assert.deepEqual(pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', creationTimestamp: null },
      spec: {
        containers: [{ name: '', image: 'nginx', resources: {} }],
        terminationGracePeriodSeconds: 0,
        priority: 0,
      },
      status: {},
    });
  });

  it('fills a missing struct with its zero and a missing list without omitempty with null', () => {
    const job = decodeProtobufObject(envelope('batch/v1', 'Job'));
    assert.deepEqual(job, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { creationTimestamp: null },
      spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: null } } },
      status: {},
    });
  });

  it('turns Time, MicroTime and IntOrString into their JSON forms', () => {
    const time = msg(7, int(1, 1767225600)); // lastTransitionTime 2026-01-01T00:00:00Z
    const condition = msg(6, str(1, 'Available'), str(2, 'True'), msg(6, int(1, 1767225600), int(2, 5)), time);
    const rolling = msg(2, msg(1, int(1, 1), str(3, '25%')), msg(2, int(1, 0), int(2, 3)));
    const spec = msg(2, msg(4, str(1, 'RollingUpdate'), rolling));
    const d = decodeProtobufObject(envelope('apps/v1', 'Deployment', spec, msg(3, condition)));
    const s = d['spec'] as { strategy: unknown };
    assert.deepEqual(s.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 3 } });
    const status = d['status'] as { conditions: unknown };
    assert.deepEqual(status.conditions, [
      { type: 'Available', status: 'True', lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ]);
    const event = decodeProtobufObject(envelope('v1', 'Event', objectMeta('e'), msg(10, int(1, 1767225600), int(2, 123456789))));
    assert.equal(event['eventTime'], '2026-01-01T00:00:00.123456Z');
    assert.equal(event['firstTimestamp'], null);
  });

  it('merges inline structs into their parent (Volume, Probe, IngressRule)', () => {
    const volume = msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'my-cm')), msg(2, str(1, 'k'), str(2, 'p')), int(3, 0o644))));
    const probe = msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, int(1, 1), str(3, 'http')))), int(2, 0), int(4, 5));
    const spec = msg(2, volume, msg(2, str(1, 'c'), probe));
    const pod = decodeProtobufObject(envelope('v1', 'Pod', spec));
    const s = pod['spec'] as { volumes: unknown; containers: { livenessProbe: unknown }[] };
    assert.deepEqual(s.volumes, [{ name: 'cfg', configMap: { name: 'my-cm', items: [{ key: 'k', path: 'p' }], defaultMode: 420 } }]);
    assert.deepEqual(s.containers[0]?.livenessProbe, { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 });

    const path = msg(1, str(1, '/'), str(3, 'Prefix'), msg(2, msg(4, str(1, 'svc'), msg(2, int(2, 80)))));
    const ingress = decodeProtobufObject(envelope('networking.k8s.io/v1', 'Ingress', msg(2, msg(3, str(1, 'a.example'), msg(2, msg(1, path))))));
    assert.deepEqual((ingress['spec'] as { rules: unknown }).rules, [
      { host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'svc', port: { number: 80 } } } }] } },
    ]);
  });

  it('reads packed and unpacked repeated integers, and negative varints', () => {
    const packed = raw(4, [...varint(1000), ...varint(2000)]);
    const sc = msg(14, int(2, -1), packed, int(4, 3000));
    const pod = decodeProtobufObject(envelope('v1', 'Pod', msg(2, sc)));
    assert.deepEqual((pod['spec'] as { securityContext: unknown }).securityContext, {
      runAsUser: -1,
      supplementalGroups: [1000, 2000, 3000],
    });
  });

  it('decodes Quantity maps, ownerReferences and managedFields', () => {
    const owner = msg(13, str(5, 'apps/v1'), str(1, 'ReplicaSet'), str(3, 'rs'), str(4, 'uid-1'), int(6, 1));
    const managed = msg(17, str(1, 'kubectl'), str(2, 'Update'), str(3, 'v1'), str(6, 'FieldsV1'), msg(7, raw(1, [...Buffer.from('{"f:spec":{}}')])));
    const quota = decodeProtobufObject(
      envelope('v1', 'ResourceQuota', objectMeta('q', owner, managed), msg(2, entry(1, 'cpu', msg(2, str(1, '500m'))), entry(1, 'pods', msg(2)))),
    );
    assert.deepEqual(quota['metadata'], {
      name: 'q',
      creationTimestamp: null,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'uid-1', controller: true }],
      managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
    });
    assert.deepEqual(quota['spec'], { hard: { cpu: '500m', pods: '0' } });
  });

  it('decodes RawExtension as JSON or as a nested envelope', () => {
    const asJson = decodeProtobufObject(envelope('apps/v1', 'ControllerRevision', objectMeta('r'), msg(2, raw(1, [...Buffer.from('{"a":1}')])), int(3, 2)));
    assert.deepEqual(asJson['data'], { a: 1 });
    assert.equal(asJson['revision'], 2);
    const inner = envelope('v1', 'ConfigMap', objectMeta('inner'));
    const nested = decodeProtobufObject(envelope('apps/v1', 'ControllerRevision', msg(2, raw(1, inner))));
    assert.deepEqual(nested['data'], { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner', creationTimestamp: null } });
  });

  it('accepts DeleteOptions under any apiVersion and Eviction with its options', () => {
    const opts = decodeProtobufObject(envelope('meta.k8s.io/v1', 'DeleteOptions', int(1, 0), str(4, 'Foreground')));
    assert.deepEqual(opts, { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground' });
    const eviction = decodeProtobufObject(envelope('policy/v1', 'Eviction', objectMeta('p'), msg(2, int(1, 30))));
    assert.deepEqual(eviction['deleteOptions'], { gracePeriodSeconds: 30 });
  });

  it('skips unknown fields', () => {
    const cm = decodeProtobufObject(envelope('v1', 'ConfigMap', objectMeta('cm'), str(99, 'future'), int(98, 7)));
    assert.deepEqual(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', creationTimestamp: null } });
  });

  it('answers 415 naming the kind when there is no schema for it', () => {
    assertStatus(() => decodeProtobufObject(envelope('example.com/v1', 'Widget')), 415, /Widget \(example\.com\/v1\)/);
    assertStatus(() => decodeProtobufObject(envelope('apps/v1beta1', 'Deployment')), 415, /Deployment/);
  });

  it('answers 400 for malformed bodies', () => {
    assertStatus(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}')), 400, /magic bytes/);
    assertStatus(() => decodeProtobufObject(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x20, 0x01])), 400, /claims 32 bytes/);
    assertStatus(() => decodeProtobufObject(envelope('v1', 'ConfigMap', int(1, 5))), 400, /metadata: field 1 has wire type 0, want 2/);
    assertStatus(() => decodeProtobufObject(Buffer.from([0x6b, 0x38, 0x73, 0x00])), 400, /no apiVersion and kind/);
    const badVarint = Buffer.concat([envelope('v1', 'ConfigMap'), Buffer.from([0x08, 0xff])]);
    assertStatus(() => decodeProtobufObject(badVarint), 400, /truncated varint/);
  });
});

describe('formatGoDuration', () => {
  it('writes durations as Go does', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [100n, '100ns'],
      [1500n, '1.5µs'],
      [1_000_000n, '1ms'],
      [1_500_000_000n, '1.5s'],
      [90_000_000_000n, '1m30s'],
      [3_600_000_000_000n, '1h0m0s'],
      [-90_000_000_000n, '-1m30s'],
    ];
    for (const [ns, text] of cases) assert.equal(formatGoDuration(ns), text);
  });
});

describe('protobuf schema registry', () => {
  it('has a message for every supported kind', () => {
    for (const gvk of supportedKinds()) {
      const slash = gvk.lastIndexOf('/');
      assert.ok(messageForKind(gvk.slice(0, slash), gvk.slice(slash + 1)), gvk);
    }
    assert.ok(REGISTRY.size > 200);
  });
});
