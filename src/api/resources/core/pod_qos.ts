/**
 * A pod's quality-of-service class (status.qosClass), as qos.GetPodQOS decides it:
 * BestEffort without any cpu or memory request or limit, Guaranteed when every container limits
 * both and requests equal limits, Burstable otherwise.
 */
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../quantity.js';

const QOS_RESOURCES = ['cpu', 'memory'];

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export function podQOSClass(spec: PodSpec | undefined): QOSClass {
  const containers: Container[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const addTo = (m: Map<string, Quantity>, name: string, q: Quantity): void => {
    const prev = m.get(name);
    m.set(name, prev ? prev.add(q) : q);
  };
  for (const c of containers) {
    for (const [name, value] of Object.entries(c.resources?.requests ?? {})) {
      if (!QOS_RESOURCES.includes(name)) continue;
      const q = Quantity.tryParse(value);
      if (q && !q.isZero()) addTo(requests, name, q);
    }
    const limited = new Set<string>();
    for (const [name, value] of Object.entries(c.resources?.limits ?? {})) {
      if (!QOS_RESOURCES.includes(name)) continue;
      const q = Quantity.tryParse(value);
      if (q && !q.isZero()) {
        limited.add(name);
        addTo(limits, name, q);
      }
    }
    if (!QOS_RESOURCES.every((r) => limited.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
