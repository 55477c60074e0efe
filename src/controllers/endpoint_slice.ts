/**
 * The endpoint slice controller: for every Service with a selector, discovery.k8s.io/v1
 * EndpointSlices named `<service>-<random>` (labelled `kubernetes.io/service-name`, owned by
 * the Service, so the garbage collector removes them with it) listing the pods the selector
 * matches that have an IP, with ready/serving/terminating conditions. Pods are grouped by
 * address family and resolved ports, at most 100 to a slice; a Service without pods keeps one
 * empty slice. Services without a selector (the API server's own `kubernetes`, labelled
 * skip-mirror) are left alone. One key per Service; slices it created and has not seen yet are
 * remembered (expectations), so that a lagging cache does not make it create them twice.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isStatusError } from '../api/errors.js';
import type { KubeObject } from '../api/object.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import type { Informer } from '../client/informer.js';
import { sharedInformer } from '../client/shared_informers.js';
import { InformerIndex, byControllerUid } from '../client/informer_index.js';
import { WorkQueue } from '../client/work_queue.js';
import { waitForCacheSync } from './cache_sync.js';
import { endpointsLabels } from './endpoints.js';
import { ServicePodInformers, isPodReady, podReference, resolveTargetPort, shouldPublish, type PodObject, type ServiceObject } from './service_pods.js';

type SliceObject = EndpointSlice & KubeObject;

const SLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true };
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'endpointslice-controller.k8s.io';
/** Kubernetes' default --max-endpoints-per-slice. */
const MAX_ENDPOINTS = 100;
/** How long created slices are waited for before the cache is trusted again. */
const EXPECTATION_TIMEOUT_MS = 10_000;

/** One slice's content. */
interface DesiredSlice {
  addressType: 'IPv4' | 'IPv6';
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

export class EndpointSliceController {
  readonly name = 'endpointslice';
  private readonly queue = new WorkQueue();
  private readonly inputs: ServicePodInformers;
  private readonly slices: Informer<SliceObject>;
  /** Slices by the uid of the Service that owns them. */
  private readonly slicesByService: InformerIndex<SliceObject>;
  /** Per Service key: names of slices created and not yet in the cache, and since when. */
  private readonly expected = new Map<string, { names: Set<string>; since: number }>();

  constructor(
    private readonly client: ApiClient,
    private readonly logger?: Logger,
  ) {
    const onError = (err: unknown): void => this.logger?.warn({ err }, 'endpoint slice informer');
    this.inputs = new ServicePodInformers(client, (key) => this.queue.add(key), onError);
    this.slices = sharedInformer({ client, resource: SLICES, labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}`, onError });
    this.slicesByService = new InformerIndex(this.slices, byControllerUid);
    const sliceChanged = (slice: SliceObject): void => {
      const key = serviceKeyOf(slice);
      if (!key) return;
      const pending = this.expected.get(key);
      pending?.names.delete(slice.metadata.name ?? '');
      if (pending?.names.size === 0) this.expected.delete(key);
      this.queue.add(key);
    };
    this.slices.addEventHandler({ add: sliceChanged, update: (_old, s) => sliceChanged(s), delete: sliceChanged });
  }

  async run(signal: AbortSignal): Promise<void> {
    const informers = [...this.inputs.run(signal), this.slices.run(signal)];
    await waitForCacheSync(signal, [...this.inputs.synced(), this.slices.waitForSync()]);
    await Promise.all([
      ...informers,
      this.queue.run((key) => this.sync(key), signal, (key, err) => this.logger?.[isStatusError(err, 'Conflict') ? 'debug' : 'warn']({ err, service: key }, 'endpoint slice sync failed, retrying')),
    ]);
  }

  private async sync(key: string): Promise<void> {
    const svc = this.inputs.services.get(key);
    // A deleted Service's slices go with it through their ownerReference (garbage collector).
    if (!svc?.spec?.selector || svc.metadata.deletionTimestamp) return;
    const pending = this.expected.get(key);
    if (pending && Date.now() - pending.since < EXPECTATION_TIMEOUT_MS) return; // their add events sync again
    this.expected.delete(key);

    const labels = { ...endpointsLabels(svc), [SERVICE_NAME_LABEL]: svc.metadata.name ?? '', [MANAGED_BY_LABEL]: MANAGED_BY };
    // Slices of an earlier Service of the same name are the garbage collector's.
    const existing = this.slicesByService.get(svc.metadata.uid ?? '');
    const desired = desiredSlices(svc, this.inputs.podsFor(svc));
    // Slices already right stay; the others are rewritten in place, then created or deleted.
    const unchanged = new Set<SliceObject>();
    const toWrite: DesiredSlice[] = [];
    for (const d of desired) {
      const same = existing.find((s) => !unchanged.has(s) && sameSlice(s, d, labels));
      if (same) unchanged.add(same);
      else toWrite.push(d);
    }
    const reusable = existing.filter((s) => !unchanged.has(s));
    const created: string[] = [];
    for (const d of toWrite) {
      const i = reusable.findIndex((s) => s.addressType === d.addressType);
      if (i >= 0) {
        const slice = reusable.splice(i, 1)[0] as SliceObject;
        await this.client.update(SLICES, { ...slice, metadata: { ...slice.metadata, labels }, ...d });
        continue;
      }
      const slice: SliceObject = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: `${svc.metadata.name ?? ''}-`,
          namespace: svc.metadata.namespace,
          labels,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
        },
        ...d,
      };
      const made = await this.client.create<SliceObject>(SLICES, svc.metadata.namespace, slice);
      created.push(made.metadata.name ?? '');
      // Remembered before anything else can fail, so the next sync waits for it.
      this.expect(key, made.metadata.name ?? '');
    }
    for (const slice of reusable) await this.deleteSlice(slice);
    if (created.length > 0) this.logger?.debug({ service: key, created }, 'endpoint slices created');
  }

  private expect(key: string, name: string): void {
    if (this.slices.get(`${key.split('/')[0]}/${name}`)) return; // seen already
    const pending = this.expected.get(key) ?? { names: new Set<string>(), since: Date.now() };
    pending.names.add(name);
    this.expected.set(key, pending);
    this.queue.addAfter(key, EXPECTATION_TIMEOUT_MS);
  }

  private async deleteSlice(slice: SliceObject): Promise<void> {
    try {
      await this.client.delete(SLICES, slice.metadata.namespace, slice.metadata.name ?? '');
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}

function serviceKeyOf(slice: SliceObject): string | undefined {
  const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}

function sameSlice(slice: SliceObject, d: DesiredSlice, labels: Record<string, string>): boolean {
  return (
    slice.addressType === d.addressType &&
    isDeepStrictEqual(slice.ports ?? [], d.ports) &&
    isDeepStrictEqual(slice.endpoints ?? [], d.endpoints) &&
    isDeepStrictEqual(slice.metadata.labels ?? {}, labels)
  );
}

/** The slices a Service should have: by address family and resolved ports, 100 endpoints at most each. */
export function desiredSlices(svc: ServiceObject, pods: PodObject[]): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  const servicePorts = svc.spec?.ports ?? [];
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  for (const pod of pods) {
    if (!shouldPublish(pod, svc)) continue;
    const ip = pod.status?.podIP ?? '';
    const addressType = ip.includes(':') ? 'IPv6' : 'IPv4';
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    if (servicePorts.length > 0 && ports.length === 0) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.port ?? 0) - (b.port ?? 0));
    const groupKey = `${addressType} ${JSON.stringify(ports)}`;
    let group = groups.get(groupKey);
    if (!group) groups.set(groupKey, (group = { addressType, ports, endpoints: [] }));
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const podReady = isPodReady(pod);
    const endpoint: Endpoint = {
      addresses: [ip],
      conditions: { ready: publishNotReady || (podReady && !terminating), serving: podReady, terminating },
      targetRef: podReference(pod),
    };
    if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name) endpoint.hostname = pod.spec.hostname;
    group.endpoints.push(endpoint);
  }
  const slices: DesiredSlice[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key) as DesiredSlice;
    g.endpoints.sort((a, b) => (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? '') || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? ''));
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS) slices.push({ ...g, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS) });
  }
  // A Service without endpoints keeps one empty slice, as Kubernetes' placeholder.
  if (slices.length === 0) slices.push({ addressType: 'IPv4', ports: [], endpoints: [] });
  return slices;
}
