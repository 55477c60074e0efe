/**
 * The garbage collector: follows ownerReferences across every resource the server serves and
 * deletes what lost its owners, as Kubernetes' pkg/controller/garbagecollector does.
 *
 * - Background: an object whose owners are all gone (deleted, or replaced by another object of
 *   the same name) is deleted. Owners absent from the graph are looked up through the API, so
 *   an owner that went while kts was down is noticed on the first sync.
 * - Foreground: an owner carrying the `foregroundDeletion` finalizer has its dependents deleted;
 *   once no dependent with blockOwnerDeletion remains, the finalizer is removed.
 * - Orphan: an owner carrying the `orphan` finalizer has its uid removed from its dependents'
 *   ownerReferences, then the finalizer removed.
 *
 * Two work queues keyed by uid (attempt-to-delete, attempt-to-orphan); the informer handlers
 * only update the graph and enqueue.
 */
import type { Logger } from 'pino';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isStatusError } from '../api/errors.js';
import { resourcePath, type ApiClient, type ResourceRef } from '../client/api_client.js';
import { WorkQueue } from '../client/work_queue.js';
import { FOREGROUND, ORPHAN, OwnershipGraph, isDeletingDependents, isOrphaning, type GraphNode } from './gc_graph.js';
import { GcInformers, sleep } from './gc_informers.js';
import type { ObjectMetadata } from './metadata_informer.js';

/** How often discovery is walked again for resources added or removed (CRDs). */
const REDISCOVERY_MS = 30_000;

/** `invalid`: a namespaced owner of a cluster-scoped object, which no retry resolves. */
type OwnerState = 'solid' | 'dangling' | 'waiting' | 'invalid';

export class GarbageCollector {
  readonly name = 'garbagecollector';
  private readonly graph = new OwnershipGraph();
  private readonly informers: GcInformers;
  private readonly deleteQueue = new WorkQueue();
  private readonly orphanQueue = new WorkQueue();

  constructor(
    private readonly client: ApiClient,
    private readonly logger?: Logger,
  ) {
    this.informers = new GcInformers({
      client,
      handler: { upsert: (ref, meta, old) => this.observed(ref, meta, old), remove: (_ref, meta) => this.gone(meta) },
      onError: (err, resource) => this.logger?.warn({ err, resource }, 'garbage collector informer'),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.informers.sync(signal);
        break;
      } catch (err) {
        this.logger?.warn({ err }, 'garbage collector discovery failed');
        await sleep(1000, signal);
      }
    }
    // Workers start once the graph is whole, so that present owners are not looked up one by one.
    await this.informers.waitForSync(signal);
    // A Conflict only means the graph is behind: retried once it has caught up.
    const onError = (key: string, err: unknown): void =>
      this.logger?.[isStatusError(err, 'Conflict') ? 'debug' : 'warn']({ err, uid: key }, 'garbage collection failed, retrying');
    await Promise.all([
      this.deleteQueue.run((uid) => this.attemptToDelete(uid), signal, onError),
      this.orphanQueue.run((uid) => this.attemptToOrphan(uid), signal, onError),
      this.rediscover(signal),
    ]);
  }

  private async rediscover(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(REDISCOVERY_MS, signal);
      if (signal.aborted) return;
      await this.informers.sync(signal).catch((err: unknown) => this.logger?.warn({ err }, 'garbage collector discovery failed'));
    }
  }

  /** An object added or changed: update the graph, enqueue whatever the change may affect. */
  private observed(resource: ResourceRef, meta: ObjectMetadata, old: ObjectMetadata | undefined): void {
    const dropped = this.graph.upsert(resource, meta);
    if (meta.ownerReferences.length > 0 && !sameOwners(old, meta)) this.deleteQueue.add(meta.uid);
    if (isDeletingDependents(meta)) {
      this.deleteQueue.add(meta.uid);
      for (const dep of this.graph.dependentsOf(meta.uid)) this.deleteQueue.add(dep.meta.uid);
    }
    if (isOrphaning(meta)) this.orphanQueue.add(meta.uid);
    // An owner waiting for this object may be free to go now.
    for (const uid of dropped) this.deleteQueue.add(uid);
    if (meta.deleting) for (const ref of meta.ownerReferences) this.deleteQueue.add(ref.uid);
  }

  /** An object gone: its dependents may be garbage, its waiting owners may be done. */
  private gone(meta: ObjectMetadata): void {
    if (this.graph.get(meta.uid)?.meta !== meta) return; // a newer view replaced it already
    this.graph.remove(meta.uid);
    for (const dep of this.graph.dependentsOf(meta.uid)) this.deleteQueue.add(dep.meta.uid);
    for (const ref of meta.ownerReferences) this.deleteQueue.add(ref.uid);
  }

  private async attemptToDelete(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const { meta } = node;
    if (meta.deleting) {
      if (isDeletingDependents(meta)) await this.deleteDependentsFirst(node);
      return;
    }
    if (meta.ownerReferences.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of meta.ownerReferences) {
      const state = await this.ownerState(node, ref);
      if (state === 'invalid') {
        // As Kubernetes: such an object is never collected; retrying would not change that.
        this.logger?.warn({ resource: node.resource.resource, name: meta.name, owner: ref }, 'cluster-scoped object with a namespaced owner: not collected');
        return;
      }
      (state === 'solid' ? solid : state === 'dangling' ? dangling : waiting).push(ref);
    }
    if (solid.length > 0) {
      // Another owner keeps it: only the references to owners gone or going are dropped.
      if (dangling.length + waiting.length === 0) return;
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.patchMetadata(node, { ownerReferences: meta.ownerReferences.filter((r) => !drop.has(r.uid)) });
      return;
    }
    // An object with dependents of its own, deleted for an owner deleting in the foreground,
    // goes in the foreground too, so that the wait carries down the chain.
    const policy =
      waiting.length > 0 && this.graph.dependentsOf(uid).length > 0
        ? 'Foreground'
        : meta.finalizers.includes(ORPHAN)
          ? 'Orphan'
          : meta.finalizers.includes(FOREGROUND)
            ? 'Foreground'
            : 'Background';
    this.logger?.debug({ resource: node.resource.resource, namespace: meta.namespace, name: meta.name, policy }, 'collecting garbage');
    await this.deleteObject(node, policy);
  }

  /** Foreground deletion of an owner: its dependents go first, then its finalizer. */
  private async deleteDependentsFirst(owner: GraphNode): Promise<void> {
    const uid = owner.meta.uid;
    const dependents = this.graph.dependentsOf(uid);
    for (const dep of dependents) if (!dep.meta.deleting) this.deleteQueue.add(dep.meta.uid);
    const blocking = dependents.filter((d) => d.meta.ownerReferences.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    // Each blocking dependent's removal enqueues this owner again.
    if (blocking.length > 0) return;
    await this.patchMetadata(owner, { finalizers: owner.meta.finalizers.filter((f) => f !== FOREGROUND) });
  }

  private async attemptToOrphan(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node || !isOrphaning(node.meta)) return;
    for (const dep of this.graph.dependentsOf(uid)) {
      await this.patchMetadata(dep, { ownerReferences: dep.meta.ownerReferences.filter((r) => r.uid !== uid) });
    }
    await this.patchMetadata(node, { finalizers: node.meta.finalizers.filter((f) => f !== ORPHAN) });
  }

  /** Whether `ref` names an owner that exists (solid), is gone (dangling), or is deleting its dependents first. */
  private async ownerState(node: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    const known = this.graph.get(ref.uid);
    // An owner counts only in the dependent's namespace (or cluster-scoped), as Kubernetes.
    if (known && (!known.meta.namespace || known.meta.namespace === node.meta.namespace)) return isDeletingDependents(known.meta) ? 'waiting' : 'solid';
    // Not observed (yet): ask the server, which is the truth when the graph lags behind.
    const resource = this.informers.resourceFor(ref.apiVersion, ref.kind);
    if (!resource) throw new Error(`ownerReference ${ref.apiVersion} ${ref.kind} ${ref.name}: the server serves no such kind`);
    if (resource.namespaced && !node.meta.namespace) return 'invalid';
    try {
      const owner = await this.client.get(resource, resource.namespaced ? node.meta.namespace : undefined, ref.name);
      if (owner.metadata.uid !== ref.uid) return 'dangling';
      const deletingDependents = owner.metadata.deletionTimestamp !== undefined && (owner.metadata.finalizers ?? []).includes(FOREGROUND);
      return deletingDependents ? 'waiting' : 'solid';
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return 'dangling';
      throw err;
    }
  }

  /** Deletes exactly the observed object (uid precondition); gone already is fine. */
  private async deleteObject(node: GraphNode, propagationPolicy: string): Promise<void> {
    const { namespace, name, uid } = node.meta;
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy, preconditions: { uid } };
    try {
      await this.client.request('DELETE', resourcePath(node.resource, namespace, name), { body });
    } catch (err) {
      // Conflict: the name now belongs to another object; this one is gone.
      if (!isStatusError(err, 'NotFound') && !isStatusError(err, 'Conflict')) throw err;
    }
  }

  /** A merge patch of metadata, made against the version observed (a Conflict is retried). */
  private async patchMetadata(node: GraphNode, change: Record<string, unknown>): Promise<void> {
    const { namespace, name, resourceVersion } = node.meta;
    try {
      await this.client.patch(node.resource, namespace, name, { metadata: { ...change, resourceVersion } });
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}

/** Whether two views of an object name the same owners, blocking in the same way. */
function sameOwners(old: ObjectMetadata | undefined, meta: ObjectMetadata): boolean {
  const key = (m: ObjectMetadata): string => m.ownerReferences.map((r) => `${r.uid}:${String(r.blockOwnerDeletion)}`).join(',');
  return old !== undefined && key(old) === key(meta);
}
