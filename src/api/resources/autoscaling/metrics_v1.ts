/**
 * The metric shapes autoscaling/v1 keeps in annotations (the v2beta1 layout: `targetAverageValue`,
 * `metricName`, ...), and their conversion to and from the autoscaling/v2 shapes, as
 * pkg/apis/autoscaling/v1's conversion functions do. Used by hpa_conversion.ts only.
 */
import type { MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

interface TargetRefV1 {
  kind: string;
  name: string;
  apiVersion?: string;
}

/** autoscaling/v1 MetricSpec (annotation `autoscaling.alpha.kubernetes.io/metrics`). */
export interface MetricSpecV1 {
  type: string;
  object?: { target: TargetRefV1; metricName: string; targetValue: string; selector?: LabelSelector; averageValue?: string };
  pods?: { metricName: string; targetAverageValue: string; selector?: LabelSelector };
  resource?: { name: string; targetAverageUtilization?: number; targetAverageValue?: string };
  containerResource?: { name: string; container: string; targetAverageUtilization?: number; targetAverageValue?: string };
  external?: { metricName: string; metricSelector?: LabelSelector; targetValue?: string; targetAverageValue?: string };
}

/** autoscaling/v1 MetricStatus (annotation `autoscaling.alpha.kubernetes.io/current-metrics`). */
export interface MetricStatusV1 {
  type: string;
  object?: { target: TargetRefV1; metricName: string; currentValue: string; selector?: LabelSelector; averageValue?: string };
  pods?: { metricName: string; currentAverageValue: string; selector?: LabelSelector };
  resource?: { name: string; currentAverageUtilization?: number; currentAverageValue: string };
  containerResource?: { name: string; container: string; currentAverageUtilization?: number; currentAverageValue: string };
  external?: { metricName: string; metricSelector?: LabelSelector; currentValue: string; currentAverageValue?: string };
}

/** Copies the properties that are set, leaving out the undefined ones (so JSON stays minimal). */
function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

function identifier(name: string, selector: LabelSelector | undefined): { name: string; selector?: LabelSelector } {
  return defined({ name, selector });
}

export function metricSpecToV1(m: MetricSpec): MetricSpecV1 {
  const out: MetricSpecV1 = { type: m.type };
  if (m.object) {
    const t = m.object.target;
    out.object = defined({
      target: m.object.describedObject,
      metricName: m.object.metric.name,
      targetValue: t.value ?? '0',
      selector: m.object.metric.selector,
      averageValue: t.averageValue,
    });
  }
  if (m.pods) out.pods = defined({ metricName: m.pods.metric.name, targetAverageValue: m.pods.target.averageValue ?? '0', selector: m.pods.metric.selector });
  if (m.resource) {
    out.resource = defined({ name: m.resource.name, targetAverageUtilization: m.resource.target.averageUtilization, targetAverageValue: m.resource.target.averageValue });
  }
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = defined({ name: c.name, container: c.container, targetAverageUtilization: c.target.averageUtilization, targetAverageValue: c.target.averageValue });
  }
  if (m.external) {
    const e = m.external;
    out.external = defined({ metricName: e.metric.name, metricSelector: e.metric.selector, targetValue: e.target.value, targetAverageValue: e.target.averageValue });
  }
  return out;
}

export function metricSpecFromV1(m: MetricSpecV1): MetricSpec {
  const out: MetricSpec = { type: m.type };
  if (m.object) {
    const o = m.object;
    out.object = {
      describedObject: o.target,
      metric: identifier(o.metricName, o.selector),
      target: defined({ type: o.averageValue === undefined ? 'Value' : 'AverageValue', value: o.targetValue, averageValue: o.averageValue }),
    };
  }
  if (m.pods) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue } };
  if (m.resource) {
    const r = m.resource;
    const type = r.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization';
    out.resource = { name: r.name, target: defined({ type, averageValue: r.targetAverageValue, averageUtilization: r.targetAverageUtilization }) };
  }
  if (m.containerResource) {
    const c = m.containerResource;
    const type = c.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization';
    out.containerResource = {
      name: c.name,
      container: c.container,
      target: defined({ type, averageValue: c.targetAverageValue, averageUtilization: c.targetAverageUtilization }),
    };
  }
  if (m.external) {
    const e = m.external;
    out.external = {
      metric: identifier(e.metricName, e.metricSelector),
      target: defined({ type: e.targetValue === undefined ? 'AverageValue' : 'Value', value: e.targetValue, averageValue: e.targetAverageValue }),
    };
  }
  return out;
}

export function metricStatusToV1(m: MetricStatus): MetricStatusV1 {
  const out: MetricStatusV1 = { type: m.type };
  if (m.object) {
    const o = m.object;
    out.object = defined({
      target: o.describedObject,
      metricName: o.metric.name,
      currentValue: o.current.value ?? '0',
      selector: o.metric.selector,
      averageValue: o.current.averageValue,
    });
  }
  if (m.pods) out.pods = defined({ metricName: m.pods.metric.name, currentAverageValue: m.pods.current.averageValue ?? '0', selector: m.pods.metric.selector });
  if (m.resource) {
    const r = m.resource;
    out.resource = defined({ name: r.name, currentAverageUtilization: r.current.averageUtilization, currentAverageValue: r.current.averageValue ?? '0' });
  }
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = defined({
      name: c.name,
      container: c.container,
      currentAverageUtilization: c.current.averageUtilization,
      currentAverageValue: c.current.averageValue ?? '0',
    });
  }
  if (m.external) {
    const e = m.external;
    out.external = defined({
      metricName: e.metric.name,
      metricSelector: e.metric.selector,
      currentValue: e.current.value ?? '0',
      currentAverageValue: e.current.averageValue,
    });
  }
  return out;
}

export function metricStatusFromV1(m: MetricStatusV1): MetricStatus {
  const out: MetricStatus = { type: m.type };
  if (m.object) {
    const o = m.object;
    out.object = { describedObject: o.target, metric: identifier(o.metricName, o.selector), current: defined({ value: o.currentValue, averageValue: o.averageValue }) };
  }
  if (m.pods) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), current: { averageValue: m.pods.currentAverageValue } };
  if (m.resource) {
    const r = m.resource;
    out.resource = { name: r.name, current: defined({ averageValue: r.currentAverageValue, averageUtilization: r.currentAverageUtilization }) };
  }
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = {
      name: c.name,
      container: c.container,
      current: defined({ averageValue: c.currentAverageValue, averageUtilization: c.currentAverageUtilization }),
    };
  }
  if (m.external) {
    const e = m.external;
    out.external = { metric: identifier(e.metricName, e.metricSelector), current: defined({ value: e.currentValue, averageValue: e.currentAverageValue }) };
  }
  return out;
}
