import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldErrorMessage } from '../../errors.js';
import { CronParseError, parseCronSchedule } from './cron_schedule.js';
import { cronJobs, defaultCronJob, validateCronJob, type CronJobObject } from './cronjob.js';

function cronJob(schedule: string): CronJobObject {
  return {
    metadata: { name: 'backup', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      schedule,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'busybox' }], restartPolicy: 'OnFailure' } } } },
    },
  };
}

const parseError = (schedule: string): string => {
  try {
    parseCronSchedule(schedule);
  } catch (err) {
    assert.ok(err instanceof CronParseError);
    return err.message;
  }
  return '';
};

describe('cron schedules', () => {
  test('fields, ranges, steps, names and descriptors', () => {
    const s = parseCronSchedule('*/15 9-17 * jan-mar mon,fri');
    assert.deepEqual([...s.minutes], [0, 15, 30, 45]);
    assert.deepEqual([...s.hours], [9, 10, 11, 12, 13, 14, 15, 16, 17]);
    assert.deepEqual([...s.months], [1, 2, 3]);
    assert.deepEqual([...s.daysOfWeek], [1, 5]);
    assert.equal(s.daysOfMonthStar, true);
    assert.deepEqual([...parseCronSchedule('@daily').hours], [0]);
    assert.equal(parseCronSchedule('@every 1h30m').everyMs, 5_400_000);
  });

  test("robfig/cron's messages", () => {
    assert.equal(parseError('foo'), 'expected exactly 5 fields, found 1: [foo]');
    assert.equal(parseError('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
    assert.equal(parseError('60 * * * *'), 'end of range (60) above maximum (59): 60');
    assert.equal(parseError('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
    assert.equal(parseError('5-2 * * * *'), 'beginning of range (5) beyond end of range (2): 5-2');
    assert.equal(parseError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    assert.equal(parseError('*/0 * * * *'), 'step of range should be a positive number: */0');
    assert.equal(parseError('@fortnightly'), 'unrecognized descriptor: @fortnightly');
  });
});

describe('CronJob', () => {
  test('defaults', () => {
    const cj = cronJob('0 * * * *');
    defaultCronJob(cj);
    assert.equal(cj.spec?.concurrencyPolicy, 'Allow');
    assert.equal(cj.spec?.suspend, false);
    assert.equal(cj.spec?.successfulJobsHistoryLimit, 3);
    assert.equal(cj.spec?.failedJobsHistoryLimit, 1);
    assert.equal(cj.spec?.jobTemplate.spec?.template.spec?.dnsPolicy, 'ClusterFirst');
    assert.deepEqual(validateCronJob(cj), []);
  });

  test('an invalid schedule, a TZ= prefix and an unknown time zone', () => {
    const cj = cronJob('61 * * * *');
    defaultCronJob(cj);
    assert.deepEqual(validateCronJob(cj).map(fieldErrorMessage), ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']);
    cj.spec!.schedule = 'TZ=UTC 0 * * * *';
    assert.deepEqual(validateCronJob(cj).map(fieldErrorMessage), [
      'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
    cj.spec!.schedule = '0 * * * *';
    cj.spec!.timeZone = 'Mars/Olympus';
    assert.deepEqual(validateCronJob(cj).map(fieldErrorMessage), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
    cj.spec!.timeZone = 'Europe/Berlin';
    assert.deepEqual(validateCronJob(cj), []);
  });

  test('table: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', () => {
    const cj = cronJob('*/5 * * * *');
    defaultCronJob(cj);
    cj.status = { active: [{ name: 'backup-1' }], lastScheduleTime: '2024-01-01T00:55:00Z' };
    const now = Date.parse('2024-01-01T01:00:00Z');
    assert.deepEqual(
      (cronJobs.table ?? []).filter((c) => !c.priority).map((c) => [c.name, c.cell(cj, now)]),
      [
        ['Schedule', '*/5 * * * *'],
        ['Timezone', '<none>'],
        ['Suspend', 'False'],
        ['Active', 1],
        ['Last Schedule', '5m'],
        ['Age', '60m'],
      ],
    );
  });
});
