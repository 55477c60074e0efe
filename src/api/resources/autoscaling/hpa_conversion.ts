/**
 * Conversion between autoscaling/v1 HPAs and the stored autoscaling/v2 form, as
 * pkg/apis/autoscaling/v1's conversion does. v1 knows one target, the CPU utilization; the
 * rest of v2 rides along in annotations so that a v1 read-modify-write loses nothing:
 *   autoscaling.alpha.kubernetes.io/metrics          other metric targets (v1 metric shape)
 *   autoscaling.alpha.kubernetes.io/current-metrics  status.currentMetrics (v1 metric shape)
 *   autoscaling.alpha.kubernetes.io/conditions       status.conditions
 *   autoscaling.alpha.kubernetes.io/behavior         spec.behavior (v2 shape)
 * The v2 object never carries these annotations: they are consumed on the way in.
 */
import type {
  HorizontalPodAutoscaler as HPAv1,
  HorizontalPodAutoscalerSpec as HPAv1Spec,
  HorizontalPodAutoscalerStatus as HPAv1Status,
} from 'kubernetes-types/autoscaling/v1.js';
import type {
  HorizontalPodAutoscaler as HPAv2,
  HorizontalPodAutoscalerSpec,
  HorizontalPodAutoscalerStatus,
  MetricSpec,
} from 'kubernetes-types/autoscaling/v2.js';
import { deepCopy, type KubeObject, type ObjectMeta } from '../../object.js';
import { cpuUtilizationMetric, DEFAULT_CPU_UTILIZATION } from './hpa_v2.js';
import { metricSpecFromV1, metricSpecToV1, metricStatusFromV1, metricStatusToV1, type MetricSpecV1, type MetricStatusV1 } from './metrics_v1.js';

export type HPAv1Object = HPAv1 & KubeObject;
export type HPAv2Object = HPAv2 & KubeObject;

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';

/** Is this the CPU utilization target that v1's targetCPUUtilizationPercentage stands for? */
function isCpuUtilization(m: MetricSpec): boolean {
  return m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.averageUtilization !== undefined;
}

/** Takes an annotation out of `meta`, parsed; undefined when absent or not JSON. */
function takeAnnotation<T>(meta: ObjectMeta, key: string): T | undefined {
  const text = meta.annotations?.[key];
  if (text === undefined) return undefined;
  delete meta.annotations?.[key];
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** autoscaling/v1 → autoscaling/v2 (Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler). */
export function hpaV1ToV2(v1: HPAv1Object): HPAv2Object {
  const metadata = deepCopy(v1.metadata);
  const spec = v1.spec;
  const metrics: MetricSpec[] = (takeAnnotation<MetricSpecV1[]>(metadata, METRIC_SPECS_ANNOTATION) ?? []).map(metricSpecFromV1);
  const current = takeAnnotation<MetricStatusV1[]>(metadata, METRIC_STATUSES_ANNOTATION);
  if (spec?.targetCPUUtilizationPercentage !== undefined) {
    // Kubernetes appends the CPU target; kts puts it back where the (index-matched) statuses
    // have it, so that a v1 read-modify-write keeps targets and statuses aligned.
    const at = current?.findIndex((m) => m.type === 'Resource' && m.resource?.name === 'cpu') ?? -1;
    metrics.splice(at >= 0 && at <= metrics.length ? at : metrics.length, 0, cpuUtilizationMetric(spec.targetCPUUtilizationPercentage));
  }
  // v1 had an implicit CPU target, applied explicitly from v2 on.
  if (metrics.length === 0) metrics.push(cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION));
  const outSpec: HorizontalPodAutoscalerSpec = { scaleTargetRef: deepCopy(spec?.scaleTargetRef ?? { kind: '', name: '' }), maxReplicas: spec?.maxReplicas ?? 0, metrics };
  if (spec?.minReplicas !== undefined) outSpec.minReplicas = spec.minReplicas;
  const behavior = takeAnnotation<HorizontalPodAutoscalerSpec['behavior']>(metadata, BEHAVIOR_ANNOTATION);
  if (behavior) outSpec.behavior = behavior;
  const out: HPAv2Object = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: outSpec };

  const s = v1.status;
  const status: HorizontalPodAutoscalerStatus = { desiredReplicas: s?.desiredReplicas ?? 0 };
  if (s?.observedGeneration !== undefined) status.observedGeneration = s.observedGeneration;
  if (s?.lastScaleTime !== undefined) status.lastScaleTime = s.lastScaleTime;
  if (s?.currentReplicas !== undefined) status.currentReplicas = s.currentReplicas;
  if (current) status.currentMetrics = current.map(metricStatusFromV1);
  else if (s?.currentCPUUtilizationPercentage !== undefined) {
    status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }];
  }
  const conditions = takeAnnotation<HorizontalPodAutoscalerStatus['conditions']>(metadata, CONDITIONS_ANNOTATION);
  if (conditions) status.conditions = conditions;
  if (v1.status !== undefined || current || conditions) (out as KubeObject).status = status;
  if (metadata.annotations && Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  return out;
}

/** autoscaling/v2 → autoscaling/v1 (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler). */
export function hpaV2ToV1(v2: KubeObject): HPAv1Object {
  const hpa = v2 as HPAv2Object;
  const metadata = deepCopy(hpa.metadata);
  const spec = hpa.spec;
  const outSpec: HPAv1Spec = { scaleTargetRef: deepCopy(spec?.scaleTargetRef ?? { kind: '', name: '' }), maxReplicas: spec?.maxReplicas ?? 0 };
  if (spec?.minReplicas !== undefined) outSpec.minReplicas = spec.minReplicas;
  // The first CPU resource metric decides, as in Kubernetes (a CPU average value leaves it unset).
  const cpu = (spec?.metrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const cpuTarget = cpu?.resource?.target.averageUtilization;
  if (cpuTarget !== undefined) outSpec.targetCPUUtilizationPercentage = cpuTarget;
  const out: HPAv1Object = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: outSpec };

  const annotations: Record<string, string> = {};
  const others = (spec?.metrics ?? []).filter((m) => !isCpuUtilization(m)).map(metricSpecToV1);
  if (others.length > 0) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others);
  const s = hpa.status;
  // The status is saved even when it maps to the CPU percentage, to keep the raw values.
  if (s?.currentMetrics?.length) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(s.currentMetrics.map(metricStatusToV1));
  if (s?.conditions?.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(s.conditions);
  if (spec?.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  if (Object.keys(annotations).length > 0) metadata.annotations = { ...(metadata.annotations ?? {}), ...annotations };

  if (s) {
    // v1 always writes both replica counts.
    const status: HPAv1Status = { currentReplicas: s.currentReplicas ?? 0, desiredReplicas: s.desiredReplicas ?? 0 };
    if (s.observedGeneration !== undefined) status.observedGeneration = s.observedGeneration;
    if (s.lastScaleTime !== undefined) status.lastScaleTime = s.lastScaleTime;
    const cpuNow = s.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current.averageUtilization;
    if (cpuNow !== undefined) status.currentCPUUtilizationPercentage = cpuNow;
    (out as KubeObject).status = status;
  }
  return out;
}
