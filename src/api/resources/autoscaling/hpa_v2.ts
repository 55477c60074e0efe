/**
 * autoscaling/v2 HorizontalPodAutoscaler, the stored version of HPAs (autoscaling/v1 converts
 * to it, hpa_v1.ts). Defaults (SetDefaults_HorizontalPodAutoscaler: minReplicas 1, a CPU 80%
 * target when no metric is given, scaling behavior rules), ValidateHorizontalPodAutoscaler's
 * essentials, and printHorizontalPodAutoscaler's table.
 */
import type { HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { Quantity } from '../../quantity.js';
import type { ResourceType, TableColumn } from '../../registry.js';
import { isValidPathSegmentName } from '../../validation/dns.js';
import { forbidden, invalidEach, invalidValue, notSupported, required } from '../../validation/field.js';
import { inclusiveRangeError } from '../../validation/messages.js';
import { ageColumn } from '../columns.js';
import { hpaTargetsCell } from './hpa_targets.js';

export type HorizontalPodAutoscalerObject = HorizontalPodAutoscaler & KubeObject;

const SPEC = FieldPath.root('spec');
/** autoscaling.DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;
const METRIC_SOURCES: Readonly<Record<string, keyof MetricSpec>> = {
  ContainerResource: 'containerResource',
  External: 'external',
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
};
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

const defaultScaleUp = (): HPAScalingRules => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

/** The scale-down window is left unset: kube-controller-manager's flag supplies it. */
const defaultScaleDown = (): HPAScalingRules => ({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });

/** GenerateHPAScaleUpRules / ScaleDownRules: the defaults, overridden by what is set. */
function withDefaults(rules: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  if (!rules) return defaults;
  const out: HPAScalingRules = { ...defaults };
  for (const [key, value] of Object.entries(rules)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}

/** The CPU utilization target autoscaling/v1 implies and v2 defaults to. */
export function cpuUtilizationMetric(utilization: number): MetricSpec {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } } };
}

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v2). */
export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = ((hpa as HorizontalPodAutoscalerObject).spec ??= { maxReplicas: 0, scaleTargetRef: { kind: '', name: '' } });
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) spec.metrics = [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
  if (spec.behavior) {
    spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, defaultScaleUp());
    spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, defaultScaleDown());
  }
}

function validatePositiveQuantity(value: string | undefined, path: FieldPath): FieldError[] {
  if (value === undefined) return [];
  const q = Quantity.tryParse(value);
  return q && q.sign() > 0 ? [] : [invalidValue(path, value, 'must be positive')];
}

function validateTarget(target: MetricTarget | undefined, path: FieldPath): FieldError[] {
  if (!target) return [required(path)];
  const errs: FieldError[] = [];
  if (!target.type) errs.push(required(path.child('type'), 'must specify a metric target type'));
  else if (!TARGET_TYPES.includes(target.type)) errs.push(notSupported(path.child('type'), target.type, TARGET_TYPES));
  errs.push(...validatePositiveQuantity(target.value, path.child('value')));
  errs.push(...validatePositiveQuantity(target.averageValue, path.child('averageValue')));
  if (target.averageUtilization !== undefined && target.averageUtilization < 1) {
    errs.push(invalidValue(path.child('averageUtilization'), target.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function validateMetric(metric: MetricSpec, path: FieldPath): FieldError[] {
  if (!metric.type) return [required(path.child('type'), 'must specify a metric source type')];
  const expected = METRIC_SOURCES[metric.type];
  if (!expected) return [notSupported(path.child('type'), metric.type, Object.keys(METRIC_SOURCES))];
  const errs: FieldError[] = [];
  for (const field of Object.values(METRIC_SOURCES)) {
    if (field !== expected && metric[field] !== undefined) errs.push(forbidden(path.child(field), 'must populate the given metric source only'));
  }
  const source = metric[expected] as { name?: string; target?: MetricTarget; metric?: { name?: string } } | undefined;
  if (!source) return [...errs, required(path.child(expected), 'must populate information for the given metric source')];
  const sourcePath = path.child(expected);
  if (expected === 'resource' || expected === 'containerResource') {
    if (!source.name) errs.push(required(sourcePath.child('name'), 'must specify a resource name'));
  } else if (!source.metric?.name) {
    errs.push(required(sourcePath.child('metric', 'name'), 'must specify a metric name'));
  }
  errs.push(...validateTarget(source.target, sourcePath.child('target')));
  return errs;
}

function validateRules(rules: HPAScalingRules | undefined, path: FieldPath): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && (window < 0 || window > MAX_STABILIZATION_WINDOW_SECONDS)) {
    errs.push(invalidValue(path.child('stabilizationWindowSeconds'), window, inclusiveRangeError(0, MAX_STABILIZATION_WINDOW_SECONDS)));
  }
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy)) {
    errs.push(notSupported(path.child('selectPolicy'), rules.selectPolicy, SELECT_POLICIES));
  }
  if (rules.policies?.length === 0) errs.push(required(path.child('policies'), 'must specify at least one Policy'));
  (rules.policies ?? []).forEach((p, i) => {
    const pp = path.child('policies').index(i);
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(notSupported(pp.child('type'), p.type, ['Percent', 'Pods']));
    if (!(p.value > 0)) errs.push(invalidValue(pp.child('value'), p.value, 'must be greater than zero'));
    if (!(p.periodSeconds > 0)) errs.push(invalidValue(pp.child('periodSeconds'), p.periodSeconds, 'must be greater than zero'));
  });
  return errs;
}

/** ValidateHorizontalPodAutoscalerSpec's essentials. */
export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): FieldError[] {
  const spec = hpa.spec;
  const errs: FieldError[] = [];
  const ref = spec?.scaleTargetRef;
  const refPath = SPEC.child('scaleTargetRef');
  if (!ref?.kind) errs.push(required(refPath.child('kind')));
  else errs.push(...invalidEach(refPath.child('kind'), ref.kind, isValidPathSegmentName(ref.kind)));
  if (!ref?.name) errs.push(required(refPath.child('name')));
  else errs.push(...invalidEach(refPath.child('name'), ref.name, isValidPathSegmentName(ref.name)));
  const min = spec?.minReplicas;
  const max = spec?.maxReplicas ?? 0;
  if (min !== undefined && min < 1) errs.push(invalidValue(SPEC.child('minReplicas'), min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalidValue(SPEC.child('maxReplicas'), max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(invalidValue(SPEC.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  (spec?.metrics ?? []).forEach((m, i) => errs.push(...validateMetric(m, SPEC.child('metrics').index(i))));
  errs.push(...validateRules(spec?.behavior?.scaleUp, SPEC.child('behavior', 'scaleUp')));
  errs.push(...validateRules(spec?.behavior?.scaleDown, SPEC.child('behavior', 'scaleDown')));
  return errs;
}

/** printHorizontalPodAutoscaler's columns, over the v2 shape (v1 converts first). */
export const hpaColumns: readonly TableColumn<HorizontalPodAutoscalerObject>[] = [
  {
    name: 'Reference',
    type: 'string',
    description: 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
    cell: (h) => `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}`,
  },
  {
    name: 'Targets',
    type: 'string',
    description: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).',
    cell: (h) => hpaTargetsCell(h.spec?.metrics, h.status?.currentMetrics),
  },
  {
    name: 'MinPods',
    type: 'string',
    description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.',
    cell: (h) => (h.spec?.minReplicas === undefined ? '<unset>' : String(h.spec.minReplicas)),
  },
  {
    name: 'MaxPods',
    type: 'string',
    description: 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.',
    cell: (h) => h.spec?.maxReplicas ?? 0,
  },
  {
    name: 'Replicas',
    type: 'string',
    description: 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
    cell: (h) => h.status?.currentReplicas ?? 0,
  },
  ageColumn,
];

/** What autoscaling/v1 and v2 HorizontalPodAutoscalers share: names, scope, and one storage. */
export const HPA_IDENTITY = {
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: { status: true },
  storageResource: 'horizontalpodautoscalers',
} as const;

export const horizontalPodAutoscalersV2: ResourceType<HorizontalPodAutoscalerObject> = {
  ...HPA_IDENTITY,
  version: 'v2',
  strategy: {
    defaults: defaultHorizontalPodAutoscaler,
    validate: validateHorizontalPodAutoscaler,
  },
  table: hpaColumns,
};
