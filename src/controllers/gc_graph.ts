/**
 * The garbage collector's graph of ownership: every object the collector has observed, by
 * uid, and for every owner uid (observed or not) the uids of the objects naming it in their
 * ownerReferences. Only the garbage collector's informer handlers change it; its workers read it.
 */
import type { ResourceRef } from '../client/api_client.js';
import type { ObjectMetadata } from './metadata_informer.js';

/** One observed object. */
export interface GraphNode {
  readonly resource: ResourceRef;
  readonly meta: ObjectMetadata;
}

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

export class OwnershipGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** The observed objects that name `ownerUid` as an owner. */
  dependentsOf(ownerUid: string): GraphNode[] {
    const uids = this.dependents.get(ownerUid);
    if (!uids) return [];
    const found: GraphNode[] = [];
    for (const uid of uids) {
      const node = this.nodes.get(uid);
      if (node) found.push(node);
    }
    return found;
  }

  /** Records `meta` (new or changed); resolves to the owner uids it no longer names. */
  upsert(resource: ResourceRef, meta: ObjectMetadata): string[] {
    const old = this.nodes.get(meta.uid);
    this.nodes.set(meta.uid, { resource, meta });
    const now = new Set(meta.ownerReferences.map((r) => r.uid));
    const dropped: string[] = [];
    for (const ref of old?.meta.ownerReferences ?? []) {
      if (now.has(ref.uid)) continue;
      this.unlink(ref.uid, meta.uid);
      dropped.push(ref.uid);
    }
    for (const uid of now) {
      let set = this.dependents.get(uid);
      if (!set) this.dependents.set(uid, (set = new Set()));
      set.add(meta.uid);
    }
    return dropped;
  }

  /** Forgets an object that is gone. */
  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.nodes.delete(uid);
    for (const ref of node.meta.ownerReferences) this.unlink(ref.uid, uid);
    return node;
  }

  private unlink(ownerUid: string, dependentUid: string): void {
    const set = this.dependents.get(ownerUid);
    if (!set) return;
    set.delete(dependentUid);
    if (set.size === 0) this.dependents.delete(ownerUid);
  }
}

/** An owner whose foreground deletion waits for its blocking dependents. */
export function isDeletingDependents(meta: ObjectMetadata): boolean {
  return meta.deleting && meta.finalizers.includes(FOREGROUND);
}

/** An owner being deleted whose dependents are to be orphaned first. */
export function isOrphaning(meta: ObjectMetadata): boolean {
  return meta.deleting && meta.finalizers.includes(ORPHAN);
}
