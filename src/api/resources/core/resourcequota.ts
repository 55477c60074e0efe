/** core/v1 ResourceQuota: per-namespace limits on consumption; the quota controller fills status. */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { notSupported } from '../../validation/field.js';
import { ageColumn } from '../columns.js';
import { setStatus } from '../status.js';
import { canonicalizeResourceList, validateResourceList } from './resource_list.js';

type ResourceQuotaObject = ResourceQuota & KubeObject;

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

export function defaultResourceQuota(q: ResourceQuota): void {
  canonicalizeResourceList(q.spec?.hard, 'ResourceQuota');
  const status = (q as ResourceQuotaObject).status;
  canonicalizeResourceList(status?.hard, 'ResourceQuota');
  canonicalizeResourceList(status?.used, 'ResourceQuota');
}

export function validateResourceQuota(q: ResourceQuota): FieldError[] {
  const spec = FieldPath.root('spec');
  const errs = validateResourceList(q.spec?.hard, spec.child('hard'));
  (q.spec?.scopes ?? []).forEach((s, i) => {
    if (!SCOPES.includes(s)) errs.push(notSupported(spec.child('scopes').index(i), s, SCOPES));
  });
  return errs;
}

/** REQUEST and LIMIT: `name: used/hard` for each hard resource, limits.* in the second. */
export function quotaColumns(q: ResourceQuota): { request: string; limit: string } {
  const hard = (q.status?.hard ?? {});
  const used = (q.status?.used ?? {});
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const entry = `${name}: ${used[name] ?? '0'}/${hard[name]}`;
    (name.split('.')[0] === 'limits' && name.includes('.') ? limit : request).push(entry);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

export const resourceQuotas: ResourceType<ResourceQuotaObject> = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  resource: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  subresources: { status: true },
  strategy: {
    defaults: defaultResourceQuota,
    prepareForCreate(q) {
      setStatus(q, {});
    },
    validate: validateResourceQuota,
    validateStatusUpdate(q) {
      const status = FieldPath.root('status');
      return [
        ...validateResourceList(q.status?.hard, status.child('hard')),
        ...validateResourceList(q.status?.used, status.child('used')),
      ];
    },
  },
  table: [
    ageColumn,
    { name: 'Request', type: 'string', description: 'Request represents a minimum amount of cpu/memory that a container may consume.', cell: (q) => quotaColumns(q).request },
    { name: 'Limit', type: 'string', description: 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.', cell: (q) => quotaColumns(q).limit },
  ],
};
