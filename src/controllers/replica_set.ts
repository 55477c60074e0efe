/**
 * The ReplicaSet controller (and, with the same code, the ReplicationController controller), as
 * Kubernetes' pkg/controller/replicaset: keeps exactly spec.replicas active pods matching the
 * selector, created from the template with a controller reference; adopts orphans that match
 * and releases pods that stop matching; deletes surplus pods in podsToDelete's order; records
 * expectations so that a lagging pod informer never causes double creates or deletes; and
 * writes status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
 * observedGeneration, the ReplicaFailure condition) last.
 */
import type { Logger } from 'pino';
import type { Controller } from './manager.js';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { isStatusError } from '../api/errors.js';
import { logSyncError } from './sync_errors.js';
import { selectorFromLabelSelector, selectorFromSet, type Selector } from '../api/labels.js';
import { deepCopy, objectKey, type KubeObject } from '../api/object.js';
import { rfc3339 } from '../api/time.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import { EventRecorder } from '../client/event_recorder.js';
import type { Informer } from '../client/informer.js';
import { sharedInformer } from '../client/shared_informers.js';
import { byNamespace, InformerIndex } from '../client/informer_index.js';
import { WorkQueue } from '../client/work_queue.js';
import { claimChildren, controllerRefOf, newControllerRef } from './controller_ref.js';
import { ControllerExpectations } from './expectations.js';
import { isPodActive, isPodAvailable, isPodReady, podsToDelete, type PodObject } from './pod_util.js';

/** A ReplicaSet or a ReplicationController: the fields this controller reads are the same. */
export type ReplicatedObject = Omit<ReplicaSet, 'spec'> &
  KubeObject & {
    spec?: Omit<NonNullable<ReplicaSet['spec']>, 'selector'> & { selector?: unknown };
  };

/** What differs between the two kinds this controller serves. */
export interface ReplicatedKind {
  name: string;
  resource: ResourceRef;
  apiVersion: string;
  kind: string;
  selectorOf(obj: ReplicatedObject): Selector;
}

export const REPLICA_SETS: ReplicatedKind = {
  name: 'replicaset',
  resource: { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selectorOf: (rs) => selectorFromLabelSelector(rs.spec?.selector as LabelSelector | undefined),
};

export const REPLICATION_CONTROLLERS: ReplicatedKind = {
  name: 'replicationcontroller',
  resource: { group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true },
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selectorOf: (rc) => selectorFromSet(rc.spec?.selector as Record<string, string> | undefined),
};

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
/** At most this many creations or deletions per sync (Kubernetes' burstReplicas). */
const BURST_REPLICAS = 500;

export class ReplicaSetController implements Controller {
  readonly name: string;
  private readonly owners: Informer<ReplicatedObject>;
  private readonly ownersByNamespace: InformerIndex<ReplicatedObject>;
  private readonly pods: Informer<PodObject>;
  private readonly podsByNamespace: InformerIndex<PodObject>;
  private readonly queue = new WorkQueue();
  private readonly expectations = new ControllerExpectations();
  private readonly recorder: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly kind: ReplicatedKind = REPLICA_SETS,
    private readonly logger?: Logger,
  ) {
    this.name = kind.name;
    this.recorder = new EventRecorder({ client, component: `${kind.name}-controller`, logger });
    const onError = (err: unknown): void => this.logger?.warn({ err }, `${kind.name} informer`);
    this.owners = sharedInformer<ReplicatedObject>({ client, resource: kind.resource, onError });
    this.pods = sharedInformer<PodObject>({ client, resource: PODS, onError });
    this.ownersByNamespace = new InformerIndex(this.owners, byNamespace);
    this.podsByNamespace = new InformerIndex(this.pods, byNamespace);
    this.owners.addEventHandler({
      add: (o) => this.enqueue(o),
      update: (_old, o) => this.enqueue(o),
      delete: (o) => {
        this.expectations.delete(objectKey(o));
        this.enqueue(o);
      },
    });
    this.pods.addEventHandler({ add: (p) => this.podAdded(p), update: (old, p) => this.podUpdated(old, p), delete: (p) => this.podDeleted(p) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const work = this.queue.run(
      async (key) => {
        await Promise.all([this.owners.waitForSync(), this.pods.waitForSync()]);
        await this.sync(key);
      },
      signal,
      (key, err) => logSyncError(this.logger, `${this.kind.name} sync failed`, key, err),
    );
    await Promise.all([this.owners.run(signal), this.pods.run(signal), work]);
  }

  private enqueue(owner: KubeObject): void {
    this.queue.add(objectKey(owner));
  }

  /** The owner a controller reference points to, if it is one of ours and still the same object. */
  private resolve(namespace: string | undefined, pod: PodObject): ReplicatedObject | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.owners.get(`${namespace ?? ''}/${ref.name}`);
    return owner?.metadata.uid === ref.uid ? owner : undefined;
  }

  /** Owners in the pod's namespace whose selector matches it (candidates to adopt an orphan). */
  private matchingOwners(pod: PodObject): ReplicatedObject[] {
    return this.ownersByNamespace.get(pod.metadata.namespace ?? '').filter((o) => {
      try {
        const selector = this.kind.selectorOf(o);
        return !selector.empty() && selector.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private podAdded(pod: PodObject): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    if (controllerRefOf(pod)) {
      const owner = this.resolve(pod.metadata.namespace, pod);
      if (!owner) return;
      this.expectations.creationObserved(objectKey(owner));
      this.enqueue(owner);
      return;
    }
    for (const owner of this.matchingOwners(pod)) this.enqueue(owner);
  }

  private podUpdated(old: PodObject, pod: PodObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    if (pod.metadata.deletionTimestamp) {
      // Graceful deletion: the pod is going; count it as deleted now, as Kubernetes does.
      this.podDeleted(pod);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const oldRef = controllerRefOf(old);
    const ref = controllerRefOf(pod);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const previous = this.resolve(old.metadata.namespace, old);
      if (previous) this.enqueue(previous);
    }
    if (ref) {
      const owner = this.resolve(pod.metadata.namespace, pod);
      if (!owner) return;
      this.enqueue(owner);
      const minReady = owner.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(objectKey(owner), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || oldRef) for (const owner of this.matchingOwners(pod)) this.enqueue(owner);
  }

  private podDeleted(pod: PodObject): void {
    const owner = this.resolve(pod.metadata.namespace, pod);
    if (!owner) return;
    this.expectations.deletionObserved(objectKey(owner), objectKey(pod));
    this.enqueue(owner);
  }

  private async sync(key: string): Promise<void> {
    const owner = this.owners.get(key);
    if (!owner) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    let selector: Selector;
    try {
      selector = this.kind.selectorOf(owner);
    } catch (err) {
      this.logger?.warn({ err, key }, `${this.kind.name} has an invalid selector`);
      return;
    }
    const namespace = owner.metadata.namespace ?? '';
    const active = this.podsByNamespace.get(namespace).filter(isPodActive);
    const pods = await claimChildren(active, {
      client: this.client,
      resource: PODS,
      owner,
      ownerKind: this.kind,
      selector,
      fieldManager: `${this.kind.name}-controller`,
      recheckOwner: () => this.client.get<KubeObject>(this.kind.resource, namespace, owner.metadata.name ?? '').catch(() => undefined),
    });
    let manageError: Error | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, owner, pods);
      } catch (err) {
        manageError = asError(err);
      }
    }
    const updated = await this.updateStatus(owner, this.calculateStatus(owner, pods, manageError));
    const replicas = owner.spec?.replicas ?? 1;
    const minReady = owner.spec?.minReadySeconds ?? 0;
    const status: Partial<ReplicaSetStatus> = updated.status ?? {};
    if (manageError === undefined && minReady > 0 && status.readyReplicas === replicas && status.availableReplicas !== replicas) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  /** Creates or deletes the difference between the active pods and spec.replicas. */
  private async manageReplicas(key: string, owner: ReplicatedObject, pods: PodObject[]): Promise<void> {
    const diff = pods.length - (owner.spec?.replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, count);
      const created = await slowStartBatch(count, () => this.createPod(owner));
      // Creations that failed or never started will not be observed: stop expecting them.
      for (let i = created.successes; i < count; i++) this.expectations.creationObserved(key);
      if (created.error !== undefined) throw asError(created.error);
      return;
    }
    if (diff > 0) {
      const doomed = podsToDelete(pods, Math.min(diff, BURST_REPLICAS));
      this.expectations.expectDeletions(key, doomed.map(objectKey));
      const results = await Promise.allSettled(doomed.map((p) => this.client.delete(PODS, p.metadata.namespace, p.metadata.name ?? '')));
      let firstError: Error | undefined;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          this.recorder.event(owner, this.kind, 'Normal', 'SuccessfulDelete', `Deleted pod: ${doomed[i]?.metadata.name ?? ''}`);
          return;
        }
        this.expectations.deletionObserved(key, objectKey(doomed[i] as PodObject));
        if (!isStatusError(r.reason, 'NotFound')) firstError ??= asError(r.reason);
      });
      if (firstError !== undefined) throw firstError;
    }
  }

  private async createPod(owner: ReplicatedObject): Promise<void> {
    const template = owner.spec?.template ?? {};
    const meta = template.metadata ?? {};
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${owner.metadata.name ?? ''}-`,
        namespace: owner.metadata.namespace,
        labels: { ...meta.labels },
        annotations: { ...meta.annotations },
        ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
        ownerReferences: [newControllerRef(owner, this.kind)],
      },
      spec: deepCopy(template.spec),
    };
    try {
      const created = await this.client.create<PodObject>(PODS, owner.metadata.namespace, pod, `${this.kind.name}-controller`);
      this.recorder.event(owner, this.kind, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    } catch (err) {
      this.recorder.event(owner, this.kind, 'Warning', 'FailedCreate', `Error creating: ${asError(err).message}`);
      throw err;
    }
  }

  private calculateStatus(owner: ReplicatedObject, pods: PodObject[], manageError: Error | undefined): NonNullable<ReplicatedObject['status']> {
    const templateLabels = selectorFromSet(owner.spec?.template?.metadata?.labels);
    const minReady = owner.spec?.minReadySeconds ?? 0;
    const now = Date.now();
    const status = { ...(owner.status ?? { replicas: 0 }) };
    status.replicas = pods.length;
    status.fullyLabeledReplicas = pods.filter((p) => templateLabels.matches(p.metadata.labels)).length;
    status.readyReplicas = pods.filter(isPodReady).length;
    status.availableReplicas = pods.filter((p) => isPodAvailable(p, minReady, now)).length;
    // As in Kubernetes' JSON, replicas is always written and the other counters only when non-zero.
    for (const key of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) {
      if (status[key] === 0) delete status[key];
    }
    let conditions: ReplicaSetCondition[] = [...(status.conditions ?? [])];
    const failure = conditions.find((c) => c.type === 'ReplicaFailure');
    if (manageError !== undefined && !failure) {
      const reason = pods.length < (owner.spec?.replicas ?? 1) ? 'FailedCreate' : 'FailedDelete';
      const message = manageError.message;
      conditions.push({ type: 'ReplicaFailure', status: 'True', reason, message, lastTransitionTime: rfc3339(now) });
    } else if (manageError === undefined && failure) {
      conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
    }
    status.conditions = conditions.length > 0 ? conditions : undefined;
    return status;
  }

  /** Writes status when it changed; on a conflict reads the owner afresh and tries once more. */
  private async updateStatus(owner: ReplicatedObject, status: NonNullable<ReplicatedObject['status']>): Promise<ReplicatedObject> {
    const old = owner.status ?? { replicas: 0 };
    const same =
      old.replicas === status.replicas &&
      (old.fullyLabeledReplicas ?? 0) === (status.fullyLabeledReplicas ?? 0) &&
      (old.readyReplicas ?? 0) === (status.readyReplicas ?? 0) &&
      (old.availableReplicas ?? 0) === (status.availableReplicas ?? 0) &&
      old.observedGeneration === owner.metadata.generation &&
      JSON.stringify(old.conditions ?? []) === JSON.stringify(status.conditions ?? []);
    if (same) return owner;
    let target: ReplicatedObject = owner;
    for (let attempt = 0; ; attempt++) {
      const next = { ...deepCopy(target), status: { ...status, observedGeneration: target.metadata.generation } };
      try {
        return await this.client.update<ReplicatedObject>(this.kind.resource, next, 'status', `${this.kind.name}-controller`);
      } catch (err) {
        if (isStatusError(err, 'NotFound')) return owner;
        if (!isStatusError(err, 'Conflict') || attempt > 0) throw err;
        target = await this.client.get<ReplicatedObject>(this.kind.resource, owner.metadata.namespace, owner.metadata.name ?? '');
      }
    }
  }
}

/**
 * Runs `count` calls in batches of 1, 2, 4, ... (Kubernetes' slowStartBatch), so that a template
 * the server refuses fails once rather than `count` times; stops after a batch with a failure.
 */
async function slowStartBatch(count: number, call: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let successes = 0;
  let remaining = count;
  for (let batch = 1; remaining > 0; batch *= 2) {
    const size = Math.min(batch, remaining);
    const results = await Promise.allSettled(Array.from({ length: size }, () => call()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.length - results.filter((r) => r.status === 'rejected').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= size;
  }
  return { successes };
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
