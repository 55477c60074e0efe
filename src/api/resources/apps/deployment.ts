/**
 * apps/v1 Deployment: declarative updates of ReplicaSets. Defaults (SetDefaults_Deployment),
 * validation of the spec (ValidateDeploymentSpec: selector, template, strategy, deadlines), the
 * immutable selector, and printDeployment's table.
 */
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { forbidden, invalidValue, notSupported, required, validateImmutableField, validateNonnegativeField } from '../../validation/field.js';
import { ageColumn } from '../columns.js';
import { defaultPodTemplateSpec } from '../core/pod_template_spec.js';
import { containerColumns, selectorColumn, validateLongRunningTemplate, validateRollingUpdateCounts, validateWorkloadSelector, WORKLOAD_SCALE } from './workload.js';

export type DeploymentObject = Deployment & KubeObject;

const SPEC = FieldPath.root('spec');
const STRATEGY_TYPES = ['Recreate', 'RollingUpdate'];

/** SetDefaults_Deployment (apps/v1) and the pod template's defaults. */
export function defaultDeployment(d: Deployment): void {
  const spec = ((d as DeploymentObject).spec ??= { selector: {}, template: {} });
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = (strategy.rollingUpdate ??= {});
    rollingUpdate.maxUnavailable ??= '25%';
    rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template, 'Deployment');
}

function validateStrategy(d: Deployment): FieldError[] {
  const strategy = d.spec?.strategy ?? {};
  const path = SPEC.child('strategy');
  switch (strategy.type) {
    case 'Recreate':
      return strategy.rollingUpdate ? [forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      if (!strategy.rollingUpdate) return [required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
      return validateRollingUpdateCounts(strategy.rollingUpdate.maxUnavailable, strategy.rollingUpdate.maxSurge, path.child('rollingUpdate'));
    default:
      return [notSupported(path.child('type'), strategy.type ?? '', STRATEGY_TYPES)];
  }
}

/** ValidateDeploymentSpec's essentials. */
export function validateDeployment(d: Deployment): FieldError[] {
  const spec = d.spec;
  const errs: FieldError[] = [...validateNonnegativeField(spec?.replicas, SPEC.child('replicas'))];
  errs.push(...validateWorkloadSelector(spec?.selector, spec?.template, SPEC, 'deployment'));
  errs.push(...validateLongRunningTemplate(spec?.template, SPEC, 'ReplicaSet'));
  errs.push(...validateStrategy(d));
  errs.push(...validateNonnegativeField(spec?.minReadySeconds, SPEC.child('minReadySeconds')));
  errs.push(...validateNonnegativeField(spec?.revisionHistoryLimit, SPEC.child('revisionHistoryLimit')));
  const deadline = spec?.progressDeadlineSeconds;
  if (deadline !== undefined) {
    errs.push(...validateNonnegativeField(deadline, SPEC.child('progressDeadlineSeconds')));
    if (deadline <= (spec?.minReadySeconds ?? 0)) {
      errs.push(invalidValue(SPEC.child('progressDeadlineSeconds'), deadline, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** apps/v1 makes the selector immutable. */
export function validateDeploymentUpdate(d: Deployment, old: Deployment): FieldError[] {
  return validateImmutableField(d.spec?.selector, old.spec?.selector, SPEC.child('selector'));
}

/** ValidateDeploymentStatus: the counters are never negative. */
export function validateDeploymentStatus(d: Deployment): FieldError[] {
  const status = d.status ?? {};
  const path = FieldPath.root('status');
  return (['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const).flatMap((f) =>
    validateNonnegativeField(status[f], path.child(f)),
  );
}

export const deployments: ResourceType<DeploymentObject> = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  tracksGeneration: true,
  subresources: {
    status: true,
    scale: WORKLOAD_SCALE,
  },
  strategy: {
    defaults: defaultDeployment,
    validate: validateDeployment,
    validateUpdate: validateDeploymentUpdate,
    validateStatusUpdate: validateDeploymentStatus,
  },
  table: [
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', cell: (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}` },
    {
      name: 'Up-to-date',
      type: 'string',
      description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      cell: (d) => d.status?.updatedReplicas ?? 0,
    },
    {
      name: 'Available',
      type: 'string',
      description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      cell: (d) => d.status?.availableReplicas ?? 0,
    },
    ageColumn,
    ...containerColumns<DeploymentObject>((d) => d.spec?.template),
    selectorColumn<DeploymentObject>(
      (d) => d.spec?.selector,
      'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
    ),
  ],
};
