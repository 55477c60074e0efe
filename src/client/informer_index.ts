/**
 * An index over an informer's cache, as client-go's Indexer: each object is filed under the
 * values an index function gives it (pods by namespace, by controller UID) and kept current by
 * the informer's events. Create the index before adding the handlers that read it: handlers run
 * in the order they were added, so the index is current when later handlers run. The objects
 * are the informer's shared ones: readers must not change them.
 */
import { objectKey, type KubeObject } from '../api/object.js';
import type { Informer } from './informer.js';

/** The index values of one object (none: not indexed). */
export type IndexFunc<T extends KubeObject> = (obj: T) => readonly string[];

export class InformerIndex<T extends KubeObject> {
  private readonly byValue = new Map<string, Map<string, T>>();
  private readonly valuesOf = new Map<string, readonly string[]>();

  constructor(informer: Informer<T>, private readonly indexFunc: IndexFunc<T>) {
    informer.addEventHandler({ add: (o) => this.put(o), update: (_old, o) => this.put(o), delete: (o) => this.remove(o) });
  }

  /** The cached objects filed under `value` (a fresh array; the objects are shared). */
  get(value: string): T[] {
    const found = this.byValue.get(value);
    return found ? [...found.values()] : [];
  }

  private put(obj: T): void {
    this.remove(obj);
    const key = objectKey(obj);
    const values = this.indexFunc(obj);
    this.valuesOf.set(key, values);
    for (const value of values) {
      let bucket = this.byValue.get(value);
      if (!bucket) this.byValue.set(value, (bucket = new Map<string, T>()));
      bucket.set(key, obj);
    }
  }

  private remove(obj: T): void {
    const key = objectKey(obj);
    for (const value of this.valuesOf.get(key) ?? []) {
      const bucket = this.byValue.get(value);
      bucket?.delete(key);
      if (bucket?.size === 0) this.byValue.delete(value);
    }
    this.valuesOf.delete(key);
  }
}

/** Files objects under their namespace. */
export const byNamespace: IndexFunc<KubeObject> = (obj) => [obj.metadata.namespace ?? ''];

/** Files objects under the UID of their controller (the owner reference with controller: true). */
export const byControllerUid: IndexFunc<KubeObject> = (obj) => {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  return ref ? [ref.uid] : [];
};
