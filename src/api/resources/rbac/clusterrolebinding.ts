/** rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole cluster-wide. */
import type { ClusterRoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { nameIsPathSegment } from '../../validation/dns.js';
import { bindingColumns, defaultBinding, validateBinding, validateRoleRefUnchanged } from './binding.js';

type ClusterRoleBindingObject = ClusterRoleBinding & KubeObject;

export const clusterRoleBindings: ResourceType<ClusterRoleBindingObject> = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  resource: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  validateName: nameIsPathSegment,
  strategy: {
    defaults: defaultBinding,
    // Service account subjects must name their namespace here.
    validate: (b) => validateBinding(b, ['ClusterRole'], false),
    validateUpdate: (b, old) => validateRoleRefUnchanged(b.roleRef, old.roleRef),
  },
  table: bindingColumns<ClusterRoleBindingObject>('clusterRoleBinding'),
};
