/**
 * core/v1 ReplicationController: keeps N copies of a pod template running (the predecessor of
 * ReplicaSet). The selector and the object's labels default to the template's labels.
 */
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { formatLabels, selectorFromSet } from '../../labels.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { invalidValue, notSupported, required, validateNonnegativeField } from '../../validation/field.js';
import { validateLabels } from '../../validation/qualified_name.js';
import { ageColumn } from '../columns.js';
import { setStatus } from '../status.js';
import { containerCells, defaultPodTemplateSpec, validatePodTemplateSpec } from './pod_template_spec.js';

type ReplicationControllerObject = ReplicationController & KubeObject;

const SPEC = FieldPath.root('spec');

/** SetDefaults_ReplicationController. */
export function defaultReplicationController(rc: ReplicationControllerObject): void {
  const spec = (rc.spec ??= {});
  const labels = spec.template?.metadata?.labels;
  if (labels) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
  }
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template, 'ReplicationController');
}

/** ValidateReplicationControllerSpec's essentials. */
export function validateReplicationController(rc: ReplicationController): FieldError[] {
  const spec = rc.spec ?? {};
  const errs: FieldError[] = [...validateNonnegativeField(spec.replicas, SPEC.child('replicas'))];
  errs.push(...validateNonnegativeField(spec.minReadySeconds, SPEC.child('minReadySeconds')));
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(required(SPEC.child('selector')));
  else errs.push(...validateLabels(selector, SPEC.child('selector')));
  const template = spec.template;
  if (!template) {
    errs.push(required(SPEC.child('template')));
    return errs;
  }
  const templatePath = SPEC.child('template');
  const labels = template.metadata?.labels ?? {};
  if (Object.keys(selector).length > 0 && !selectorFromSet(selector).matches(labels)) {
    errs.push(invalidValue(templatePath.child('metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, templatePath));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy && restartPolicy !== 'Always') {
    errs.push(notSupported(templatePath.child('spec', 'restartPolicy'), restartPolicy, ['Always']));
  }
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push({ type: 'Forbidden', field: templatePath.child('spec', 'activeDeadlineSeconds').toString(), detail: 'activeDeadlineSeconds in ReplicationController is not Supported' });
  }
  return errs;
}

export const replicationControllers: ResourceType<ReplicationControllerObject> = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  resource: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  tracksGeneration: true,
  subresources: {
    status: true,
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      selectorOf: (rc) => selectorFromSet((rc.spec as { selector?: Record<string, string> } | undefined)?.selector).toString(),
    },
  },
  strategy: {
    defaults: defaultReplicationController,
    prepareForCreate(rc) {
      setStatus(rc, { replicas: 0 });
    },
    validate: validateReplicationController,
  },
  table: [
    { name: 'Desired', type: 'integer', description: 'Replicas is the number of desired replicas.', cell: (rc) => rc.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', description: 'Replicas is the most recently observed number of replicas.', cell: (rc) => rc.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', description: 'The number of ready replicas for this replication controller.', cell: (rc) => rc.status?.readyReplicas ?? 0 },
    ageColumn,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.', cell: (rc) => containerCells(rc.spec?.template).names },
    { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.', cell: (rc) => containerCells(rc.spec?.template).images },
    { name: 'Selector', type: 'string', priority: 1, description: 'Selector that selects a set of pods.', cell: (rc) => formatLabels(rc.spec?.selector) },
  ],
  fieldSelectors: { 'status.replicas': (rc) => String(rc.status?.replicas ?? 0) },
};
