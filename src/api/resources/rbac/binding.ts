/**
 * What RoleBindings and ClusterRoleBindings share: rbac/v1 defaults (API groups of the roleRef
 * and subjects), validation of the roleRef and subjects, the immutable roleRef, and the
 * columns of printRoleBinding / printClusterRoleBinding.
 */
import type { RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { TableColumn } from '../../registry.js';
import { nameIsDNSSubdomain, nameIsPathSegment } from '../../validation/dns.js';
import { invalidEach, invalidValue, notSupported, required } from '../../validation/field.js';
import { ageColumn } from '../columns.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** SetDefaults_Subject and the roleRef's group: rbac.authorization.k8s.io unless a service account. */
export function defaultBinding(binding: { roleRef?: RoleRef; subjects?: Subject[] }): void {
  if (binding.roleRef) binding.roleRef.apiGroup ||= RBAC_GROUP;
  for (const s of binding.subjects ?? []) {
    if (s.apiGroup) continue;
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
    else if (s.kind === 'ServiceAccount') s.apiGroup = '';
  }
}

/** ValidateRoleBindingSubject. */
function validateSubject(s: Subject, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(path.child('name')));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) errs.push(...invalidEach(path.child('name'), s.name, nameIsDNSSubdomain(s.name, false)));
      if (s.apiGroup) errs.push(notSupported(path.child('apiGroup'), s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(path.child('namespace')));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(path.child('apiGroup'), s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(path.child('kind'), s.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/**
 * ValidateRoleBinding / ValidateClusterRoleBinding: a roleRef to a role of `kinds` in the RBAC
 * group, and valid subjects (namespaced bindings may leave a service account's namespace out).
 */
export function validateBinding(
  binding: { roleRef?: RoleRef; subjects?: Subject[] },
  kinds: readonly string[],
  namespaced: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const ref = binding.roleRef;
  const refPath = FieldPath.root('roleRef');
  if (ref?.apiGroup !== RBAC_GROUP) errs.push(notSupported(refPath.child('apiGroup'), ref?.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(ref?.kind ?? '')) errs.push(notSupported(refPath.child('kind'), ref?.kind ?? '', kinds));
  if (!ref?.name) errs.push(required(refPath.child('name')));
  else errs.push(...invalidEach(refPath.child('name'), ref.name, nameIsPathSegment(ref.name, false)));
  (binding.subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, namespaced, FieldPath.root('subjects').index(i))));
  return errs;
}

/** A binding's roleRef never changes: "cannot change roleRef". */
export function validateRoleRefUnchanged(ref: RoleRef | undefined, old: RoleRef | undefined): FieldError[] {
  const same = ref?.apiGroup === old?.apiGroup && ref?.kind === old?.kind && ref?.name === old?.name;
  return same ? [] : [invalidValue(FieldPath.root('roleRef'), ref ?? {}, 'cannot change roleRef')];
}

/** rbac.SubjectsStrings: users, groups and `namespace/name` service accounts, each list joined by ", ". */
export function subjectCells(subjects: readonly Subject[] | undefined): { users: string; groups: string; serviceAccounts: string } {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return { users: users.join(', '), groups: groups.join(', '), serviceAccounts: sas.join(', ') };
}

/** printRoleBinding / printClusterRoleBinding: ROLE, AGE, and the subjects with `-o wide`. */
export function bindingColumns<T extends KubeObject & Pick<RoleBinding, 'roleRef' | 'subjects'>>(what: string): TableColumn<T>[] {
  return [
    {
      name: 'Role',
      type: 'string',
      description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
      cell: (b) => `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
    },
    ageColumn,
    { name: 'Users', type: 'string', priority: 1, description: `Users in the ${what}`, cell: (b) => subjectCells(b.subjects).users },
    { name: 'Groups', type: 'string', priority: 1, description: `Groups in the ${what}`, cell: (b) => subjectCells(b.subjects).groups },
    { name: 'ServiceAccounts', type: 'string', priority: 1, description: `ServiceAccounts in the ${what}`, cell: (b) => subjectCells(b.subjects).serviceAccounts },
  ];
}
