/**
 * The namespace controller: when a namespace is being deleted, delete everything in it (every
 * namespaced resource the server serves, found by discovery), wait until it is all gone, then
 * remove the `kubernetes` finalizer through the finalize subresource, after which the API
 * server removes the namespace. One key per namespace; level-based: each sync looks at what is
 * there now.
 */
import type { Logger } from 'pino';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { isStatusError } from '../api/errors.js';
import type { KubeObject } from '../api/object.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import type { Informer } from '../client/informer.js';
import { sharedInformer } from '../client/shared_informers.js';
import { WorkQueue } from '../client/work_queue.js';

type NamespaceObject = Namespace & KubeObject;

const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const FINALIZER = 'kubernetes';
/** How soon a namespace whose content is still going is looked at again. */
const RECHECK_MS = 1000;
/** Discovery answers are reused this long: resources come and go rarely (CRDs). */
const DISCOVERY_TTL_MS = 10_000;

interface ApiResource {
  name: string;
  namespaced: boolean;
  verbs: string[];
}

export class NamespaceController {
  readonly name = 'namespace';
  private readonly informer: Informer<NamespaceObject>;
  private readonly queue = new WorkQueue();
  private discovered: { at: number; resources: ResourceRef[] } | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly logger?: Logger,
  ) {
    this.informer = sharedInformer<NamespaceObject>({ client, resource: NAMESPACES, onError: (err) => this.logger?.warn({ err }, 'namespace informer') });
    const enqueue = (ns: NamespaceObject): void => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    this.informer.addEventHandler({ add: enqueue, update: (_old, ns) => enqueue(ns) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([
      this.informer.run(signal),
      this.queue.run((key) => this.sync(key), signal, (key, err) => this.logger?.warn({ err, namespace: key }, 'namespace sync failed')),
    ]);
  }

  private async sync(name: string): Promise<void> {
    const ns = this.informer.get(name);
    if (!ns?.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(FINALIZER)) return;
    let remaining = 0;
    for (const ref of await this.namespacedResources()) remaining += await this.deleteAll(ref, name);
    if (remaining > 0) {
      this.queue.addAfter(name, RECHECK_MS);
      return;
    }
    const finalized = { ...ns, spec: { ...ns.spec, finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER) } };
    try {
      await this.client.update(NAMESPACES, finalized, 'finalize');
    } catch (err) {
      if (!isStatusError(err, 'NotFound') && !isStatusError(err, 'Conflict')) throw err;
      if (isStatusError(err, 'Conflict')) this.queue.add(name);
    }
  }

  /** Deletes what the namespace holds of one resource; resolves to how many remain. */
  private async deleteAll(ref: ResourceRef, namespace: string): Promise<number> {
    try {
      const before = await this.client.list(ref, namespace, { limit: '1' });
      if (before.items.length === 0) return 0;
      await this.client.deleteCollection(ref, namespace, { propagationPolicy: 'Background' });
      return (await this.client.list(ref, namespace, { limit: '1' })).items.length;
    } catch (err) {
      // A resource that went away meanwhile (a CRD deleted) holds nothing.
      if (isStatusError(err, 'NotFound')) return 0;
      throw err;
    }
  }

  private async namespacedResources(): Promise<ResourceRef[]> {
    if (this.discovered && Date.now() - this.discovered.at < DISCOVERY_TTL_MS) return this.discovered.resources;
    const groupVersions: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
    const groups = await this.client.request<{ groups: { name: string; preferredVersion: { version: string } }[] }>('GET', '/apis');
    for (const g of groups.groups) groupVersions.push({ group: g.name, version: g.preferredVersion.version });
    const resources: ResourceRef[] = [];
    for (const { group, version } of groupVersions) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      const list = await this.client.request<{ resources: ApiResource[] }>('GET', path);
      for (const r of list.resources) {
        if (!r.namespaced || r.name.includes('/') || !r.verbs.includes('deletecollection') || !r.verbs.includes('list')) continue;
        resources.push({ group, version, resource: r.name, namespaced: true });
      }
    }
    this.discovered = { at: Date.now(), resources };
    return resources;
  }
}
