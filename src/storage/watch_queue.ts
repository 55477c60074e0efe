/**
 * WatchQueue: the consumer side of one storage watch. A backend pushes events into it from its
 * commit path (or its etcd stream); the consumer pulls them with `for await`. The buffer is
 * bounded so that a consumer that stops reading can never hold back writers or other watches:
 * past `maxBuffered` undelivered events the watch ends with WatcherTooSlow, and the consumer
 * resumes from `lastRevision` with a new watch.
 */
import { StorageError, type Watch, type WatchEvent } from './store.js';

export const DEFAULT_MAX_BUFFERED_EVENTS = 10_000;

export interface WatchQueueOptions {
  prefix: string;
  /** The revision the watch starts after; lastRevision until the first event is consumed. */
  afterRevision: number;
  maxBuffered?: number;
  /** Called once when the watch ends for any reason, so the backend can drop it. */
  onEnd?: () => void;
}

export class WatchQueue implements Watch {
  readonly prefix: string;
  private readonly maxBuffered: number;
  private readonly onEnd: (() => void) | undefined;
  private buffer: WatchEvent[] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<WatchEvent>) => void) | undefined;
  private waiterReject: ((err: unknown) => void) | undefined;
  private ended = false;
  private error: unknown;
  private last: number;
  /** Revision of the last event pushed (delivered or not): backends resume after it. */
  private pushed: number;

  constructor(options: WatchQueueOptions) {
    this.prefix = options.prefix;
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED_EVENTS;
    this.onEnd = options.onEnd;
    this.last = options.afterRevision;
    this.pushed = options.afterRevision;
  }

  get lastRevision(): number {
    return this.last;
  }

  /** Revision of the newest event the backend handed over. */
  get lastPushedRevision(): number {
    return this.pushed;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Hands one event to the consumer; ends the watch with WatcherTooSlow when the buffer is full. */
  push(event: WatchEvent): void {
    if (this.ended) return;
    this.pushed = event.revision;
    if (this.waiter) {
      const resolve = this.waiter;
      this.clearWaiter();
      this.last = event.revision;
      resolve({ value: event, done: false });
      return;
    }
    if (this.buffer.length - this.head >= this.maxBuffered) {
      this.fail(
        new StorageError(
          'WatcherTooSlow',
          `watch on ${this.prefix} fell ${this.maxBuffered} events behind and was dropped; resume after revision ${this.last}`,
          { revision: this.last },
        ),
      );
      return;
    }
    this.buffer.push(event);
  }

  /** Ends the watch with an error, after the events already buffered are consumed. */
  fail(err: unknown): void {
    if (this.ended) return;
    this.error = err;
    this.finish();
  }

  stop(): void {
    if (this.ended) return;
    this.buffer = [];
    this.head = 0;
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return {
      next: () => this.next(),
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private next(): Promise<IteratorResult<WatchEvent>> {
    if (this.head < this.buffer.length) {
      const event = this.buffer[this.head++] as WatchEvent;
      if (this.head === this.buffer.length) {
        this.buffer = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.buffer.length) {
        this.buffer = this.buffer.slice(this.head);
        this.head = 0;
      }
      this.last = event.revision;
      return Promise.resolve({ value: event, done: false });
    }
    if (this.ended) {
      if (this.error !== undefined) {
        const err = this.error;
        this.error = undefined;
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.waiterReject = reject;
    });
  }

  private finish(): void {
    this.ended = true;
    const resolve = this.waiter;
    const reject = this.waiterReject;
    this.clearWaiter();
    if (resolve && reject) {
      if (this.error !== undefined) {
        const err = this.error;
        this.error = undefined;
        reject(err);
      } else {
        resolve({ value: undefined, done: true });
      }
    }
    this.onEnd?.();
  }

  private clearWaiter(): void {
    this.waiter = undefined;
    this.waiterReject = undefined;
  }
}
