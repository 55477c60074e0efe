/**
 * apps/v1 StatefulSet: pods with stable identities and storage. Defaults
 * (SetDefaults_StatefulSet), ValidateStatefulSetSpec's essentials, the update rule (only
 * replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy,
 * minReadySeconds and revisionHistoryLimit may change), and printStatefulSet's table.
 */
import type { StatefulSet, StatefulSetSpec } from 'kubernetes-types/apps/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { isDNS1123Label } from '../../validation/dns.js';
import { forbidden, invalidEach, invalidValue, jsonEqual, notSupported, validateNonnegativeField } from '../../validation/field.js';
import { validatePositiveIntOrPercent } from '../../validation/int_or_string.js';
import { ageColumn } from '../columns.js';
import { defaultPersistentVolumeClaim } from '../core/persistentvolumeclaim.js';
import { defaultPodTemplateSpec } from '../core/pod_template_spec.js';
import { containerColumns, validateLongRunningTemplate, validateWorkloadSelector, WORKLOAD_SCALE } from './workload.js';

export type StatefulSetObject = StatefulSet & KubeObject;

const SPEC = FieldPath.root('spec');
const POD_MANAGEMENT_POLICIES = ['OrderedReady', 'Parallel'];
const UPDATE_STRATEGIES = ['OnDelete', 'RollingUpdate'];
const RETENTION_POLICIES = ['Delete', 'Retain'];

/** SetDefaults_StatefulSet (apps/v1), the pod template's and the claim templates' defaults. */
export function defaultStatefulSet(sts: StatefulSet): void {
  const spec = ((sts as StatefulSetObject).spec ??= { selector: {}, serviceName: '', template: {} });
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template, 'StatefulSet');
  for (const claim of spec.volumeClaimTemplates ?? []) defaultPersistentVolumeClaim(claim);
}

function validateUpdateStrategy(spec: StatefulSetSpec | undefined): FieldError[] {
  const strategy = spec?.updateStrategy ?? {};
  const path = SPEC.child('updateStrategy');
  if (!strategy.type || !UPDATE_STRATEGIES.includes(strategy.type)) return [notSupported(path.child('type'), strategy.type ?? '', UPDATE_STRATEGIES)];
  if (!strategy.rollingUpdate) return [];
  if (strategy.type === 'OnDelete') {
    return [invalidValue(path.child('rollingUpdate'), strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'")];
  }
  const errs = validateNonnegativeField(strategy.rollingUpdate.partition, path.child('rollingUpdate', 'partition'));
  const maxUnavailable = strategy.rollingUpdate.maxUnavailable;
  if (maxUnavailable !== undefined) errs.push(...validatePositiveIntOrPercent(maxUnavailable, path.child('rollingUpdate', 'maxUnavailable')));
  return errs;
}

/** ValidateStatefulSetSpec's essentials. */
export function validateStatefulSet(sts: StatefulSet): FieldError[] {
  const spec = sts.spec;
  const errs: FieldError[] = [];
  const policy = spec?.podManagementPolicy ?? '';
  if (!POD_MANAGEMENT_POLICIES.includes(policy)) errs.push(notSupported(SPEC.child('podManagementPolicy'), policy, POD_MANAGEMENT_POLICIES));
  errs.push(...validateUpdateStrategy(spec));
  const retention = spec?.persistentVolumeClaimRetentionPolicy;
  for (const f of ['whenDeleted', 'whenScaled'] as const) {
    const value = retention?.[f];
    if (value !== undefined && !RETENTION_POLICIES.includes(value)) {
      errs.push(notSupported(SPEC.child('persistentVolumeClaimRetentionPolicy', f), value, RETENTION_POLICIES));
    }
  }
  if (spec?.serviceName) errs.push(...invalidEach(SPEC.child('serviceName'), spec.serviceName, isDNS1123Label(spec.serviceName)));
  errs.push(...validateNonnegativeField(spec?.replicas, SPEC.child('replicas')));
  errs.push(...validateNonnegativeField(spec?.minReadySeconds, SPEC.child('minReadySeconds')));
  errs.push(...validateNonnegativeField(spec?.ordinals?.start, SPEC.child('ordinals', 'start')));
  errs.push(...validateWorkloadSelector(spec?.selector, spec?.template, SPEC, 'statefulset'));
  errs.push(...validateLongRunningTemplate(spec?.template, SPEC, 'StatefulSet'));
  return errs;
}

const MUTABLE_FIELDS = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
  'revisionHistoryLimit',
] as const;

/** ValidateStatefulSetUpdate: every spec field but the mutable ones stays as it was. */
export function validateStatefulSetUpdate(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const next: Record<string, unknown> = { ...(sts.spec ?? {}) };
  const prev: Record<string, unknown> = { ...(old.spec ?? {}) };
  for (const f of MUTABLE_FIELDS) {
    delete next[f];
    delete prev[f];
  }
  if (jsonEqual(next, prev)) return [];
  return [
    forbidden(
      SPEC,
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

export const statefulSets: ResourceType<StatefulSetObject> = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  tracksGeneration: true,
  subresources: {
    status: true,
    scale: WORKLOAD_SCALE,
  },
  strategy: {
    defaults: defaultStatefulSet,
    validate: validateStatefulSet,
    validateUpdate: validateStatefulSetUpdate,
  },
  table: [
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', cell: (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}` },
    ageColumn,
    ...containerColumns<StatefulSetObject>((s) => s.spec?.template),
  ],
};
