/**
 * rbac.authorization.k8s.io/v1 Role: namespaced permissions. Kubernetes registers no printer
 * for roles, so their table is the default one: NAME and CREATED AT.
 */
import type { Role } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType, TableColumn } from '../../registry.js';
import { nameIsPathSegment } from '../../validation/dns.js';
import { ageColumn } from '../columns.js';
import { validatePolicyRules } from './policy_rule.js';

type RoleObject = Role & KubeObject;

/** The default table's second column (rest.NewDefaultTableConvertor): the RFC 3339 creation time. */
export const createdAtColumn: TableColumn = {
  name: 'Created At',
  type: 'date',
  description: ageColumn.description,
  cell: (obj) => obj.metadata.creationTimestamp ?? '',
};

export const roles: ResourceType<RoleObject> = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  resource: 'roles',
  singular: 'role',
  namespaced: true,
  validateName: nameIsPathSegment,
  strategy: { validate: (role) => validatePolicyRules(role.rules, true) },
  table: [createdAtColumn],
};
