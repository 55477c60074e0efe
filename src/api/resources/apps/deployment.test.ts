import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { defaultDeployment, deployments, validateDeployment, validateDeploymentUpdate, type DeploymentObject } from './deployment.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

function deployment(): DeploymentObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
}

/** The row cells after Name, with `-o wide` columns, as the server prints them. */
function cells<T extends KubeObject>(rt: ResourceType<T>, obj: T, now: number): unknown[] {
  return (rt.table ?? []).map((c) => c.cell(obj, now));
}

describe('Deployment defaults', () => {
  test('strategy, limits, replicas and the pod template', () => {
    const d = deployment();
    defaultDeployment(d);
    assert.equal(d.spec?.replicas, 1);
    assert.deepEqual(d.spec?.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(d.spec?.revisionHistoryLimit, 10);
    assert.equal(d.spec?.progressDeadlineSeconds, 600);
    const pod = d.spec?.template.spec;
    assert.equal(pod?.restartPolicy, 'Always');
    assert.equal(pod?.dnsPolicy, 'ClusterFirst');
    assert.equal(pod?.containers[0]?.imagePullPolicy, 'IfNotPresent');
  });

  test('Recreate gets no rolling update parameters', () => {
    const d = deployment();
    d.spec!.strategy = { type: 'Recreate' };
    defaultDeployment(d);
    assert.deepEqual(d.spec?.strategy, { type: 'Recreate' });
  });
});

describe('Deployment validation', () => {
  test('a defaulted deployment is valid', () => {
    const d = deployment();
    defaultDeployment(d);
    assert.deepEqual(validateDeployment(d), []);
  });

  test('the selector must select the template labels', () => {
    const d = deployment();
    d.spec!.template.metadata!.labels = { app: 'other' };
    defaultDeployment(d);
    assert.deepEqual(messages(validateDeployment(d)), [
      'spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    ]);
  });

  test('selector required, restart policy Always', () => {
    const d = deployment();
    delete (d.spec as { selector?: unknown }).selector;
    d.spec!.template.spec!.restartPolicy = 'Never';
    defaultDeployment(d);
    assert.deepEqual(messages(validateDeployment(d)), [
      'spec.selector: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  test('rolling update counts and strategy types', () => {
    const d = deployment();
    d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } };
    defaultDeployment(d);
    assert.deepEqual(messages(validateDeployment(d)), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
    d.spec!.strategy = { type: 'Recreate', rollingUpdate: {} };
    assert.deepEqual(messages(validateDeployment(d)), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
    d.spec!.strategy = { type: 'BlueGreen' };
    assert.deepEqual(messages(validateDeployment(d)), ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"']);
  });

  test('negative replicas and a deadline not above minReadySeconds', () => {
    const d = deployment();
    d.spec!.replicas = -1;
    d.spec!.minReadySeconds = 700;
    defaultDeployment(d);
    assert.deepEqual(messages(validateDeployment(d)), [
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    ]);
  });

  test('the selector is immutable', () => {
    const old = deployment();
    const d = deployment();
    d.spec!.selector = { matchLabels: { app: 'web', tier: 'front' } };
    assert.deepEqual(messages(validateDeploymentUpdate(d, old)), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: field is immutable',
    ]);
  });
});

describe('Deployment table', () => {
  test('READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR', () => {
    const d = deployment();
    defaultDeployment(d);
    d.spec!.replicas = 3;
    (d as KubeObject).status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    const now = Date.parse('2024-01-01T00:05:00Z');
    assert.deepEqual(
      (deployments.table ?? []).map((c) => [c.name, c.priority ?? 0]),
      [['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1]],
    );
    assert.deepEqual(cells(deployments, d, now), ['2/3', 3, 2, '5m', 'nginx', 'nginx:1.27', 'app=web']);
  });

  test('declaration essentials', () => {
    assert.deepEqual(deployments.shortNames, ['deploy']);
    assert.deepEqual(deployments.categories, ['all']);
    assert.equal(deployments.tracksGeneration, true);
    assert.equal(deployments.subresources?.scale?.specReplicasPath, '.spec.replicas');
  });
});
