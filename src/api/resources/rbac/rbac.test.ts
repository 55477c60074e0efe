import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClusterRoleBinding, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { fieldErrorMessage } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { clusterRoleBindings } from './clusterrolebinding.js';
import { clusterRoles, validateClusterRole } from './clusterrole.js';
import { roleBindings } from './rolebinding.js';
import { roles } from './role.js';

type RB = RoleBinding & KubeObject;
type CRB = ClusterRoleBinding & KubeObject;

function binding(): RB {
  return {
    metadata: { name: 'read-pods', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    roleRef: { apiGroup: '', kind: 'Role', name: 'pod-reader' },
    subjects: [
      { kind: 'User', name: 'jane' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'default' },
    ],
  };
}

describe('roles', () => {
  test('rules need verbs, groups and resources; non-resource URLs only cluster-wide', () => {
    const role = { metadata: { name: 'r', namespace: 'default' }, rules: [{ verbs: [], nonResourceURLs: ['/healthz'] }, { verbs: ['get'] }] };
    assert.deepEqual(roles.strategy?.validate?.(role).map(fieldErrorMessage), [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
      'rules[1].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[1].resources: Required value: resource rules must supply at least one resource',
    ]);
    assert.deepEqual(validateClusterRole({ rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }), []);
  });

  test('names are path segments; the table is NAME, CREATED AT', () => {
    assert.deepEqual(roles.validateName?.('a/b', false), ["may not contain '/'"]);
    assert.deepEqual(clusterRoles.validateName?.('system:controller:x', false), []);
    const cells = (clusterRoles.table ?? []).map((c) => [c.name, c.type, c.cell({ metadata: { creationTimestamp: '2024-01-01T00:00:00Z' } }, 0)]);
    assert.deepEqual(cells, [['Created At', 'date', '2024-01-01T00:00:00Z']]);
  });

  test('an aggregation rule needs a selector', () => {
    assert.deepEqual(validateClusterRole({ aggregationRule: {} }).map(fieldErrorMessage), [
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
  });
});

describe('bindings', () => {
  test('defaults fill the API groups', () => {
    const b = binding();
    roleBindings.strategy?.defaults?.(b);
    assert.equal(b.roleRef.apiGroup, 'rbac.authorization.k8s.io');
    assert.deepEqual(
      b.subjects?.map((s) => s.apiGroup),
      ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', ''],
    );
    assert.deepEqual(roleBindings.strategy?.validate?.(b), []);
  });

  test('roleRef and subject checks', () => {
    const b: CRB = {
      metadata: { name: 'x' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci' }, { kind: 'Robot', name: 'r2' }],
    };
    clusterRoleBindings.strategy?.defaults?.(b);
    assert.deepEqual(clusterRoleBindings.strategy?.validate?.(b).map(fieldErrorMessage), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
      'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
  });

  test('roleRef is immutable', () => {
    const old = binding();
    const b = binding();
    b.roleRef = { ...b.roleRef, name: 'admin' };
    assert.deepEqual(roleBindings.strategy?.validateUpdate?.(b, old).map(fieldErrorMessage), [
      'roleRef: Invalid value: {"apiGroup":"","kind":"Role","name":"admin"}: cannot change roleRef',
    ]);
  });

  test('table: ROLE AGE, and USERS GROUPS SERVICEACCOUNTS with -o wide', () => {
    const now = Date.parse('2024-01-01T03:00:00Z');
    assert.deepEqual(
      (roleBindings.table ?? []).map((c) => [c.name, c.priority ?? 0, c.cell(binding(), now)]),
      [
        ['Role', 0, 'Role/pod-reader'],
        ['Age', 0, '3h'],
        ['Users', 1, 'jane'],
        ['Groups', 1, 'devs'],
        ['ServiceAccounts', 1, 'default/ci'],
      ],
    );
  });
});
