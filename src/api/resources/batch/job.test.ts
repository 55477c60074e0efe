import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { jobs, validateJob, validateJobUpdate, type JobObject } from './job.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);
const UID = '0b8a4f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';

function job(): JobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: UID, creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' } } },
  };
}

/** What the API server does on create: defaults, then prepareForCreate. */
function create(j: JobObject): JobObject {
  jobs.strategy?.defaults?.(j);
  jobs.strategy?.prepareForCreate?.(j);
  return j;
}

describe('Job create', () => {
  test('defaults', () => {
    const spec = create(job()).spec;
    assert.equal(spec?.backoffLimit, 6);
    assert.equal(spec?.completions, 1);
    assert.equal(spec?.parallelism, 1);
    assert.equal(spec?.completionMode, 'NonIndexed');
    assert.equal(spec?.suspend, false);
    assert.equal(spec?.podReplacementPolicy, 'TerminatingOrFailed');
    assert.equal(spec?.manualSelector, undefined);
  });

  test('a work queue keeps completions unset', () => {
    const j = job();
    j.spec!.parallelism = 3;
    create(j);
    assert.equal(j.spec?.completions, undefined);
    assert.equal(jobs.table?.find((c) => c.name === 'Completions')?.cell(j, 0), '0/1 of 3');
  });

  test('the server generates the selector and the template labels', () => {
    const j = create(job());
    const labels = {
      'batch.kubernetes.io/controller-uid': UID,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': UID,
      'job-name': 'pi',
    };
    assert.deepEqual(j.spec?.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
    assert.deepEqual(j.spec?.template.metadata?.labels, labels);
    assert.deepEqual(j.metadata.labels, labels);
    assert.deepEqual(validateJob(j), []);
  });

  test('manualSelector: the user selector stays, and must match', () => {
    const j = job();
    j.spec!.manualSelector = true;
    j.spec!.selector = { matchLabels: { app: 'pi' } };
    j.spec!.template.metadata = { labels: { app: 'other' } };
    create(j);
    assert.deepEqual(j.spec?.selector, { matchLabels: { app: 'pi' } });
    assert.deepEqual(messages(validateJob(j)), ['spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`']);
  });

  test('a selector the user wrote without manualSelector is rejected', () => {
    const j = job();
    j.spec!.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'someone-else' } };
    create(j);
    assert.deepEqual(messages(validateJob(j)), [
      'spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"someone-else"}}: `selector` not auto-generated',
      'spec.template.metadata.labels: Invalid value: {"job-name":"pi","batch.kubernetes.io/job-name":"pi","controller-uid":"0b8a4f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b","batch.kubernetes.io/controller-uid":"0b8a4f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"}: `selector` does not match template `labels`',
    ]);
  });

  test('restartPolicy must be OnFailure or Never', () => {
    const j = job();
    delete j.spec!.template.spec!.restartPolicy;
    create(j);
    assert.deepEqual(messages(validateJob(j)), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });
});

describe('Job update', () => {
  test('the template is immutable', () => {
    const old = create(job());
    const j = structuredClone(old);
    j.spec!.template.spec!.containers[0]!.image = 'perl:5.36';
    assert.deepEqual(
      validateJobUpdate(j, old).map((e) => `${e.field}: ${e.detail ?? ''}`),
      ['spec.template: field is immutable'],
    );
  });

  test('a suspended job that never ran may change its node selector', () => {
    const old = create(job());
    old.spec!.suspend = true;
    const j = structuredClone(old);
    j.spec!.template.spec!.nodeSelector = { zone: 'a' };
    assert.deepEqual(validateJobUpdate(j, old), []);
  });
});

describe('Job table', () => {
  test('STATUS COMPLETIONS DURATION AGE', () => {
    const j = create(job());
    (j as KubeObject).status = {
      succeeded: 1,
      startTime: '2024-01-01T00:00:00Z',
      completionTime: '2024-01-01T00:00:42Z',
      conditions: [{ type: 'Complete', status: 'True' }],
    };
    const now = Date.parse('2024-01-01T01:00:00Z');
    assert.deepEqual(
      (jobs.table ?? []).map((c) => c.cell(j, now)),
      ['Complete', '1/1', '42s', '60m', 'pi', 'perl:5.34', `batch.kubernetes.io/controller-uid=${UID}`],
    );
  });

  test('a running job', () => {
    const j = create(job());
    (j as KubeObject).status = { startTime: '2024-01-01T00:00:00Z' };
    const cell = (name: string): unknown => jobs.table?.find((c) => c.name === name)?.cell(j, Date.parse('2024-01-01T00:00:30Z'));
    assert.equal(cell('Status'), 'Running');
    assert.equal(cell('Duration'), '30s');
  });
});
