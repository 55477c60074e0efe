/**
 * What the apps/v1 workloads (and Jobs) share: the selector that must select the template's
 * labels, the pod template of a long-running workload (restartPolicy Always), rolling-update
 * counts, and the CONTAINERS / IMAGES / SELECTOR cells of their tables. Used by the
 * declarations in this folder and in ../batch.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { FieldError, FieldPath } from '../../errors.js';
import { formatLabelSelector, selectorFromLabelSelector, validateLabelSelector } from '../../labels.js';
import type { KubeObject } from '../../object.js';
import type { ScaleSubresource, TableColumn } from '../../registry.js';
import { forbidden, invalidValue, notSupported, required } from '../../validation/field.js';
import {
  percentValue,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
  type IntOrString,
} from '../../validation/int_or_string.js';
import { containerCells, validatePodTemplateSpec } from '../core/pod_template_spec.js';

/**
 * The selector of a workload: required, valid, not empty, and selecting the template's labels
 * (ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec).
 */
export function validateWorkloadSelector(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  spec: FieldPath,
  kind: string,
): FieldError[] {
  const path = spec.child('selector');
  if (!selector) return [required(path)];
  const errs = validateLabelSelector(selector, path);
  if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
    errs.push(invalidValue(path, selector, `empty selector is invalid for ${kind}`));
    return errs;
  }
  errs.push(...validateSelectorMatchesTemplate(selector, template, spec));
  return errs;
}

/** "`selector` does not match template `labels`", when the selector parses and does not match. */
export function validateSelectorMatchesTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  spec: FieldPath,
): FieldError[] {
  const labels = template?.metadata?.labels ?? {};
  try {
    if (selectorFromLabelSelector(selector).matches(labels)) return [];
  } catch {
    return []; // An invalid selector is reported by validateLabelSelector.
  }
  return [invalidValue(spec.child('template', 'metadata', 'labels'), labels, '`selector` does not match template `labels`')];
}

/**
 * ValidatePodTemplateSpecForReplicaSet and friends: the template must exist, be valid, restart
 * Always, and carry no activeDeadlineSeconds.
 */
export function validateLongRunningTemplate(template: PodTemplateSpec | undefined, spec: FieldPath, kind: string): FieldError[] {
  const path = spec.child('template');
  if (!template) return [required(path)];
  const errs = validatePodTemplateSpec(template, path);
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy && restartPolicy !== 'Always') errs.push(notSupported(path.child('spec', 'restartPolicy'), restartPolicy, ['Always']));
  const deadline = template.spec?.activeDeadlineSeconds;
  if (deadline !== undefined) {
    const deadlinePath = path.child('spec', 'activeDeadlineSeconds');
    // DaemonSet validation words this one differently.
    errs.push(
      kind === 'DaemonSet'
        ? invalidValue(deadlinePath, deadline, 'activeDeadlineSeconds must be nil for daemonset')
        : forbidden(deadlinePath, `activeDeadlineSeconds in ${kind} is not Supported`),
    );
  }
  return errs;
}

/**
 * maxUnavailable and maxSurge of a rolling update: counts or percentages, maxUnavailable at
 * most 100%, and not both zero (ValidateRollingUpdateDeployment, ValidateRollingUpdateDaemonSet).
 */
export function validateRollingUpdateCounts(
  maxUnavailable: IntOrString | undefined,
  maxSurge: IntOrString | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const unavailablePath = path.child('maxUnavailable');
  if (maxUnavailable !== undefined) {
    errs.push(...validatePositiveIntOrPercent(maxUnavailable, unavailablePath));
    errs.push(...validateNotMoreThan100Percent(maxUnavailable, unavailablePath));
  }
  if (maxSurge !== undefined) errs.push(...validatePositiveIntOrPercent(maxSurge, path.child('maxSurge')));
  if (isZero(maxUnavailable) && isZero(maxSurge)) {
    errs.push(invalidValue(unavailablePath, maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

/** A count or percentage that is zero (an absent value counts as zero, as in getIntOrPercentValue). */
function isZero(value: IntOrString | undefined): boolean {
  if (value === undefined) return true;
  return typeof value === 'number' ? value === 0 : percentValue(value) === 0;
}

/** Reads the pod template of a workload for the CONTAINERS / IMAGES / SELECTOR cells. */
type TemplateOf<T> = (obj: T) => PodTemplateSpec | undefined;

const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';

/** The `-o wide` CONTAINERS and IMAGES columns of workload tables. */
export function containerColumns<T extends KubeObject>(template: TemplateOf<T>): TableColumn<T>[] {
  return [
    { name: 'Containers', type: 'string', priority: 1, description: CONTAINERS_DESCRIPTION, cell: (o) => containerCells(template(o)).names },
    { name: 'Images', type: 'string', priority: 1, description: IMAGES_DESCRIPTION, cell: (o) => containerCells(template(o)).images },
  ];
}

/** The `-o wide` SELECTOR column: metav1.FormatLabelSelector of the workload's selector. */
export function selectorColumn<T extends KubeObject>(
  selector: (obj: T) => LabelSelector | undefined,
  description: string,
): TableColumn<T> {
  return { name: 'Selector', type: 'string', priority: 1, description, cell: (o) => formatLabelSelector(selector(o)) };
}

/**
 * The scale subresource of Deployments, ReplicaSets and StatefulSets: replicas in spec and
 * status, and the Scale's selector built from the workload's own, as Kubernetes builds it.
 */
export const WORKLOAD_SCALE: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  selectorOf: (obj) => formatLabelSelector((obj.spec as { selector?: LabelSelector } | undefined)?.selector),
};
