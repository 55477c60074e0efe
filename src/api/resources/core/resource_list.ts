/**
 * Resource lists (`{cpu: "500m", memory: "1Gi"}`) of containers, quotas, limit ranges, volumes
 * and nodes: canonical quantities on write (what kube-apiserver stores), and validation of
 * names and values with Kubernetes' messages.
 */
import { badRequest, type FieldError, type FieldPath } from '../../errors.js';
import { Quantity, QuantityParseError } from '../../quantity.js';
import { invalidEach, invalidValue, type PathLike } from '../../validation/field.js';
import { isQualifiedName } from '../../validation/qualified_name.js';

export type ResourceList = { [name: string]: string };

/**
 * Rewrites each quantity in canonical form (`0.5` → `500m`). A value that is no quantity
 * fails the whole request, as decoding does in Kubernetes: `<Kind> in version "v1" cannot be
 * handled as a <Kind>: quantities must match ...`.
 */
export function canonicalizeResourceList(list: ResourceList | undefined, kind: string): void {
  if (!list) return;
  for (const [name, value] of Object.entries(list)) {
    try {
      list[name] = Quantity.parse(value).toString();
    } catch (err) {
      if (err instanceof QuantityParseError) {
        throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${err.message}`);
      }
      throw err;
    }
  }
}

/** Names without a domain that some list (container, node, quota) accepts. */
const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas',
  'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
]);

/** validateResourceName: a qualified name; a native one must be a standard name. */
export function validateResourceName(name: string, path: PathLike, standard: ReadonlySet<string> = STANDARD_RESOURCES): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !standard.has(name) && !name.startsWith('hugepages-') && !name.startsWith('requests.') && !name.startsWith('limits.') && !name.startsWith('count/')) {
    return [invalidValue(path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

/** ValidateResourceRequirements' per-list part: valid names, non-negative quantities. */
export function validateResourceList(list: ResourceList | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(list ?? {})) {
    const p = path.key(name);
    errs.push(...validateResourceName(name, p));
    const q = Quantity.tryParse(value);
    if (q && q.sign() < 0) errs.push(invalidValue(p, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

/** The quantity of one resource, or undefined. */
export function resourceQuantity(list: ResourceList | undefined, name: string): Quantity | undefined {
  const v = list?.[name];
  return v === undefined ? undefined : Quantity.tryParse(v);
}
