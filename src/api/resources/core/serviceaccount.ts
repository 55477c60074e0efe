/** core/v1 ServiceAccount: an identity for processes in pods; `token` mints bound tokens. */
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { ageColumn } from '../columns.js';

type ServiceAccountObject = ServiceAccount & KubeObject;

export const serviceAccounts: ResourceType<ServiceAccountObject> = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  subresources: { others: ['token'] },
  table: [
    { name: 'Secrets', type: 'string', description: 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', cell: (sa) => (sa.secrets ?? []).length },
    ageColumn,
  ],
};
