/**
 * apps/v1 ReplicaSet: keeps N copies of a pod template running (what Deployments manage).
 * Defaults, ValidateReplicaSetSpec's essentials, the immutable selector and printReplicaSet.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { validateImmutableField, validateNonnegativeField } from '../../validation/field.js';
import { ageColumn } from '../columns.js';
import { defaultPodTemplateSpec } from '../core/pod_template_spec.js';
import { containerColumns, selectorColumn, validateLongRunningTemplate, validateWorkloadSelector, WORKLOAD_SCALE } from './workload.js';

export type ReplicaSetObject = ReplicaSet & KubeObject;

const SPEC = FieldPath.root('spec');

/** SetDefaults_ReplicaSet (apps/v1) and the pod template's defaults. */
export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = ((rs as ReplicaSetObject).spec ??= { selector: {} });
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template, 'ReplicaSet');
}

/** ValidateReplicaSetSpec's essentials. */
export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec;
  return [
    ...validateNonnegativeField(spec?.replicas, SPEC.child('replicas')),
    ...validateNonnegativeField(spec?.minReadySeconds, SPEC.child('minReadySeconds')),
    // Kubernetes words the empty-selector error for ReplicaSets as for Deployments.
    ...validateWorkloadSelector(spec?.selector, spec?.template, SPEC, 'deployment'),
    ...validateLongRunningTemplate(spec?.template, SPEC, 'ReplicaSet'),
  ];
}

export const replicaSets: ResourceType<ReplicaSetObject> = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  tracksGeneration: true,
  subresources: {
    status: true,
    scale: WORKLOAD_SCALE,
  },
  strategy: {
    defaults: defaultReplicaSet,
    validate: validateReplicaSet,
    validateUpdate: (rs, old) => validateImmutableField(rs.spec?.selector, old.spec?.selector, SPEC.child('selector')),
  },
  table: [
    { name: 'Desired', type: 'integer', description: 'Replicas is the number of desired replicas.', cell: (rs) => rs.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', description: 'Replicas is the most recently observed number of replicas.', cell: (rs) => rs.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', description: 'The number of ready replicas for this replica set.', cell: (rs) => rs.status?.readyReplicas ?? 0 },
    ageColumn,
    ...containerColumns<ReplicaSetObject>((rs) => rs.spec?.template),
    selectorColumn<ReplicaSetObject>((rs) => rs.spec?.selector, 'Selector is a label query over pods that should match the replica count.'),
  ],
  fieldSelectors: { 'status.replicas': (rs) => String(rs.status?.replicas ?? 0) },
};
