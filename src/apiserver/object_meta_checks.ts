/**
 * The metadata checks every write gets, whatever its kind: ObjectMeta validation with the
 * kind's name rule on create, and the immutable-identity rules on update.
 */
import type { FieldError } from '../api/errors.js';
import type { KubeObject } from '../api/object.js';
import type { ResourceType } from '../api/registry.js';
import { nameIsDNSSubdomain } from '../api/validation/dns.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/validation/object_meta.js';

export function validateObjectMetaForCreate(rt: ResourceType, obj: KubeObject): FieldError[] {
  return validateObjectMeta(obj.metadata, rt.namespaced, rt.validateName ?? nameIsDNSSubdomain);
}

export function validateObjectMetaForUpdate(rt: ResourceType, obj: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(obj.metadata, rt.namespaced, rt.validateName ?? nameIsDNSSubdomain),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
  ];
}
