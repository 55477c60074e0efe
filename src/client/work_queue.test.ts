import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkQueue } from './work_queue.js';

test('a key is queued once, never worked on twice at once, and rerun when added meanwhile', async () => {
  const queue = new WorkQueue({ baseDelayMs: 1 });
  const stop = new AbortController();
  const seen: string[] = [];
  let running = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const done = queue.run(async (key) => {
    running++;
    assert.equal(running, 1);
    seen.push(key);
    if (seen.length === 1) await gate;
    running--;
    if (seen.length === 3) stop.abort();
  }, stop.signal);
  queue.add('a');
  queue.add('a');
  await new Promise((resolve) => setTimeout(resolve, 5));
  queue.add('a'); // while 'a' runs: once more afterwards
  queue.add('a');
  queue.add('b');
  release();
  await done;
  assert.deepEqual(seen, ['a', 'b', 'a']);
});

test('failures come back with back-off; success forgets it', async () => {
  const queue = new WorkQueue({ baseDelayMs: 5, maxDelayMs: 20 });
  const stop = new AbortController();
  const times: number[] = [];
  const errors: unknown[] = [];
  const done = queue.run(
    (key) => {
      times.push(Date.now());
      if (times.length < 3) return Promise.reject(new Error(`fail ${key}`));
      stop.abort();
      return Promise.resolve();
    },
    stop.signal,
    (_key, err) => errors.push(err),
  );
  // The queue's timers do not hold the process open (the API server's socket does); here, this does.
  const keepAlive = setInterval(() => {}, 1_000);
  queue.add('k');
  await done;
  clearInterval(keepAlive);
  assert.equal(times.length, 3);
  assert.equal(errors.length, 2);
  assert.ok((times[2] as number) - (times[1] as number) >= 9, 'the second retry waits twice as long');
});
