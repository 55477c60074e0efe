/** Test helper: runs `fn`, which must throw a StatusError, and returns that error. */
import assert from 'node:assert/strict';
import { StatusError } from '../../src/api/errors.js';

export function thrownStatus(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected a StatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}
