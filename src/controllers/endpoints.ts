/**
 * The endpoints controller: for every Service with a selector, an Endpoints object of the same
 * name listing the pods the selector matches that have an IP: ready ones under `addresses`, the
 * others under `notReadyAddresses` (all ready with publishNotReadyAddresses), grouped into
 * subsets by the ports their target ports resolve to. Services without a selector (the API
 * server's own `kubernetes`, user-managed endpoints) are left alone. One key per Service.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints } from 'kubernetes-types/core/v1.js';
import { isStatusError } from '../api/errors.js';
import { objectKey, type KubeObject } from '../api/object.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import type { Informer } from '../client/informer.js';
import { sharedInformer } from '../client/shared_informers.js';
import { WorkQueue } from '../client/work_queue.js';
import { waitForCacheSync } from './cache_sync.js';
import {
  ServicePodInformers,
  isPodReady,
  podReference,
  resolveTargetPort,
  shouldPublish,
  type PodObject,
  type ServiceObject,
} from './service_pods.js';

type EndpointsObject = Endpoints & KubeObject;

const ENDPOINTS: ResourceRef = { group: '', version: 'v1', resource: 'endpoints', namespaced: true };
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export class EndpointsController {
  readonly name = 'endpoints';
  private readonly queue = new WorkQueue();
  private readonly inputs: ServicePodInformers;
  private readonly endpoints: Informer<EndpointsObject>;

  constructor(
    private readonly client: ApiClient,
    private readonly logger?: Logger,
  ) {
    const onError = (err: unknown): void => this.logger?.warn({ err }, 'endpoints informer');
    this.inputs = new ServicePodInformers(client, (key) => this.queue.add(key), onError);
    this.endpoints = sharedInformer({ client, resource: ENDPOINTS, onError });
    // Endpoints deleted behind its back come back; others it changes only when inputs change.
    this.endpoints.addEventHandler({ delete: (ep) => this.queue.add(objectKey(ep)) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const informers = [...this.inputs.run(signal), this.endpoints.run(signal)];
    await waitForCacheSync(signal, [...this.inputs.synced(), this.endpoints.waitForSync()]);
    // Endpoints left over from Services deleted while kts was down.
    for (const ep of this.endpoints.list()) this.queue.add(objectKey(ep));
    await Promise.all([
      ...informers,
      this.queue.run((key) => this.sync(key), signal, (key, err) => this.logger?.[isStatusError(err, 'Conflict') ? 'debug' : 'warn']({ err, service: key }, 'endpoints sync failed, retrying')),
    ]);
  }

  private async sync(key: string): Promise<void> {
    const svc = this.inputs.services.get(key);
    const current = this.endpoints.get(key);
    if (!svc) {
      if (current) await this.deleteEndpoints(current);
      return;
    }
    if (!svc.spec?.selector) return;
    const subsets = endpointSubsets(svc, this.inputs.podsFor(svc));
    const labels = endpointsLabels(svc);
    if (current && isDeepStrictEqual(current.subsets ?? [], subsets) && isDeepStrictEqual(current.metadata.labels ?? {}, labels)) return;
    const { name, namespace } = svc.metadata;
    try {
      if (!current) {
        const ep: EndpointsObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets };
        await this.client.create(ENDPOINTS, namespace, ep);
      } else {
        // The cached resourceVersion makes a stale cache a Conflict, retried once it caught up.
        await this.client.update(ENDPOINTS, { ...current, metadata: { ...current.metadata, labels }, subsets });
      }
    } catch (err) {
      // The namespace is going away: nothing left to keep up to date.
      if (isStatusError(err, 'Forbidden') && /being terminated/.test(err.message)) return;
      throw err;
    }
  }

  private async deleteEndpoints(ep: EndpointsObject): Promise<void> {
    try {
      await this.client.delete(ENDPOINTS, ep.metadata.namespace, ep.metadata.name ?? '');
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}

/** The Service's labels, plus the headless marker for a Service without a cluster IP. */
export function endpointsLabels(svc: ServiceObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  return labels;
}

/** The subsets of a Service's Endpoints: pods grouped by their resolved ports, in a stable order. */
export function endpointSubsets(svc: ServiceObject, pods: PodObject[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const servicePorts = svc.spec?.ports ?? [];
  for (const pod of pods) {
    if (!shouldPublish(pod, svc)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    // A pod none of whose ports resolve serves nothing (a headless Service without ports keeps it).
    if (servicePorts.length > 0 && ports.length === 0) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const groupKey = JSON.stringify(ports);
    let group = groups.get(groupKey);
    if (!group) groups.set(groupKey, (group = { ports, ready: [], notReady: [] }));
    const address: EndpointAddress = { ip: pod.status?.podIP ?? '', targetRef: podReference(pod) };
    if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name) address.hostname = pod.spec.hostname;
    const ready = svc.spec?.publishNotReadyAddresses === true || isPodReady(pod);
    (ready ? group.ready : group.notReady).push(address);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
  return [...groups.keys()].sort().map((k) => {
    const g = groups.get(k) as { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] };
    const subset: EndpointSubset = {};
    if (g.ready.length > 0) subset.addresses = g.ready.sort(byIp);
    if (g.notReady.length > 0) subset.notReadyAddresses = g.notReady.sort(byIp);
    if (g.ports.length > 0) subset.ports = g.ports;
    return subset;
  });
}
