/**
 * How objects are kept in storage: their JSON without metadata.resourceVersion, which is the
 * storage revision of the entry and is set when the object is read back (as kube-apiserver
 * does with etcd's mod_revision).
 */
import type { KubeObject } from '../api/object.js';

/** Parses a stored value and stamps it with its revision. */
export function decodeStored(value: string, revision: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(revision);
  return obj;
}

/** The value to store for `obj`: its JSON without resourceVersion. Does not change `obj`. */
export function encodeForStorage(obj: KubeObject): string {
  const { resourceVersion: _drop, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}
