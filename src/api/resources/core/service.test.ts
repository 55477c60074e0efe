import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import { fieldErrorMessage } from '../../errors.js';
import { services, type ServiceObject } from './service.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const strategy = services.strategy!;
const cell = (svc: ServiceObject, name: string): unknown => services.table!.find((c) => c.name === name)!.cell(svc, NOW);

function svc(spec: Service['spec']): ServiceObject {
  const s: ServiceObject = { metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:58:00Z' }, spec };
  strategy.defaults!(s);
  return s;
}

describe('Service', () => {
  test('defaults', () => {
    const s = svc({ selector: { app: 'web' }, ports: [{ port: 80 }] });
    assert.deepEqual(s.spec, {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    const np = svc({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] });
    assert.equal(np.spec!.externalTrafficPolicy, 'Cluster');
    assert.equal(np.spec!.ports![0]!.targetPort, 'http');
  });

  test('validation', () => {
    assert.deepEqual(strategy.validate!(svc({ ports: [{ port: 80 }] })), []);
    const errs = strategy.validate!(svc({ type: 'Weird', ports: [{ port: 80 }, { port: 0, name: 'b' }] })).map(fieldErrorMessage);
    assert.deepEqual(errs, [
      'spec.type: Unsupported value: "Weird": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'spec.ports[0].name: Required value',
      'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    assert.deepEqual(strategy.validate!(svc({})).map(fieldErrorMessage), ['spec.ports: Required value']);
    assert.deepEqual(strategy.validate!(svc({ type: 'ExternalName' })).map(fieldErrorMessage), ['spec.externalName: Required value']);
    assert.deepEqual(services.validateName!('1web', false).length, 1);
  });

  test('clusterIP is kept when left out, and may not change', () => {
    const old = svc({ clusterIP: '10.96.0.10', ports: [{ port: 53 }] });
    const replaced = svc({ ports: [{ port: 53 }] });
    strategy.prepareForUpdate!(replaced, old);
    assert.equal(replaced.spec!.clusterIP, '10.96.0.10');
    assert.deepEqual(strategy.validateUpdate!(replaced, old), []);
    const changed = svc({ clusterIP: '10.96.0.11', ports: [{ port: 53 }] });
    assert.deepEqual(strategy.validateUpdate!(changed, old).map(fieldErrorMessage), [
      'spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set',
    ]);
  });

  test('table cells', () => {
    const s = svc({ type: 'NodePort', clusterIP: '10.96.3.4', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }, { port: 53, protocol: 'UDP' }] });
    assert.equal(cell(s, 'Type'), 'NodePort');
    assert.equal(cell(s, 'Cluster-IP'), '10.96.3.4');
    assert.equal(cell(s, 'External-IP'), '<none>');
    assert.equal(cell(s, 'Port(s)'), '80:30080/TCP,53/UDP');
    assert.equal(cell(s, 'Age'), '2m');
    assert.equal(cell(s, 'Selector'), 'app=web');
    const lb = svc({ type: 'LoadBalancer', ports: [{ port: 80 }] });
    assert.equal(cell(lb, 'External-IP'), '<pending>');
  });
});
