/**
 * A keyed work queue with client-go's promises, for every controller: a key waits in the
 * queue at most once; a key is never worked on twice at once; a key added while it is being
 * worked on runs again afterwards; a failed key comes back after a per-key exponential delay,
 * and a success resets that delay. One worker; stopping is an AbortSignal.
 */

export interface WorkQueueOptions {
  /** The first retry delay after a failure (doubled per consecutive failure). */
  baseDelayMs?: number;
  /** The longest retry delay. */
  maxDelayMs?: number;
}

export class WorkQueue {
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private wake: (() => void) | undefined;
  private stopped = false;

  constructor(options: WorkQueueOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
  }

  /** Queues `key` unless it is already waiting. */
  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // queued again when its current run ends
    this.queue.push(key);
    this.wake?.();
  }

  /** Queues `key` after its back-off delay, which doubles on each call until forget(). */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs));
  }

  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Resets `key`'s back-off. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /**
   * Works keys off one at a time until `signal` aborts. `work` throwing requeues the key
   * with back-off (after `onError`); returning forgets its back-off.
   */
  async run(work: (key: string) => Promise<void>, signal: AbortSignal, onError?: (key: string, err: unknown) => void): Promise<void> {
    const stop = (): void => {
      this.stopped = true;
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.wake?.();
    };
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    while (!this.stopped) {
      const key = this.queue.shift();
      if (key === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      try {
        await work(key);
        this.forget(key);
      } catch (err) {
        onError?.(key, err);
        this.addRateLimited(key);
      } finally {
        this.processing.delete(key);
        if (this.dirty.has(key)) this.queue.push(key);
      }
    }
  }
}
