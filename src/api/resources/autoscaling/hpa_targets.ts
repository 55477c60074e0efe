/**
 * The TARGETS cell of `kubectl get hpa` (formatHPAMetrics): `cpu: 45%/80%`,
 * `memory: <unknown>/500Mi`, `2/5 (avg)`, at most two metrics then `+ N more...`.
 */
import type { MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2.js';
import { Quantity } from '../../quantity.js';

const MAX_SHOWN = 2;
const UNKNOWN = '<unknown>';

/** Quantity.String(): the canonical form, as the printers show quantities. */
function q(value: string | undefined): string {
  if (value === undefined) return '0';
  return Quantity.tryParse(value)?.toString() ?? value;
}

/** Object and External metrics: an average value `(avg)`, or a plain value. */
function valueOrAverage(target: MetricTarget, current: MetricValueStatus | undefined): string {
  if (target.averageValue !== undefined) {
    const now = current?.averageValue !== undefined ? q(current.averageValue) : UNKNOWN;
    return `${now}/${q(target.averageValue)} (avg)`;
  }
  return `${current ? q(current.value) : UNKNOWN}/${q(target.value)}`;
}

/** Resource and ContainerResource metrics: `name: current/target`, as a value or a utilization. */
function resourceTarget(name: string, target: MetricTarget, current: MetricValueStatus | undefined): string {
  if (target.averageValue !== undefined) {
    return `${name}: ${current ? q(current.averageValue) : UNKNOWN}/${q(target.averageValue)}`;
  }
  const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : UNKNOWN;
  const goal = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${goal}`;
}

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
      return spec.external ? valueOrAverage(spec.external.target, status?.external?.current) : '<unknown type>';
    case 'Pods':
      return spec.pods ? `${status?.pods ? q(status.pods.current.averageValue) : UNKNOWN}/${q(spec.pods.target.averageValue)}` : '<unknown type>';
    case 'Object':
      return spec.object ? valueOrAverage(spec.object.target, status?.object?.current) : '<unknown type>';
    case 'Resource':
      return spec.resource ? resourceTarget(spec.resource.name, spec.resource.target, status?.resource?.current) : '<unknown type>';
    case 'ContainerResource':
      return spec.containerResource
        ? resourceTarget(spec.containerResource.name, spec.containerResource.target, status?.containerResource?.current)
        : '<unknown type>';
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: each metric's current value against its target, statuses matched by index. */
export function hpaTargetsCell(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((spec, i) => formatMetric(spec, statuses?.[i]));
  if (list.length <= MAX_SHOWN) return list.join(', ');
  return `${list.slice(0, MAX_SHOWN).join(', ')} + ${list.length - MAX_SHOWN} more...`;
}
