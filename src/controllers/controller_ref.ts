/**
 * Controller references, as Kubernetes' ControllerRefManager: which owner reference makes an
 * object's controller, and claiming children for an owner — adopt orphans its selector matches
 * (after checking with a fresh read that the owner still exists and is not being deleted),
 * release children whose labels no longer match, and ignore children of other controllers.
 * Changes are merge patches carrying the child's resourceVersion, so a child that changed
 * meanwhile answers Conflict and the owner's sync runs again.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isStatusError } from '../api/errors.js';
import type { Selector } from '../api/labels.js';
import type { KubeObject } from '../api/object.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';

/** The owner reference with controller: true, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** The reference a controller puts on what it creates or adopts. */
export function newControllerRef(owner: KubeObject, kind: { apiVersion: string; kind: string }): OwnerReference {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface ClaimOptions {
  client: ApiClient;
  /** The children's resource. */
  resource: ResourceRef;
  owner: KubeObject;
  ownerKind: { apiVersion: string; kind: string };
  selector: Selector;
  /** Reads the owner afresh; resolves to it when it may adopt (same UID, not being deleted). */
  recheckOwner(): Promise<KubeObject | undefined>;
  fieldManager: string;
}

/**
 * The children that belong to the owner after adopting and releasing. Throws the first error
 * other than NotFound (a child that went away is simply not claimed).
 */
export async function claimChildren<T extends KubeObject>(children: readonly T[], options: ClaimOptions): Promise<T[]> {
  const { owner, selector } = options;
  const uid = owner.metadata.uid;
  const claimed: T[] = [];
  let mayAdopt: boolean | undefined;
  for (const child of children) {
    const ref = controllerRefOf(child);
    const matches = selector.matches(child.metadata.labels);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches) claimed.push(child);
      else if (!owner.metadata.deletionTimestamp && !child.metadata.deletionTimestamp) await release(child, options);
      continue;
    }
    if (!matches || owner.metadata.deletionTimestamp || child.metadata.deletionTimestamp) continue;
    mayAdopt ??= await canAdopt(options);
    if (!mayAdopt) continue;
    const adopted = await adopt(child, options);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function canAdopt(options: ClaimOptions): Promise<boolean> {
  const fresh = await options.recheckOwner();
  return fresh !== undefined && fresh.metadata.uid === options.owner.metadata.uid && !fresh.metadata.deletionTimestamp;
}

async function adopt<T extends KubeObject>(child: T, options: ClaimOptions): Promise<T | undefined> {
  const refs = [...(child.metadata.ownerReferences ?? []), newControllerRef(options.owner, options.ownerKind)];
  return patchOwners(child, refs, options);
}

async function release<T extends KubeObject>(child: T, options: ClaimOptions): Promise<void> {
  const refs = (child.metadata.ownerReferences ?? []).filter((r) => r.uid !== options.owner.metadata.uid);
  await patchOwners(child, refs, options);
}

async function patchOwners<T extends KubeObject>(child: T, refs: OwnerReference[], options: ClaimOptions): Promise<T | undefined> {
  const patch = { metadata: { ownerReferences: refs.length > 0 ? refs : null, resourceVersion: child.metadata.resourceVersion } };
  try {
    return await options.client.patch<T>(options.resource, child.metadata.namespace, child.metadata.name ?? '', patch, {
      fieldManager: options.fieldManager,
    });
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
}
