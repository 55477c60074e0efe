/**
 * The selector kube-apiserver generates for a Job unless `spec.manualSelector` is true: the
 * template gains `batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name` and
 * their legacy unprefixed twins, and the selector matches the controller uid. Validation then
 * checks that the generated labels are present and unchanged (validateGeneratedSelector).
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { selectorFromLabelSelector } from '../../labels.js';
import { invalidValue, required } from '../../validation/field.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

/** generateSelector: labels the template (keeping any the user set) and selects the uid. */
export function generateJobSelector(job: Job): void {
  if (job.spec?.manualSelector === true) return;
  const spec = (job.spec ??= { template: {} });
  const meta = (spec.template.metadata ??= {});
  const labels = (meta.labels ??= {});
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  // A label the user set is kept; a conflict with the generated value fails validation.
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  matchLabels[CONTROLLER_UID_LABEL] ??= uid;
}

/** ValidateHasLabel: the template carries `key` with `expected`. */
function validateHasLabel(labels: Readonly<Record<string, string>>, key: string, expected: string): FieldError[] {
  const path = FieldPath.root('spec').child('template', 'metadata', 'labels').key(key);
  if (!(key in labels)) return [required(path, expected)];
  return labels[key] === expected ? [] : [invalidValue(path, labels, expected)];
}

/**
 * validateGeneratedSelector: with a generated selector, the template has the generated labels
 * and the selector selects them. `prefixedLabels` is false for Jobs created before the
 * batch.kubernetes.io labels existed.
 */
export function validateGeneratedSelector(job: Job, prefixedLabels: boolean): FieldError[] {
  if (job.spec?.manualSelector === true || !job.spec?.selector) return [];
  const errs: FieldError[] = [];
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  if (!uid) errs.push(required(FieldPath.root('metadata').child('uid')));
  const labels = job.spec.template.metadata?.labels ?? {};
  errs.push(...validateHasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid));
  errs.push(...validateHasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
  const expected: Record<string, string> = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  if (prefixedLabels) {
    errs.push(...validateHasLabel(labels, CONTROLLER_UID_LABEL, uid));
    errs.push(...validateHasLabel(labels, JOB_NAME_LABEL, name));
    expected[CONTROLLER_UID_LABEL] = uid;
    expected[JOB_NAME_LABEL] = name;
  }
  try {
    if (!selectorFromLabelSelector(job.spec.selector).matches(expected)) {
      errs.push(invalidValue(FieldPath.root('spec').child('selector'), job.spec.selector, '`selector` not auto-generated'));
    }
  } catch {
    // An invalid selector is reported by the selector's own validation.
  }
  return errs;
}
