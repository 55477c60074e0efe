/**
 * The CRD controller: the part of the API server that apiextensions-apiserver is in
 * Kubernetes. It follows CustomResourceDefinitions through the CRD store's watch cache and,
 * per CRD (one key, one sync at a time, through a work queue):
 *   - accepts its names unless another CRD of the group holds them, and sets NamesAccepted and
 *     Established (crd_names.ts);
 *   - serves its served versions: ResourceTypes in the registry and schemas in OpenAPI
 *     (crd_serving.ts), before Established is written, so clients that wait for it can use them;
 *   - once it is deleted: deletes its custom resources, stops serving them, and removes the
 *     `customresourcecleanup.apiextensions.k8s.io` finalizer so the CRD goes (crd_finalizer.ts).
 * Being part of the API server, it reads and writes through the server's own stores.
 */
import type { Logger } from 'pino';
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { Registry } from '../../api/registry.js';
import {
  CRD_CLEANUP_FINALIZER,
  crdCondition,
  setCRDCondition,
  type CRDObject,
} from '../../api/resources/apiextensions/customresourcedefinition.js';
import { jsonEqual } from '../../api/validation/field.js';
import type { RegistryStore, RequestContext } from '../registry_store.js';
import { deleteAllInstances } from './crd_finalizer.js';
import { desiredNamesStatus } from './crd_names.js';
import { CrdServing, type DefinitionSink } from './crd_serving.js';
import { WorkQueue } from '../../client/work_queue.js';

export interface CrdControllerOptions {
  /** The customresourcedefinitions store: its watch cache is this controller's informer. */
  crds: RegistryStore;
  registry: Registry;
  /** The store of a served resource (where custom resources are deleted from). */
  storeFor(group: string, resource: string): RegistryStore | undefined;
  /** Where CRD schemas are published for `kubectl explain` (the OpenAPI service). */
  openapi?: DefinitionSink;
  logger?: Logger;
  /** The clock for condition times (ms). */
  now?: () => number;
}

/** Thrown by a sync that must run again later (custom resources still being deleted). */
class Requeue extends Error {}

const CONTROLLER_USER = { username: 'system:apiserver', groups: ['system:authenticated', 'system:masters'] };

export class CrdController {
  private readonly crds: RegistryStore;
  private readonly options: CrdControllerOptions;
  private readonly serving: CrdServing;
  private readonly queue = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 5_000 });
  private readonly now: () => number;

  constructor(options: CrdControllerOptions) {
    this.options = options;
    this.crds = options.crds;
    this.now = options.now ?? Date.now;
    this.serving = new CrdServing(options.registry, options.openapi, (name) => Boolean(this.cached(name)?.metadata.deletionTimestamp));
  }

  /**
   * Serves the CRDs stored now, then follows changes until `signal` aborts. Resolves once the
   * existing CRDs are served (the API server then starts listening).
   */
  async start(signal: AbortSignal): Promise<void> {
    await this.crds.cache.ready;
    for (const crd of this.all()) {
      const name = crd.metadata.name as string;
      try {
        await this.sync(name);
      } catch (err) {
        this.failed(name, err);
        this.queue.addRateLimited(name);
      }
    }
    void this.follow(signal);
    void this.queue.run((name) => this.sync(name), signal, (name, err) => this.failed(name, err));
  }

  /** Feeds the queue from the CRD watch, re-watching when the watch ends. */
  private async follow(signal: AbortSignal): Promise<void> {
    let delay = 100;
    while (!signal.aborted) {
      try {
        const events = await this.crds.watch(undefined, undefined, () => true);
        const stop = (): void => events.stop();
        signal.addEventListener('abort', stop, { once: true });
        // Deletions missed while not watching: served CRDs that are gone sync to "not found".
        for (const name of this.serving.crdNames()) this.queue.add(name);
        for await (const event of events) this.queue.add(event.object.metadata.name as string);
        signal.removeEventListener('abort', stop);
        delay = 100;
      } catch (err) {
        this.options.logger?.debug({ err }, 'CRD watch ended');
      }
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay = Math.min(delay * 2, 5_000);
    }
  }

  private failed(name: string, err: unknown): void {
    if (err instanceof Requeue) this.options.logger?.debug({ crd: name }, err.message);
    else this.options.logger?.warn({ err, crd: name }, `CRD ${name}: sync failed: ${(err as Error).message}`);
  }

  private cached(name: string): CRDObject | undefined {
    return this.crds.cache.get(this.crds.key(undefined, name)) as CRDObject | undefined;
  }

  private all(): CRDObject[] {
    return this.crds.cache.list(this.crds.keyPrefix(undefined), () => true) as CRDObject[];
  }

  private context(): RequestContext {
    return { user: CONTROLLER_USER, dryRun: false, fieldManager: 'kube-apiserver', now: this.now() };
  }

  /** Brings one CRD's serving and status in line with its spec. Idempotent. */
  private async sync(name: string): Promise<void> {
    const cached = this.cached(name);
    if (!cached) {
      this.serving.unserve(name);
      return;
    }
    const crd = structuredClone(cached);
    if (crd.metadata.deletionTimestamp) {
      await this.finalize(crd);
      return;
    }
    const status = desiredNamesStatus(crd, this.all(), this.now());
    // Serve first: by the time Established is visible, the resources are there.
    this.serving.serve({ ...crd, status });
    if (jsonEqual(status, crd.status)) return;
    await this.updateStatus(name, (current) => desiredNamesStatus(current, this.all(), this.now()));
  }

  /** Deletes a deleted CRD's custom resources, stops serving them, and lets the CRD go. */
  private async finalize(crd: CRDObject): Promise<void> {
    const name = crd.metadata.name as string;
    if (!(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) {
      this.serving.unserve(name);
      return;
    }
    this.serving.serve(crd); // after a restart, the store to delete from
    if (crdCondition(crd, 'Terminating')?.reason !== 'InstanceDeletionInProgress') {
      await this.setTerminating(name, 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress');
    }
    const [rt] = this.serving.typesOf(name);
    const store = rt && this.options.storeFor(rt.group, rt.resource);
    if (store) {
      const remaining = await deleteAllInstances(store, this.context());
      if (remaining > 0) throw new Requeue(`CRD ${name}: waiting for ${remaining} custom resources to go`);
    }
    await this.setTerminating(name, 'False', 'InstanceDeletionCompleted', 'removed all instances');
    this.serving.unserve(name);
    try {
      await this.crds.guaranteedUpdate(
        undefined,
        name,
        (current) => {
          current.metadata.finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
          return current;
        },
        this.context(),
      );
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }

  private setTerminating(name: string, status: string, reason: string, message: string): Promise<void> {
    return this.updateStatus(name, (current) => {
      const copy = { ...current, status: structuredClone(current.status ?? {}) };
      setCRDCondition(copy, { type: 'Terminating', status, reason, message }, this.now());
      return copy.status;
    });
  }

  /** Writes the status `desired` computes from the current CRD; a CRD gone meanwhile is fine. */
  private async updateStatus(name: string, desired: (current: CRDObject) => CRDObject['status']): Promise<void> {
    try {
      await this.crds.guaranteedUpdate(
        undefined,
        name,
        (current: KubeObject) => {
          const crd = current as CRDObject;
          crd.status = desired(crd);
          return crd;
        },
        this.context(),
        'status',
      );
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}
