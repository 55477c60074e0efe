/**
 * The naming and establishing part of the CRD controller (apiextensions-apiserver's naming and
 * establishing controllers): a CRD's requested names are accepted unless another CRD of the
 * same group already serves one of them; then NamesAccepted and Established are set, with
 * Kubernetes' reasons and messages. Pure: given the CRD and the other CRDs, the status it
 * should have.
 */
import type { CustomResourceDefinitionNames, CustomResourceDefinitionStatus } from 'kubernetes-types/apiextensions/v1.js';
import type { CRDObject } from '../../api/resources/apiextensions/customresourcedefinition.js';
import { crdCondition, setCRDCondition } from '../../api/resources/apiextensions/customresourcedefinition.js';

/** The names another CRD of the group uses, and the first of `names` among them. */
function conflictWith(names: CustomResourceDefinitionNames, others: readonly CRDObject[]): string | undefined {
  const taken = {
    resource: new Set<string>(),
    kind: new Set<string>(),
  };
  for (const other of others) {
    const accepted = other.status?.acceptedNames;
    if (!accepted) continue;
    for (const n of [accepted.plural, accepted.singular, ...(accepted.shortNames ?? [])]) if (n) taken.resource.add(n);
    for (const n of [accepted.kind, accepted.listKind]) if (n) taken.kind.add(n);
  }
  for (const n of [names.plural, names.singular, ...(names.shortNames ?? [])]) {
    if (n && taken.resource.has(n)) return `"${n}" is already in use`;
  }
  for (const n of [names.kind, names.listKind]) {
    if (n && taken.kind.has(n)) return `"${n}" is already in use`;
  }
  return undefined;
}

/**
 * The status `crd` should have, given the other CRDs (of any group), as a copy of its
 * current status with acceptedNames and the NamesAccepted and Established conditions set.
 */
export function desiredNamesStatus(crd: CRDObject, all: readonly CRDObject[], now: number): CustomResourceDefinitionStatus {
  const others = all.filter((o) => o.metadata.name !== crd.metadata.name && o.spec?.group === crd.spec.group);
  const requested = crd.spec.names;
  const conflict = conflictWith(requested, others);
  const copy: CRDObject = { ...crd, status: structuredClone(crd.status ?? {}) };
  if (conflict) {
    setCRDCondition(copy, { type: 'NamesAccepted', status: 'False', reason: 'NameConflicts', message: conflict }, now);
  } else {
    copy.status = { ...copy.status, acceptedNames: structuredClone(requested) };
    setCRDCondition(copy, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, now);
  }
  const established = crdCondition(copy, 'Established');
  if (established?.status !== 'True') {
    if (conflict && !copy.status?.acceptedNames?.plural) {
      setCRDCondition(copy, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }, now);
    } else {
      setCRDCondition(copy, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
    }
  }
  return copy.status ?? {};
}

/** True when the served names are usable (some names were accepted). */
export function hasAcceptedNames(status: CustomResourceDefinitionStatus | undefined): boolean {
  return Boolean(status?.acceptedNames?.plural && status.acceptedNames.kind);
}
