/**
 * The cleanup of a deleted CRD (apiextensions-apiserver's finalizer controller): every custom
 * resource of the CRD is deleted through its store, as a client's delete would be, so that
 * their own finalizers are honoured. Reports how many remain; the CRD's cleanup finalizer is
 * removed only when none do.
 */
import { isStatusError } from '../../api/errors.js';
import type { RegistryStore, RequestContext } from '../registry_store.js';

/** Deletes every object of `store`'s resource (all namespaces); resolves to how many are left. */
export async function deleteAllInstances(store: RegistryStore, ctx: RequestContext): Promise<number> {
  const all = { filter: () => true, filtered: false };
  const { items } = await store.list(undefined, all);
  for (const obj of items) {
    if (obj.metadata.deletionTimestamp) continue; // already going, held by its finalizers
    try {
      await store.delete(obj.metadata.namespace, obj.metadata.name as string, { propagationPolicy: 'Background' }, ctx);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
  return (await store.list(undefined, all)).items.length;
}
