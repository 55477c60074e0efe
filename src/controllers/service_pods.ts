/**
 * What the endpoints and endpoint slice controllers share: informers of Services and Pods that
 * turn every change into the keys of the Services it may affect, and the rules that decide
 * which pods back a Service, whether they are ready, and which port a target port names.
 */
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { objectKey } from '../api/object.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import type { Informer } from '../client/informer.js';
import { sharedInformer } from '../client/shared_informers.js';
import { InformerIndex, byNamespace } from '../client/informer_index.js';

export type ServiceObject = Service & KubeObject;
export type PodObject = Pod & KubeObject;

const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

/** Services and Pods, each change enqueued as the `namespace/name` of the Services concerned. */
export class ServicePodInformers {
  readonly services: Informer<ServiceObject>;
  readonly pods: Informer<PodObject>;
  private readonly servicesByNamespace: InformerIndex<ServiceObject>;
  private readonly podsByNamespace: InformerIndex<PodObject>;

  constructor(client: ApiClient, enqueue: (serviceKey: string) => void, onError: (err: unknown) => void) {
    this.services = sharedInformer({ client, resource: SERVICES, onError });
    this.pods = sharedInformer({ client, resource: PODS, onError });
    // Before the handlers below, which read them.
    this.servicesByNamespace = new InformerIndex(this.services, byNamespace);
    this.podsByNamespace = new InformerIndex(this.pods, byNamespace);
    const service = (svc: ServiceObject): void => enqueue(objectKey(svc));
    this.services.addEventHandler({ add: service, update: (_old, svc) => service(svc), delete: service });
    const pod = (pods: PodObject[]): void => {
      const keys = new Set<string>();
      for (const p of pods) for (const svc of this.servicesSelecting(p)) keys.add(objectKey(svc));
      for (const key of keys) enqueue(key);
    };
    this.pods.addEventHandler({ add: (p) => pod([p]), update: (old, p) => pod([old, p]), delete: (p) => pod([p]) });
  }

  run(signal: AbortSignal): Promise<void>[] {
    return [this.services.run(signal), this.pods.run(signal)];
  }

  synced(): Promise<void>[] {
    return [this.services.waitForSync(), this.pods.waitForSync()];
  }

  /** The pods in the service's namespace its selector matches (none without a selector). */
  podsFor(svc: ServiceObject): PodObject[] {
    const selector = svc.spec?.selector;
    if (!selector) return [];
    return this.podsByNamespace.get(svc.metadata.namespace ?? '').filter((p) => selects(selector, p.metadata.labels));
  }

  private servicesSelecting(pod: PodObject): ServiceObject[] {
    return this.servicesByNamespace.get(pod.metadata.namespace ?? '').filter((s) => s.spec?.selector && selects(s.spec.selector, pod.metadata.labels));
  }
}

/** Whether a Service's equality selector matches `labels`; an empty selector matches nothing, as Kubernetes. */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/** Whether the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Whether the pod appears among the service's endpoints at all: it has an IP, has not finished,
 * and is not terminating (unless the service publishes not-ready addresses).
 */
export function shouldPublish(pod: PodObject, svc: Service): boolean {
  if (!pod.status?.podIP) return false;
  const phase = pod.status.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (pod.metadata.deletionTimestamp) return svc.spec?.publishNotReadyAddresses === true;
  return true;
}

/** The pod's port a service port sends to: a number as is, a name looked up in the pod's containers. */
export function resolveTargetPort(port: ServicePort, pod: Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** Object reference to a pod, as endpoints carry it. */
export function podReference(pod: PodObject): { kind: 'Pod'; namespace?: string; name?: string; uid?: string } {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}
