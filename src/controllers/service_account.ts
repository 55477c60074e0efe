/**
 * The service account controller: every namespace that is not being deleted has a ServiceAccount
 * named `default`, created when the namespace appears and again whenever it is deleted. One key
 * per namespace.
 */
import type { Logger } from 'pino';
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { isStatusError } from '../api/errors.js';
import type { KubeObject } from '../api/object.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import type { Informer } from '../client/informer.js';
import { sharedInformer } from '../client/shared_informers.js';
import { WorkQueue } from '../client/work_queue.js';
import { waitForCacheSync } from './cache_sync.js';

const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const SERVICE_ACCOUNTS: ResourceRef = { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true };
/** The service accounts every namespace has (Kubernetes' --service-account-names default). */
const NAME = 'default';

export class ServiceAccountController {
  readonly name = 'serviceaccount';
  private readonly namespaces: Informer<Namespace & KubeObject>;
  private readonly serviceAccounts: Informer<ServiceAccount & KubeObject>;
  private readonly queue = new WorkQueue();

  constructor(
    private readonly client: ApiClient,
    private readonly logger?: Logger,
  ) {
    const onError = (err: unknown): void => this.logger?.warn({ err }, 'service account informer');
    this.namespaces = sharedInformer({ client, resource: NAMESPACES, onError });
    // Only the accounts this controller keeps, so that the cache stays small.
    this.serviceAccounts = sharedInformer({ client, resource: SERVICE_ACCOUNTS, fieldSelector: `metadata.name=${NAME}`, onError });
    this.namespaces.addEventHandler({ add: (ns) => this.queue.add(ns.metadata.name ?? ''), update: (_old, ns) => this.queue.add(ns.metadata.name ?? '') });
    this.serviceAccounts.addEventHandler({ delete: (sa) => this.queue.add(sa.metadata.namespace ?? '') });
  }

  async run(signal: AbortSignal): Promise<void> {
    const informers = [this.namespaces.run(signal), this.serviceAccounts.run(signal)];
    await waitForCacheSync(signal, [this.namespaces.waitForSync(), this.serviceAccounts.waitForSync()]);
    await Promise.all([
      ...informers,
      this.queue.run((key) => this.sync(key), signal, (key, err) => this.logger?.warn({ err, namespace: key }, 'service account sync failed')),
    ]);
  }

  private async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    if (this.serviceAccounts.get(`${namespace}/${NAME}`)) return;
    const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, namespace } };
    try {
      await this.client.create(SERVICE_ACCOUNTS, namespace, sa as KubeObject);
    } catch (err) {
      // Already there (the cache lags), or the namespace began terminating meanwhile: done.
      if (!isStatusError(err, 'AlreadyExists') && !isStatusError(err, 'Forbidden') && !isStatusError(err, 'NotFound')) throw err;
    }
  }
}
