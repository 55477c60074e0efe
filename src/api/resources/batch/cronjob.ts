/**
 * batch/v1 CronJob: Jobs on a schedule. Defaults (SetDefaults_CronJob), ValidateCronJob's
 * essentials (the schedule parsed as cron, time zone, policies, the job template), and
 * printCronJob's table.
 */
import type { CronJob, CronJobSpec } from 'kubernetes-types/batch/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { invalidValue, notSupported, required, validateNonnegativeField } from '../../validation/field.js';
import { maxLenError } from '../../validation/messages.js';
import { age, ageColumn } from '../columns.js';
import { defaultPodTemplateSpec } from '../core/pod_template_spec.js';
import { containerColumns, selectorColumn } from '../apps/workload.js';
import { CronParseError, isKnownTimeZone, parseCronSchedule } from './cron_schedule.js';
import { validateJobSpecFields } from './job.js';

export type CronJobObject = CronJob & KubeObject;

const SPEC = FieldPath.root('spec');
const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
/** Job names get an 11-character suffix, so CronJob names are at most 52 characters. */
const CRONJOB_NAME_MAX_LENGTH = 52;
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** SetDefaults_CronJob (batch/v1); the job template's pod template gets the pod defaults. */
export function defaultCronJob(cj: CronJob): void {
  const spec = ((cj as CronJobObject).spec ??= { schedule: '', jobTemplate: {} });
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  if (spec.jobTemplate?.spec) defaultPodTemplateSpec(spec.jobTemplate.spec.template, 'CronJob');
}

/** validateScheduleFormat: a cron expression, without TZ= (the timeZone field replaces it). */
export function validateSchedule(schedule: string | undefined, timeZone: string | undefined, allowTZ: boolean): FieldError[] {
  const path = SPEC.child('schedule');
  if (!schedule) return [required(path)];
  const errs: FieldError[] = [];
  try {
    parseCronSchedule(schedule);
  } catch (err) {
    if (!(err instanceof CronParseError)) throw err;
    errs.push(invalidValue(path, schedule, err.message));
  }
  if (schedule.includes('TZ')) {
    if (!allowTZ) errs.push(invalidValue(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    else if (timeZone !== undefined) errs.push(invalidValue(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  }
  return errs;
}

/** validateTimeZone: an explicit IANA zone name. */
export function validateTimeZone(timeZone: string | undefined): FieldError[] {
  if (timeZone === undefined) return [];
  const path = SPEC.child('timeZone');
  if (timeZone === '') return [invalidValue(path, timeZone, 'timeZone must be nil or non-empty string')];
  if (timeZone.toLowerCase() === 'local') {
    return [invalidValue(path, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  }
  const badPart = timeZone.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !TIME_ZONE_PART.test(p));
  if (badPart || !isKnownTimeZone(timeZone)) return [invalidValue(path, timeZone, `unknown time zone ${timeZone}`)];
  return [];
}

function validateJobTemplate(spec: CronJobSpec | undefined): FieldError[] {
  const path = SPEC.child('jobTemplate', 'spec');
  const jobSpec = spec?.jobTemplate?.spec;
  const errs = validateJobSpecFields(jobSpec, path);
  if (jobSpec?.selector) errs.push(invalidValue(path.child('selector'), jobSpec.selector, '`selector` will be auto-generated'));
  if (jobSpec?.manualSelector === true) errs.push(notSupported(path.child('manualSelector'), true, ['nil', 'false']));
  return errs;
}

/** ValidateCronJobCreate's essentials; `allowTZ` is ValidateCronJobUpdate's allowance for a schedule that had TZ= already. */
export function validateCronJob(cj: CronJob, allowTZ = false): FieldError[] {
  const spec = cj.spec;
  const errs: FieldError[] = [];
  const name = cj.metadata?.name ?? '';
  if (name.length > CRONJOB_NAME_MAX_LENGTH) errs.push(invalidValue(FieldPath.root('metadata').child('name'), name, maxLenError(CRONJOB_NAME_MAX_LENGTH)));
  errs.push(...validateSchedule(spec?.schedule, spec?.timeZone, allowTZ));
  errs.push(...validateTimeZone(spec?.timeZone));
  const policy = spec?.concurrencyPolicy ?? '';
  if (!policy) errs.push(required(SPEC.child('concurrencyPolicy')));
  else if (!CONCURRENCY_POLICIES.includes(policy)) errs.push(notSupported(SPEC.child('concurrencyPolicy'), policy, CONCURRENCY_POLICIES));
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
    errs.push(...validateNonnegativeField(spec?.[f], SPEC.child(f)));
  }
  errs.push(...validateJobTemplate(spec));
  return errs;
}

export const cronJobs: ResourceType<CronJobObject> = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  resource: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  tracksGeneration: true,
  subresources: { status: true },
  strategy: {
    defaults: defaultCronJob,
    // kts never accepted a TZ= schedule, so no stored CronJob needs the update exception.
    validate: (cj) => validateCronJob(cj),
  },
  table: [
    { name: 'Schedule', type: 'string', description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.', cell: (cj) => cj.spec?.schedule ?? '' },
    {
      name: 'Timezone',
      type: 'string',
      description: 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
      cell: (cj) => cj.spec?.timeZone ?? '<none>',
    },
    {
      name: 'Suspend',
      type: 'boolean',
      description: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
      // printBoolPtr: the column is boolean, the cell a word.
      cell: (cj) => (cj.spec?.suspend === undefined ? '<unset>' : cj.spec.suspend ? 'True' : 'False'),
    },
    { name: 'Active', type: 'integer', description: 'A list of pointers to currently running jobs.', cell: (cj) => cj.status?.active?.length ?? 0 },
    {
      name: 'Last Schedule',
      type: 'string',
      description: 'Information when was the last time the job was successfully scheduled.',
      cell: (cj, now) => (cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, now) : '<none>'),
    },
    ageColumn,
    ...containerColumns<CronJobObject>((cj) => cj.spec?.jobTemplate?.spec?.template),
    selectorColumn<CronJobObject>((cj) => cj.spec?.jobTemplate?.spec?.selector, 'A label query over pods that should match the pod count.'),
  ],
};
