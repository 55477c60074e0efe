/** coordination.k8s.io/v1 Lease: leader election and node heartbeats. */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { invalidValue, required, validateNonnegativeField } from '../../validation/field.js';
import { ageColumn } from '../columns.js';

type LeaseObject = Lease & KubeObject;

const SPEC = FieldPath.root('spec');

/** ValidateLeaseSpec's essentials. */
export function validateLease(lease: Lease): FieldError[] {
  const spec = lease.spec ?? {};
  const errs: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (duration !== undefined && duration <= 0) errs.push(invalidValue(SPEC.child('leaseDurationSeconds'), duration, 'must be greater than 0'));
  errs.push(...validateNonnegativeField(spec.leaseTransitions, SPEC.child('leaseTransitions')));
  // preferredHolder and strategy (coordinated leader election, 1.31+) are newer than kubernetes-types.
  const { preferredHolder, strategy } = spec as { preferredHolder?: string; strategy?: string };
  if (preferredHolder && !strategy) errs.push(required(SPEC.child('strategy'), 'must be specified when preferredHolder is set'));
  return errs;
}

export const leases: ResourceType<LeaseObject> = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  singular: 'lease',
  namespaced: true,
  strategy: { validate: validateLease },
  table: [
    {
      name: 'Holder',
      type: 'string',
      description: 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
      cell: (l) => l.spec?.holderIdentity ?? '',
    },
    ageColumn,
  ],
};
