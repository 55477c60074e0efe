/**
 * batch/v1 Job: pods that run to completion. Defaults (SetDefaults_Job), the generated
 * selector (job_selector.ts), ValidateJob's essentials, the update rules (selector, template,
 * completion mode and pod failure policy immutable), and printJob's table.
 */
import type { Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { validateLabelSelector } from '../../labels.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { isDNS1123Label } from '../../validation/dns.js';
import { invalidValue, jsonEqual, notSupported, required, validateImmutableField, validateNonnegativeField } from '../../validation/field.js';
import { ageColumn, humanDuration } from '../columns.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../core/pod_template_spec.js';
import { containerColumns, selectorColumn, validateSelectorMatchesTemplate } from '../apps/workload.js';
import { generateJobSelector, validateGeneratedSelector } from './job_selector.js';

export type JobObject = Job & KubeObject;

const SPEC = FieldPath.root('spec');
const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];
const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;

/** SetDefaults_Job (batch/v1) on a job spec, also used for CronJob job templates' pods. */
export function defaultJobSpec(spec: JobSpec, kind: string): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  defaultPodTemplateSpec(spec.template, kind);
}

/** SetDefaults_Job: the spec, and the Job's labels taken from its template's when it has none. */
export function defaultJob(job: Job): void {
  const spec = ((job as JobObject).spec ??= { template: {} });
  defaultJobSpec(spec, 'Job');
  copyTemplateLabels(job);
}

function copyTemplateLabels(job: Job): void {
  const meta = (job as JobObject).metadata;
  const labels = job.spec?.template.metadata?.labels;
  if (labels && Object.keys(meta.labels ?? {}).length === 0) meta.labels = { ...labels };
}

/** validateJobSpec: the checks a Job and a CronJob's job template share. */
export function validateJobSpecFields(spec: JobSpec | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
    errs.push(...validateNonnegativeField(spec?.[f], path.child(f)));
  }
  const mode = spec?.completionMode;
  if (mode !== undefined && !COMPLETION_MODES.includes(mode)) errs.push(notSupported(path.child('completionMode'), mode, COMPLETION_MODES));
  if (mode === 'Indexed') {
    if (spec?.completions === undefined) errs.push(required(path.child('completions'), 'when completion mode is Indexed'));
    const parallelism = spec?.parallelism;
    if (parallelism !== undefined && parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
      errs.push(invalidValue(path.child('parallelism'), parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
    }
  } else {
    if (spec?.backoffLimitPerIndex !== undefined) errs.push(invalidValue(path.child('backoffLimitPerIndex'), spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec?.maxFailedIndexes !== undefined) errs.push(invalidValue(path.child('maxFailedIndexes'), spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  const replacement = spec?.podReplacementPolicy;
  if (replacement !== undefined) {
    const allowed = spec?.podFailurePolicy ? ['Failed'] : POD_REPLACEMENT_POLICIES;
    if (!allowed.includes(replacement)) errs.push(notSupported(path.child('podReplacementPolicy'), replacement, allowed));
  }
  const template = spec?.template;
  if (!template) return [...errs, required(path.child('template'))];
  errs.push(...validatePodTemplateSpec(template, path.child('template')));
  // The pod defaults make an unset restartPolicy Always, hence Required for both.
  const restartPolicy = template.spec?.restartPolicy ?? '';
  const restartPath = path.child('template', 'spec', 'restartPolicy');
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errs.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(notSupported(restartPath, restartPolicy, ['OnFailure', 'Never']));
  } else if (spec?.podFailurePolicy && restartPolicy !== 'Never') {
    errs.push(invalidValue(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** ValidateJob's essentials. `prefixedLabels`: whether the batch.kubernetes.io labels are required. */
export function validateJob(job: Job, prefixedLabels = true): FieldError[] {
  const spec = job.spec;
  const errs = validateGeneratedSelector(job, prefixedLabels);
  errs.push(...validateJobSpecFields(spec, SPEC));
  if (!spec?.selector) errs.push(required(SPEC.child('selector')));
  else errs.push(...validateLabelSelector(spec.selector, SPEC.child('selector')));
  errs.push(...validateSelectorMatchesTemplate(spec?.selector, spec?.template, SPEC));
  const completions = spec?.completions ?? 0;
  if (spec?.completionMode === 'Indexed' && completions > 0) {
    // Indexed pods are named `<job>-<index>`, which must stay a DNS label.
    const hostname = `${job.metadata?.name ?? ''}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errs.push(invalidValue(FieldPath.root('metadata').child('name'), job.metadata?.name ?? '', `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

/** Template fields a suspended Job that never started may still change. */
const SCHEDULING_DIRECTIVES = ['nodeSelector', 'affinity', 'tolerations', 'schedulingGates'] as const;

function templateChanged(job: Job, old: Job): boolean {
  const next = job.spec?.template;
  const prev = old.spec?.template;
  const mutable = old.spec?.suspend === true && !old.status?.startTime;
  if (!mutable) return !jsonEqual(next, prev);
  const strip = (t: typeof next): unknown => {
    if (!t) return t;
    const spec: Record<string, unknown> = { ...(t.spec ?? {}) };
    for (const f of SCHEDULING_DIRECTIVES) delete spec[f];
    return { spec };
  };
  return !jsonEqual(strip(next), strip(prev));
}

/** ValidateJobSpecUpdate's essentials. */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const spec = job.spec;
  const prev = old.spec;
  const errs: FieldError[] = [];
  // Indexed Jobs may scale completions together with parallelism (elastic Indexed Jobs).
  const elastic = spec?.completionMode === 'Indexed' && spec.completions === spec.parallelism;
  if (!elastic) errs.push(...validateImmutableField(spec?.completions, prev?.completions, SPEC.child('completions')));
  errs.push(...validateImmutableField(spec?.selector, prev?.selector, SPEC.child('selector')));
  if (templateChanged(job, old)) errs.push(invalidValue(SPEC.child('template'), spec?.template, 'field is immutable'));
  errs.push(...validateImmutableField(spec?.completionMode, prev?.completionMode, SPEC.child('completionMode')));
  errs.push(...validateImmutableField(spec?.podFailurePolicy, prev?.podFailurePolicy, SPEC.child('podFailurePolicy')));
  errs.push(...validateImmutableField(spec?.backoffLimitPerIndex, prev?.backoffLimitPerIndex, SPEC.child('backoffLimitPerIndex')));
  errs.push(...validateImmutableField(spec?.managedBy, prev?.managedBy, SPEC.child('managedBy')));
  return errs;
}

function conditionTrue(job: Job, type: string): boolean {
  const c = job.status?.conditions?.find((cond) => cond.type === type);
  return c?.status === 'True';
}

/** STATUS: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
export function jobStatusCell(job: Job): string {
  if (conditionTrue(job, 'Complete')) return 'Complete';
  if (conditionTrue(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (conditionTrue(job, 'Suspended')) return 'Suspended';
  if (conditionTrue(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** COMPLETIONS: `succeeded/completions`, or `n/1 of parallelism` for a work queue. */
export function jobCompletionsCell(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** DURATION: from start to completion, or to now while running; empty before the start. */
export function jobDurationCell(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

export const jobs: ResourceType<JobObject> = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  tracksGeneration: true,
  subresources: { status: true },
  strategy: {
    defaults: defaultJob,
    prepareForCreate(job) {
      generateJobSelector(job);
      // Defaulting runs again when the stored Job is read back, which then copies the generated labels.
      copyTemplateLabels(job);
    },
    validate: (job) => validateJob(job),
    validateUpdate: validateJobUpdate,
  },
  table: [
    { name: 'Status', type: 'string', description: 'Status of the job.', cell: jobStatusCell },
    { name: 'Completions', type: 'string', description: 'The number of pods which reached phase Succeeded.', cell: jobCompletionsCell },
    { name: 'Duration', type: 'string', description: 'Time required to complete the job.', cell: jobDurationCell },
    ageColumn,
    ...containerColumns<JobObject>((job) => job.spec?.template),
    selectorColumn<JobObject>((job) => job.spec?.selector, 'A label query over pods that should match the pod count.'),
  ],
  fieldSelectors: { 'status.successful': (job) => String(job.status?.succeeded ?? 0) },
};
