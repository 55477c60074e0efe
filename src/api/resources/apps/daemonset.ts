/**
 * apps/v1 DaemonSet: one pod per eligible node. Defaults (SetDefaults_DaemonSet),
 * ValidateDaemonSetSpec's essentials, the immutable selector, and printDaemonSet's table.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { formatLabels } from '../../labels.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { notSupported, required, validateImmutableField, validateNonnegativeField } from '../../validation/field.js';
import { validateNotMoreThan100Percent } from '../../validation/int_or_string.js';
import { ageColumn } from '../columns.js';
import { defaultPodTemplateSpec } from '../core/pod_template_spec.js';
import { containerColumns, selectorColumn, validateLongRunningTemplate, validateRollingUpdateCounts, validateWorkloadSelector } from './workload.js';

export type DaemonSetObject = DaemonSet & KubeObject;

const SPEC = FieldPath.root('spec');
const UPDATE_STRATEGIES = ['OnDelete', 'RollingUpdate'];

/** SetDefaults_DaemonSet (apps/v1) and the pod template's defaults. */
export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ((ds as DaemonSetObject).spec ??= { selector: {}, template: {} });
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = (strategy.rollingUpdate ??= {});
    rollingUpdate.maxUnavailable ??= 1;
    rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template, 'DaemonSet');
}

/** ValidateDaemonSetSpec's essentials. */
export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const spec = ds.spec;
  const errs: FieldError[] = [
    ...validateWorkloadSelector(spec?.selector, spec?.template, SPEC, 'daemonset'),
    ...validateLongRunningTemplate(spec?.template, SPEC, 'DaemonSet'),
    ...validateNonnegativeField(spec?.minReadySeconds, SPEC.child('minReadySeconds')),
    ...validateNonnegativeField(spec?.revisionHistoryLimit, SPEC.child('revisionHistoryLimit')),
  ];
  const strategy = spec?.updateStrategy ?? {};
  const path = SPEC.child('updateStrategy');
  if (!strategy.type || !UPDATE_STRATEGIES.includes(strategy.type)) {
    errs.push(notSupported(path.child('type'), strategy.type ?? '', UPDATE_STRATEGIES));
  } else if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = strategy.rollingUpdate;
    if (!rollingUpdate) {
      errs.push(required(path.child('rollingUpdate')));
    } else {
      errs.push(...validateRollingUpdateCounts(rollingUpdate.maxUnavailable, rollingUpdate.maxSurge, path.child('rollingUpdate')));
      if (rollingUpdate.maxSurge !== undefined) {
        errs.push(...validateNotMoreThan100Percent(rollingUpdate.maxSurge, path.child('rollingUpdate', 'maxSurge')));
      }
    }
  }
  return errs;
}

export const daemonSets: ResourceType<DaemonSetObject> = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  resource: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  tracksGeneration: true,
  subresources: { status: true },
  strategy: {
    defaults: defaultDaemonSet,
    validate: validateDaemonSet,
    validateUpdate: (ds, old) => validateImmutableField(ds.spec?.selector, old.spec?.selector, SPEC.child('selector')),
  },
  table: [
    {
      name: 'Desired',
      type: 'integer',
      description: 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
      cell: (ds) => ds.status?.desiredNumberScheduled ?? 0,
    },
    {
      name: 'Current',
      type: 'integer',
      description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      cell: (ds) => ds.status?.currentNumberScheduled ?? 0,
    },
    {
      name: 'Ready',
      type: 'integer',
      description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
      cell: (ds) => ds.status?.numberReady ?? 0,
    },
    {
      name: 'Up-to-date',
      type: 'integer',
      description: 'The total number of nodes that are running updated daemon pod',
      cell: (ds) => ds.status?.updatedNumberScheduled ?? 0,
    },
    {
      name: 'Available',
      type: 'integer',
      description:
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      cell: (ds) => ds.status?.numberAvailable ?? 0,
    },
    {
      name: 'Node Selector',
      type: 'string',
      description:
        "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
      cell: (ds) => formatLabels(ds.spec?.template?.spec?.nodeSelector),
    },
    ageColumn,
    ...containerColumns<DaemonSetObject>((ds) => ds.spec?.template),
    selectorColumn<DaemonSetObject>((ds) => ds.spec?.selector, 'A label query over pods that are managed by the daemon set.'),
  ],
};
