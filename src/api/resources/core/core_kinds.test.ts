import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigMap, Event, Node, ReplicationController, Secret } from 'kubernetes-types/core/v1.js';
import { fieldErrorMessage } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { BUILTIN_RESOURCES } from '../builtin.js';
import { configMaps } from './configmap.js';
import { formatEndpoints } from './endpoints.js';
import { events } from './event.js';
import { namespaces } from './namespace.js';
import { nodes } from './node.js';
import { quotaColumns } from './resourcequota.js';
import { replicationControllers } from './replicationcontroller.js';
import { secrets } from './secret.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function cells<T extends KubeObject>(table: readonly { name: string; cell(o: T, now: number): unknown }[], obj: T): Record<string, unknown> {
  return Object.fromEntries(table.map((c) => [c.name, c.cell(obj, NOW)]));
}

describe('core kinds', () => {
  test('every built-in resource is declared once', () => {
    const names = BUILTIN_RESOURCES.map((rt) => `${rt.group}/${rt.version}/${rt.resource}`);
    assert.equal(new Set(names).size, names.length);
    const all = BUILTIN_RESOURCES.filter((rt) => rt.group === '' && rt.categories?.includes('all'))
      .map((rt) => rt.resource)
      .sort();
    assert.deepEqual(all, ['pods', 'replicationcontrollers', 'services']);
  });

  test('ConfigMap keys, size and immutability', () => {
    const cm = { metadata: { name: 'c' }, data: { 'a/b': 'x', ok: 'y' }, binaryData: { ok: 'eA==' } } as ConfigMap & KubeObject;
    const errs = configMaps.strategy!.validate!(cm).map(fieldErrorMessage);
    assert.equal(errs.length, 3);
    assert.match(errs[0] ?? '', /^data\[a\/b\]: Invalid value: "a\/b": a valid config key must consist of/);
    assert.equal(errs[1], 'data[ok]: Invalid value: "ok": duplicate of key present in binaryData');
    const old = { metadata: { name: 'c' }, data: { a: '1' }, immutable: true } as ConfigMap & KubeObject;
    const next = { metadata: { name: 'c' }, data: { a: '2' }, immutable: true } as ConfigMap & KubeObject;
    assert.deepEqual(configMaps.strategy!.validateUpdate!(next, old).map(fieldErrorMessage), [
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  test('Secret: stringData merged, type defaulted and immutable, required keys', () => {
    const s = { metadata: { name: 's' }, stringData: { password: 'hunter2' } } as Secret & KubeObject;
    secrets.strategy!.defaults!(s);
    assert.equal(s.type, 'Opaque');
    assert.deepEqual(s.data, { password: Buffer.from('hunter2').toString('base64') });
    assert.equal('stringData' in s, false);
    assert.deepEqual(cells(secrets.table!, s), { Type: 'Opaque', Data: 1, Age: '<unknown>' });
    const tls = { metadata: { name: 't' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } } as Secret & KubeObject;
    assert.deepEqual(secrets.strategy!.validate!(tls).map(fieldErrorMessage), ['data[tls.key]: Required value']);
    assert.deepEqual(secrets.strategy!.validateUpdate!({ ...tls, type: 'Opaque' }, tls).map(fieldErrorMessage), [
      'type: Invalid value: "Opaque": field is immutable',
    ]);
  });

  test('Namespace names are DNS labels', () => {
    assert.deepEqual(namespaces.validateName!('team-a', false), []);
    assert.deepEqual(namespaces.validateName!('team.a', false), ['must not contain dots']);
  });

  test('Node table', () => {
    const node = {
      metadata: { name: 'n1', creationTimestamp: '2024-04-29T12:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
      },
    } as unknown as Node & KubeObject;
    assert.deepEqual(cells(nodes.table!, node), {
      Status: 'Ready,SchedulingDisabled',
      Roles: 'control-plane',
      Age: '2d',
      Version: 'v1.32.0',
      'Internal-IP': '192.168.1.10',
      'External-IP': '<none>',
      'OS-Image': 'Debian GNU/Linux 12 (bookworm)',
      'Kernel-Version': '6.1.0',
      'Container-Runtime': 'containerd://1.7.0',
    });
    assert.equal(nodes.fieldSelectors!['spec.unschedulable']!(node), 'true');
  });

  test('Event table and validation', () => {
    const ev = {
      metadata: { name: 'web.17a', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      message: ' Successfully pulled image ',
      type: 'Normal',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: '2024-05-01T11:50:00Z',
      lastTimestamp: '2024-05-01T11:59:00Z',
      count: 3,
    } as Event & KubeObject;
    assert.deepEqual(cells(events.table!, ev), {
      'Last Seen': '60s',
      Type: 'Normal',
      Reason: 'Pulled',
      Object: 'pod/web',
      Subobject: 'spec.containers{web}',
      Source: 'kubelet, n1',
      Message: 'Successfully pulled image',
      'First Seen': '10m',
      Count: 3,
      Name: 'web.17a',
    });
    assert.deepEqual(events.strategy!.validate!(ev), []);
    const wrongNs = { ...ev, involvedObject: { ...ev.involvedObject, namespace: 'other' } };
    assert.deepEqual(events.strategy!.validate!(wrongNs).map(fieldErrorMessage), [
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });

  test('ReplicationController defaults and selector check', () => {
    const rc = {
      metadata: { name: 'rc', namespace: 'default' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    } as ReplicationController & KubeObject;
    replicationControllers.strategy!.defaults!(rc);
    assert.deepEqual(rc.spec!.selector, { app: 'web' });
    assert.deepEqual(rc.metadata.labels, { app: 'web' });
    assert.equal(rc.spec!.replicas, 1);
    assert.deepEqual(replicationControllers.strategy!.validate!(rc), []);
    rc.spec!.selector = { app: 'db' };
    assert.deepEqual(replicationControllers.strategy!.validate!(rc).map(fieldErrorMessage), [
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  test('Endpoints and quota cells', () => {
    assert.equal(formatEndpoints({ subsets: [] }), '<none>');
    assert.equal(
      formatEndpoints({
        subsets: [{ addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ ip })), ports: [{ port: 80 }] }],
      }),
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...',
    );
    assert.deepEqual(quotaColumns({ status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' }, used: { pods: '3' } } }), {
      request: 'pods: 3/10, requests.cpu: 0/1',
      limit: 'limits.cpu: 0/2',
    });
  });
});
