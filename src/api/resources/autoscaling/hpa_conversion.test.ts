import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldErrorMessage } from '../../errors.js';
import { hpaV1ToV2, hpaV2ToV1, type HPAv1Object, type HPAv2Object } from './hpa_conversion.js';
import { horizontalPodAutoscalersV1 } from './hpa_v1.js';
import { defaultHorizontalPodAutoscaler, horizontalPodAutoscalersV2, validateHorizontalPodAutoscaler } from './hpa_v2.js';

const meta = { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' };
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('autoscaling/v1 → v2', () => {
  test('targetCPUUtilizationPercentage becomes a CPU Utilization metric', () => {
    const v1: HPAv1Object = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { ...meta },
      spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 60 },
      status: { currentReplicas: 3, desiredReplicas: 3, currentCPUUtilizationPercentage: 45 },
    };
    const v2 = hpaV1ToV2(v1);
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    assert.deepEqual(v2.status?.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45 } } }]);
    assert.equal(v2.spec?.minReplicas, 2);
    assert.equal(v2.metadata.annotations, undefined);
  });

  test('no target: the implicit 80% CPU target', () => {
    const v2 = hpaV1ToV2({ metadata: { ...meta }, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
    assert.deepEqual(v2.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });
});

describe('autoscaling/v2 → v1 and back', () => {
  const v2: HPAv2Object = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta, annotations: { team: 'web' } },
    spec: {
      scaleTargetRef: ref,
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
    },
    status: {
      currentReplicas: 2,
      desiredReplicas: 2,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 35, averageValue: '120m' } } }],
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }],
    },
  };

  test('the CPU target maps to the v1 field, the rest to annotations', () => {
    const v1 = hpaV2ToV1(v2);
    assert.equal(v1.spec?.targetCPUUtilizationPercentage, 70);
    assert.equal(v1.status?.currentCPUUtilizationPercentage, 35);
    const annotations = v1.metadata.annotations ?? {};
    assert.equal(annotations.team, 'web');
    assert.deepEqual(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/metrics'] ?? ''), [
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
    ]);
    assert.deepEqual(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/current-metrics'] ?? ''), [
      { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 35, currentAverageValue: '120m' } },
    ]);
    assert.ok(annotations['autoscaling.alpha.kubernetes.io/conditions']);
    assert.deepEqual(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/behavior'] ?? ''), { scaleDown: { stabilizationWindowSeconds: 60 } });
    assert.equal((v2.metadata.annotations ?? {})['autoscaling.alpha.kubernetes.io/metrics'], undefined, 'the stored object is untouched');
  });

  test('a v1 round trip keeps everything', () => {
    const back = hpaV1ToV2(hpaV2ToV1(v2));
    assert.deepEqual(back.metadata.annotations, { team: 'web' });
    assert.deepEqual(back.spec?.metrics, v2.spec?.metrics);
    assert.deepEqual(back.spec?.behavior, v2.spec?.behavior);
    assert.deepEqual(back.status, v2.status);
  });
});

describe('HorizontalPodAutoscaler', () => {
  test('v2 defaults', () => {
    const hpa: HPAv2Object = { metadata: { ...meta }, spec: { scaleTargetRef: ref, maxReplicas: 4, behavior: { scaleUp: { selectPolicy: 'Min' } } } };
    defaultHorizontalPodAutoscaler(hpa);
    assert.equal(hpa.spec?.minReplicas, 1);
    assert.equal(hpa.spec?.metrics?.[0]?.resource?.target.averageUtilization, 80);
    assert.deepEqual(hpa.spec?.behavior?.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Min',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
    assert.deepEqual(hpa.spec?.behavior?.scaleDown, { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });

  test('validation through v1 reports the v2 paths', () => {
    const v1: HPAv1Object = { metadata: { ...meta }, spec: { scaleTargetRef: ref, minReplicas: 5, maxReplicas: 2, targetCPUUtilizationPercentage: 0 } };
    assert.deepEqual(horizontalPodAutoscalersV1.strategy?.validate?.(v1).map(fieldErrorMessage), [
      'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
    assert.deepEqual(validateHorizontalPodAutoscaler({ metadata: {}, spec: { scaleTargetRef: { kind: '', name: 'x' }, maxReplicas: 0 } }).map(fieldErrorMessage), [
      'spec.scaleTargetRef.kind: Required value',
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    ]);
  });

  test('table: REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE, the same in v1', () => {
    const v2: HPAv2Object = {
      metadata: { ...meta },
      spec: {
        scaleTargetRef: ref,
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        ],
      },
      status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 22 } } }] },
    };
    const now = Date.parse('2024-01-01T00:02:00Z');
    const expected = ['Deployment/web', 'cpu: 22%/50%, memory: <unknown>/512Mi + 1 more...', '1', 10, 3, '2m'];
    assert.deepEqual((horizontalPodAutoscalersV2.table ?? []).map((c) => c.cell(v2, now)), expected);
    assert.deepEqual((horizontalPodAutoscalersV1.table ?? []).map((c) => c.cell(hpaV2ToV1(v2), now)), expected);
  });
});
