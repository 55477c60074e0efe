import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { fieldErrorMessage } from '../../errors.js';
import { pods, type PodObject } from './pod.js';
import { summarizePod } from './pod_printer.js';
import { podQOSClass } from './pod_qos.js';
import { defaultImagePullPolicy } from './pod_spec_defaults.js';
import { POD_UPDATE_FORBIDDEN } from './pod_update.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const strategy = pods.strategy!;

function newPod(spec: Partial<Pod['spec']> = {}): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], ...spec },
  };
}

function created(spec: Partial<Pod['spec']> = {}): PodObject {
  const pod = newPod(spec);
  strategy.defaults!(pod);
  strategy.prepareForCreate!(pod);
  return pod;
}

const cell = (pod: PodObject, name: string): unknown => pods.table!.find((c) => c.name === name)!.cell(pod, NOW);

describe('Pod defaults', () => {
  test('spec and container defaults as kube-apiserver sets them', () => {
    const pod = created({
      containers: [
        {
          name: 'web',
          image: 'nginx',
          ports: [{ containerPort: 80 }],
          readinessProbe: { httpGet: { port: 80 } },
          resources: { limits: { cpu: '0.5', memory: '1.5Gi' } },
        },
      ],
    });
    const spec = pod.spec!;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.deepEqual(spec.securityContext, {});
    assert.equal(spec.enableServiceLinks, true);
    assert.equal(spec.priority, 0);
    assert.equal(spec.preemptionPolicy, 'PreemptLowerPriority');
    const c = spec.containers[0]!;
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.terminationMessagePath, '/dev/termination-log');
    assert.equal(c.terminationMessagePolicy, 'File');
    assert.equal(c.ports![0]!.protocol, 'TCP');
    assert.deepEqual(c.readinessProbe, {
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.deepEqual(c.resources, { limits: { cpu: '500m', memory: '1536Mi' }, requests: { cpu: '500m', memory: '1536Mi' } });
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'Guaranteed' });
  });

  test('image pull policy follows the tag', () => {
    assert.equal(defaultImagePullPolicy('nginx'), 'Always');
    assert.equal(defaultImagePullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultImagePullPolicy('nginx:1.25'), 'IfNotPresent');
    assert.equal(defaultImagePullPolicy('localhost:5000/busybox'), 'Always');
    assert.equal(defaultImagePullPolicy('localhost:5000/busybox:1'), 'IfNotPresent');
    assert.equal(defaultImagePullPolicy('busybox@sha256:abc'), 'IfNotPresent');
  });

  test('QoS classes', () => {
    assert.equal(podQOSClass({ containers: [{ name: 'a' }] }), 'BestEffort');
    assert.equal(podQOSClass({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] }), 'Burstable');
    assert.equal(
      podQOSClass({ containers: [{ name: 'a', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] }),
      'Guaranteed',
    );
  });
});

describe('Pod validation', () => {
  const messages = (pod: PodObject): string[] => strategy.validate!(pod).map(fieldErrorMessage);

  test('a defaulted pod is valid', () => {
    assert.deepEqual(messages(created()), []);
  });

  test('containers are required, named uniquely, with images', () => {
    assert.deepEqual(messages(created({ containers: [] })), ['spec.containers: Required value']);
    const pod = created({ containers: [{ name: 'a', image: 'x' }, { name: 'a' }] });
    assert.deepEqual(messages(pod), ['spec.containers[1].name: Duplicate value: "a"', 'spec.containers[1].image: Required value']);
  });

  test('enums and ports', () => {
    const pod = created({ restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] });
    assert.deepEqual(messages(pod), [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    ]);
  });

  test('requests may not exceed limits', () => {
    const pod = newPod({ containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] });
    strategy.defaults!(pod);
    assert.deepEqual(messages(pod), ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']);
  });

  test('updates may change images but not the rest of the spec', () => {
    const old = created();
    const image = created();
    image.spec!.containers[0]!.image = 'nginx:1.26';
    assert.deepEqual(strategy.validateUpdate!(image, old), []);
    const port = created();
    port.spec!.containers[0]!.ports = [{ containerPort: 81, protocol: 'TCP' }];
    assert.deepEqual(strategy.validateUpdate!(port, old).map(fieldErrorMessage), [`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`]);
    const toleration = created({ tolerations: [{ key: 'a', operator: 'Exists' }] });
    assert.deepEqual(strategy.validateUpdate!(toleration, old), []);
  });
});

describe('Pod table', () => {
  function withStatus(status: Pod['status'], spec: Partial<Pod['spec']> = {}): PodObject {
    const pod = created(spec);
    (pod as { status?: unknown }).status = status;
    return pod;
  }

  test('pending, creating, running', () => {
    assert.deepEqual(summarizePod(created(), NOW), { ready: '0/1', status: 'Pending', restarts: '0' });
    const creating = withStatus({
      phase: 'Pending',
      containerStatuses: [{ name: 'web', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    assert.equal(cell(creating, 'Status'), 'ContainerCreating');
    const running = withStatus({
      phase: 'Running',
      podIPs: [{ ip: '10.244.0.5' }],
      containerStatuses: [{ name: 'web', image: 'nginx', imageID: '', ready: true, restartCount: 0, state: { running: {} } }],
    });
    assert.equal(cell(running, 'Ready'), '1/1');
    assert.equal(cell(running, 'Status'), 'Running');
    assert.equal(cell(running, 'IP'), '10.244.0.5');
    assert.equal(cell(running, 'Node'), '<none>');
    assert.equal(cell(running, 'Readiness Gates'), '<none>');
    assert.equal(cell(running, 'Age'), '60m');
  });

  test('crash loops show restarts and when', () => {
    const pod = withStatus({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'web',
          image: 'nginx',
          imageID: '',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:55:00Z' } },
        },
      ],
    });
    assert.deepEqual(summarizePod(pod, NOW), { ready: '0/1', status: 'CrashLoopBackOff', restarts: '4 (5m ago)' });
  });

  test('completed and init progress', () => {
    const done = withStatus({
      phase: 'Succeeded',
      containerStatuses: [{ name: 'web', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    });
    assert.equal(cell(done, 'Status'), 'Completed');
    const init = withStatus(
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init', image: 'x', imageID: '', ready: false, restartCount: 0, state: { running: {} } }],
      },
      { initContainers: [{ name: 'init', image: 'busybox' }] },
    );
    assert.equal(cell(init, 'Status'), 'Init:0/1');
    const failedInit = withStatus(
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init', image: 'x', imageID: '', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
      { initContainers: [{ name: 'init', image: 'busybox' }] },
    );
    assert.equal(cell(failedInit, 'Status'), 'Init:CrashLoopBackOff');
    assert.equal(cell(failedInit, 'Restarts'), '2');
  });

  test('terminating', () => {
    const pod = created();
    (pod.metadata as { deletionTimestamp?: string }).deletionTimestamp = '2024-05-01T11:59:00Z';
    assert.equal(cell(pod, 'Status'), 'Terminating');
  });

  test('field selectors', () => {
    const pod = created({ nodeName: 'n1' });
    assert.equal(pods.fieldSelectors!['spec.nodeName']!(pod), 'n1');
    assert.equal(pods.fieldSelectors!['status.phase']!(pod), 'Pending');
    assert.equal(pods.fieldSelectors!['spec.hostNetwork']!(pod), 'false');
  });
});
