/**
 * Writing `status` in strategies: a new object starts from the status its kind gives it
 * (kubernetes-types marks `status` read-only, so this writes it through the plain object type).
 * Keeping .status out of object writes and .spec out of status writes is the API server's job,
 * for every kind with a status subresource.
 */
import type { KubeObject } from '../object.js';

/** Sets `obj.status`, or removes it when `status` is undefined. */
export function setStatus(obj: object, status: unknown): void {
  const o = obj as KubeObject;
  if (status === undefined) delete o.status;
  else o.status = status;
}
