import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desiredSlices } from './endpoint_slice.js';
import { endpointSubsets, endpointsLabels } from './endpoints.js';
import type { PodObject, ServiceObject } from './service_pods.js';

const service = (spec: Record<string, unknown> = {}): ServiceObject => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { team: 'a' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }], ...spec },
});

function pod(name: string, opts: { ip?: string; ready?: boolean; port?: number; deleting?: boolean; phase?: string } = {}): PodObject {
  return {
    metadata: { name, namespace: 'ns', uid: `${name}-uid`, labels: { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'web', containerPort: opts.port ?? 8080 }] }] },
    status: {
      phase: opts.phase ?? 'Running',
      ...(opts.ip ? { podIP: opts.ip } : {}),
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
}

test('subsets: ready and not-ready addresses, grouped by the ports named target ports resolve to', () => {
  const subsets = endpointSubsets(service(), [
    pod('a', { ip: '10.0.0.2' }),
    pod('b', { ip: '10.0.0.1', ready: false }),
    pod('c', { ip: '10.0.0.3', port: 9090 }),
    pod('no-ip'),
    pod('gone', { ip: '10.0.0.4', deleting: true }),
    pod('done', { ip: '10.0.0.5', phase: 'Succeeded' }),
  ]);
  assert.deepEqual(
    subsets.map((s) => ({ ready: s.addresses?.map((a) => a.ip), notReady: s.notReadyAddresses?.map((a) => a.ip), ports: s.ports?.map((p) => p.port) })),
    [
      { ready: ['10.0.0.2'], notReady: ['10.0.0.1'], ports: [8080] },
      { ready: ['10.0.0.3'], notReady: undefined, ports: [9090] },
    ],
  );
  assert.deepEqual(subsets[0]?.addresses?.[0]?.targetRef, { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'a-uid' });
});

test('publishNotReadyAddresses lists every pod, terminating ones too, as ready', () => {
  const subsets = endpointSubsets(service({ publishNotReadyAddresses: true }), [pod('b', { ip: '10.0.0.1', ready: false }), pod('t', { ip: '10.0.0.9', deleting: true })]);
  assert.deepEqual(subsets[0]?.addresses?.map((a) => a.ip), ['10.0.0.1', '10.0.0.9']);
  assert.equal(subsets[0]?.notReadyAddresses, undefined);
});

test('a port that resolves for no pod leaves the pod out; a numeric target port is used as is', () => {
  assert.deepEqual(endpointSubsets(service({ ports: [{ port: 80, targetPort: 'nope' }] }), [pod('a', { ip: '10.0.0.1' })]), []);
  const numeric = endpointSubsets(service({ ports: [{ port: 80, targetPort: 7000 }] }), [pod('a', { ip: '10.0.0.1' })]);
  assert.equal(numeric[0]?.ports?.[0]?.port, 7000);
});

test('labels: the Service labels, and the headless marker without a cluster IP', () => {
  assert.deepEqual(endpointsLabels(service()), { team: 'a' });
  assert.deepEqual(endpointsLabels(service({ clusterIP: 'None' })), { team: 'a', 'service.kubernetes.io/headless': '' });
});

test('slices: conditions per endpoint, families apart, 100 endpoints at most, one empty slice without pods', () => {
  const pods = [pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2', ready: false }), pod('v6', { ip: 'fd00::1' })];
  const slices = desiredSlices(service(), pods);
  assert.deepEqual(slices.map((s) => [s.addressType, s.endpoints.length]), [['IPv4', 2], ['IPv6', 1]]);
  assert.deepEqual(slices[0]?.endpoints[1]?.conditions, { ready: false, serving: false, terminating: false });
  const many = Array.from({ length: 250 }, (_, i) => pod(`p${i}`, { ip: `10.1.${Math.floor(i / 200)}.${i % 200}` }));
  assert.deepEqual(desiredSlices(service(), many).map((s) => s.endpoints.length), [100, 100, 50]);
  assert.deepEqual(desiredSlices(service(), []), [{ addressType: 'IPv4', ports: [], endpoints: [] }]);
});
