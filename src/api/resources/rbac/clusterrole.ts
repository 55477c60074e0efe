/**
 * rbac.authorization.k8s.io/v1 ClusterRole: cluster-wide permissions, possibly aggregated from
 * other cluster roles by label (aggregationRule; the aggregation controller fills the rules).
 */
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { validateLabelSelector } from '../../labels.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { nameIsPathSegment } from '../../validation/dns.js';
import { required } from '../../validation/field.js';
import { validatePolicyRules } from './policy_rule.js';
import { createdAtColumn } from './role.js';

type ClusterRoleObject = ClusterRole & KubeObject;

/** ValidateClusterRole: rules (non-resource URLs allowed) and the aggregation selectors. */
export function validateClusterRole(role: ClusterRole): FieldError[] {
  const errs = validatePolicyRules(role.rules, false);
  const rule = role.aggregationRule;
  if (rule) {
    const path = FieldPath.root('aggregationRule').child('clusterRoleSelectors');
    if (!rule.clusterRoleSelectors?.length) errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    (rule.clusterRoleSelectors ?? []).forEach((sel, i) => errs.push(...validateLabelSelector(sel, path.index(i))));
  }
  return errs;
}

export const clusterRoles: ResourceType<ClusterRoleObject> = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  resource: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  validateName: nameIsPathSegment,
  strategy: { validate: validateClusterRole },
  table: [createdAtColumn],
};
