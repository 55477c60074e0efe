/** rbac.authorization.k8s.io/v1 RoleBinding: grants a Role or ClusterRole within a namespace. */
import type { RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { nameIsPathSegment } from '../../validation/dns.js';
import { bindingColumns, defaultBinding, validateBinding, validateRoleRefUnchanged } from './binding.js';

type RoleBindingObject = RoleBinding & KubeObject;

export const roleBindings: ResourceType<RoleBindingObject> = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  resource: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  validateName: nameIsPathSegment,
  strategy: {
    defaults: defaultBinding,
    validate: (b) => validateBinding(b, ['Role', 'ClusterRole'], true),
    validateUpdate: (b, old) => validateRoleRefUnchanged(b.roleRef, old.roleRef),
  },
  table: bindingColumns<RoleBindingObject>('roleBinding'),
};
