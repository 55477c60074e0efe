/**
 * All of an EtcdStore's watches multiplexed on one gRPC Watch stream, by etcd's watch_id.
 *
 * etcd answers create requests on a stream in the order they were sent, so the pending
 * creates are a FIFO queue. When the stream breaks (etcd restarted, an endpoint lost), every
 * watch is created again on a new stream, with back-off, from just after the last revision it
 * received: the consumer sees no gap and no duplicate. etcd never splits one revision's events
 * across responses (we do not ask for fragments), so "after the last revision" is exact.
 */
import { prefixEnd, StorageError } from '../store.js';
import type { EtcdConnection, EtcdLogger, WatchStream } from './connection.js';
import { toWatchEvent } from './key_value.js';
import type { WatchResponseMsg } from './proto.js';
import type { WatchQueue } from '../watch_queue.js';

const RETRY_INITIAL_MS = 100;
const RETRY_MAX_MS = 5_000;

export class WatchHub {
  private stream: WatchStream | undefined;
  /** Watches etcd has created on the current stream, by watch_id. */
  private readonly active = new Map<number, WatchQueue>();
  private readonly ids = new Map<WatchQueue, number>();
  /** Create requests sent on the current stream, awaiting etcd's answer; undefined: stopped meanwhile. */
  private creating: (WatchQueue | undefined)[] = [];
  /** Watches on no stream: new ones, or those whose stream broke. */
  private readonly waiting = new Set<WatchQueue>();
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly connection: EtcdConnection,
    private readonly logger: EtcdLogger,
  ) {}

  add(watch: WatchQueue): void {
    if (this.closed) {
      watch.finish(this.connection.unavailable('the store is closed'));
      return;
    }
    this.waiting.add(watch);
    this.flush();
  }

  /** Forgets a watch that ended on the consumer's side, cancelling it in etcd. */
  remove(watch: WatchQueue): void {
    if (this.waiting.delete(watch)) return;
    const id = this.ids.get(watch);
    if (id !== undefined) {
      this.ids.delete(watch);
      this.active.delete(id);
      this.stream?.write({ cancelRequest: { watchId: id } });
      return;
    }
    const pending = this.creating.indexOf(watch);
    if (pending >= 0) this.creating[pending] = undefined;
  }

  /** Ends every watch normally and closes the stream. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const all = [...this.waiting, ...this.active.values(), ...this.creating];
    this.waiting.clear();
    this.active.clear();
    this.ids.clear();
    this.creating = [];
    for (const watch of all) watch?.finish();
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
  }

  /** Sends create requests for the waiting watches, opening a stream if there is none. */
  private flush(): void {
    if (this.closed || this.retryTimer || this.waiting.size === 0) return;
    if (!this.stream) {
      try {
        this.stream = this.open();
      } catch (err) {
        this.broken(undefined, err);
        return;
      }
    }
    for (const watch of this.waiting) {
      this.creating.push(watch);
      this.stream.write({
        createRequest: {
          key: Buffer.from(watch.prefix),
          rangeEnd: Buffer.from(prefixEnd(watch.prefix)),
          startRevision: watch.receivedRevision + 1,
          prevKv: true,
        },
      });
    }
    this.waiting.clear();
  }

  private open(): WatchStream {
    const stream = this.connection.openWatchStream();
    stream.on('data', (response: WatchResponseMsg) => this.receive(response));
    stream.on('error', (err: Error) => this.broken(stream, err));
    stream.on('end', () => this.broken(stream, new Error('etcd closed the watch stream')));
    return stream;
  }

  private receive(response: WatchResponseMsg): void {
    this.connection.observe(response.header.revision);
    if (response.created) {
      const watch = this.creating.shift();
      if (this.failures > 0) {
        this.logger.info(`etcd watch stream to ${this.connection.endpoints.join(',')} is back; watches resumed`);
        this.failures = 0;
      }
      if (response.canceled) {
        watch?.finish(this.refused(watch.prefix, response));
      } else if (watch) {
        this.active.set(response.watchId, watch);
        this.ids.set(watch, response.watchId);
      } else {
        this.stream?.write({ cancelRequest: { watchId: response.watchId } });
      }
      return;
    }
    const watch = this.active.get(response.watchId);
    if (!watch) return; // cancelled by us; etcd may still have had events in flight
    watch.deliver(response.events.map(toWatchEvent));
    if (response.canceled) {
      this.active.delete(response.watchId);
      this.ids.delete(watch);
      watch.finish(this.refused(watch.prefix, response));
    }
  }

  /** The error for a watch etcd cancelled: its history was compacted, or something else. */
  private refused(prefix: string, response: WatchResponseMsg): StorageError {
    if (response.compactRevision > 0) {
      return new StorageError(
        'Compacted',
        `watch on ${prefix}: history before revision ${response.compactRevision} has been compacted`,
        { revision: response.compactRevision },
      );
    }
    return this.connection.unavailable(`etcd cancelled the watch on ${prefix}: ${response.cancelReason || 'no reason given'}`);
  }

  /** The stream failed: park every watch and open a new stream after a back-off. */
  private broken(stream: WatchStream | undefined, err: unknown): void {
    if (this.closed || stream !== this.stream) return;
    this.stream = undefined;
    stream?.cancel();
    for (const watch of [...this.creating, ...this.active.values()]) if (watch && !watch.done) this.waiting.add(watch);
    this.creating = [];
    this.active.clear();
    this.ids.clear();
    if (this.waiting.size === 0) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** this.failures) * (0.5 + Math.random() / 2);
    if (this.failures === 0) {
      this.logger.warn(
        `etcd watch stream to ${this.connection.endpoints.join(',')} failed (${(err as Error).message}); ` +
          `resuming ${this.waiting.size} watches with back-off`,
      );
    }
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush();
    }, delay);
  }
}
