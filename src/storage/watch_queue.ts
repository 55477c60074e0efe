/**
 * WatchQueue: the consumer side of one storage watch, for both backends. A backend hands it
 * events from its commit path (sqlite) or its etcd stream; the consumer pulls them with
 * `for await`. The buffer is bounded so that a consumer that stops reading can never hold back
 * writers or other watches: past `maxBuffered` undelivered events the buffer is dropped and
 * the watch ends with WatcherTooSlow, naming the revision the consumer has read up to, from
 * which it resumes with a new watch.
 */
import { StorageError, type WatchEvent } from './store.js';

export const DEFAULT_MAX_BUFFERED_EVENTS = 10_000;

export interface WatchQueueOptions {
  prefix: string;
  /** The revision the watch starts after; lastRevision until the first event is consumed. */
  afterRevision: number;
  maxBuffered?: number | undefined;
  /** Called once when the watch ends for any reason, so the backend can forget it. */
  onEnd?: () => void;
}

/**
 * Generic over the event type so that the API server's watch cache can queue its own events
 * (anything with a revision) with the same guarantees.
 */
export class WatchQueue<E extends { revision: number } = WatchEvent> implements AsyncIterable<E> {
  readonly prefix: string;
  private readonly maxBuffered: number;
  private readonly onEnd: (() => void) | undefined;
  private buffer: E[] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<E>) => void) | undefined;
  private waiterReject: ((err: Error) => void) | undefined;
  private ended = false;
  private error: Error | undefined;
  private last: number;
  private received: number;

  constructor(options: WatchQueueOptions) {
    this.prefix = options.prefix;
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED_EVENTS;
    this.onEnd = options.onEnd;
    this.last = options.afterRevision;
    this.received = options.afterRevision;
  }

  get lastRevision(): number {
    return this.last;
  }

  /** Revision of the newest event handed over, delivered or buffered: a backend resumes after it. */
  get receivedRevision(): number {
    return this.received;
  }

  get done(): boolean {
    return this.ended;
  }

  /** Hands events over in revision order. */
  deliver(events: readonly E[]): void {
    for (const event of events) this.push(event);
  }

  /** Hands one event over; drops the watch with WatcherTooSlow when the buffer is full. */
  push(event: E): void {
    if (this.ended) return;
    this.received = event.revision;
    if (this.waiter) {
      const resolve = this.waiter;
      this.clearWaiter();
      this.last = event.revision;
      resolve({ value: event, done: false });
      return;
    }
    if (this.buffer.length - this.head >= this.maxBuffered) {
      this.buffer = [];
      this.head = 0;
      this.finish(
        new StorageError(
          'WatcherTooSlow',
          `watch on ${this.prefix} fell more than ${this.maxBuffered} events behind and was dropped; resume after revision ${this.last}`,
          { revision: this.last },
        ),
      );
      return;
    }
    this.buffer.push(event);
  }

  /**
   * Ends the watch: normally, or with `error` after the consumer has read what is buffered.
   * Safe to call more than once; only the first call counts.
   */
  finish(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (error) this.error = error;
    else {
      this.buffer = [];
      this.head = 0;
    }
    const resolve = this.waiter;
    const reject = this.waiterReject;
    this.clearWaiter();
    if (resolve && reject) {
      const err = this.takeError();
      if (err) reject(err);
      else resolve({ value: undefined, done: true });
    }
    this.onEnd?.();
  }

  stop(): void {
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    return {
      next: () => this.next(),
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private next(): Promise<IteratorResult<E>> {
    if (this.head < this.buffer.length) {
      const event = this.buffer[this.head++] as E;
      if (this.head === this.buffer.length) {
        this.buffer = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.buffer.length) {
        // Drop the consumed front now and then so a long backlog does not pin memory.
        this.buffer = this.buffer.slice(this.head);
        this.head = 0;
      }
      this.last = event.revision;
      return Promise.resolve({ value: event, done: false });
    }
    if (this.ended) {
      const err = this.takeError();
      return err ? Promise.reject(err) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.waiterReject = reject;
    });
  }

  /** The ending error, handed out once; later calls to next() report a plain end. */
  private takeError(): Error | undefined {
    const err = this.error;
    this.error = undefined;
    return err;
  }

  private clearWaiter(): void {
    this.waiter = undefined;
    this.waiterReject = undefined;
  }
}
