/**
 * The watches of an EtcdStore: shared etcd watches, one gRPC Watch stream.
 *
 * Many consumers watch the same prefix (every informer of a resource, every kubelet's pod
 * watch). One etcd watch per consumer would make etcd send each event once per consumer over
 * the stream, and decoding those copies is what bounds a 2-core machine. So consumers share:
 * a SharedWatch is one etcd watch on a prefix, and its consumers are WatchQueues fanned out in
 * memory by the generic WatchHub (../watch_hub.ts), as kube-apiserver's watch cache does.
 *
 * Joining. A SharedWatch keeps its most recent events in a bounded ring and knows that the
 * ring holds every event of its prefix in (ringFrom, received]. A new watch (prefix, after)
 * joins a SharedWatch of that prefix when after ≥ ringFrom: the ring's events after `after`
 * are replayed into its queue, then it is live. When `after` is newer than `received` (a
 * watch "from now" while events are still in flight to us) it joins with nothing to replay,
 * and the fan-out skips, per queue, events at or before the revision the queue starts after:
 * no gap, no duplicate. A watch no SharedWatch can serve (older history) gets a new
 * SharedWatch of its own, which later watches may join in turn.
 *
 * The stream. etcd answers create requests on a stream in the order they were sent, so the
 * pending creates are a FIFO queue. When the stream breaks (etcd restarted, an endpoint lost),
 * every SharedWatch is created again on a new stream, with back-off, from just after the last
 * revision it received; its consumers see nothing. etcd never splits one revision's events
 * across responses (we do not ask for fragments), so "after the last revision" is exact.
 *
 * Endings. A SharedWatch etcd cancels as compacted ends each consumer with Compacted, except
 * one whose own start is not compacted (it joined "from now"), which moves to another
 * SharedWatch. The last consumer leaving cancels the etcd watch.
 */
import { prefixEnd, StorageError } from '../store.js';
import type { WatchEvent } from '../store.js';
import { WatchHub as FanOut } from '../watch_hub.js';
import type { WatchQueue } from '../watch_queue.js';
import type { EtcdConnection, EtcdLogger, WatchStream } from './connection.js';
import { toWatchEvent } from './key_value.js';
import type { WatchResponseMsg } from './proto.js';

const RETRY_INITIAL_MS = 100;
const RETRY_MAX_MS = 5_000;
/** Recent events a SharedWatch keeps so that watches starting a little in the past can join. */
export const DEFAULT_WATCH_RING_SIZE = 4_096;

/** One etcd watch on a prefix and the consumers it serves. */
class SharedWatch {
  readonly consumers = new FanOut();
  /** Revision of the newest event received (the start revision before any): resume after it. */
  received: number;
  /** The ring holds every event of the prefix with a revision in (ringFrom, received]. */
  ringFrom: number;
  /** etcd's watch_id on the current stream, once created. */
  id: number | undefined;
  private readonly ring: (WatchEvent | undefined)[];
  private ringStart = 0;
  private ringLength = 0;

  constructor(
    readonly prefix: string,
    after: number,
    ringSize: number,
  ) {
    this.received = after;
    this.ringFrom = after;
    this.ring = new Array<WatchEvent | undefined>(ringSize);
  }

  /** Records a batch etcd sent (whole revisions, in order) and fans it out. */
  receive(events: readonly WatchEvent[]): void {
    const capacity = this.ring.length;
    for (const event of events) {
      if (this.ringLength === capacity) {
        // Evicting an event of revision r leaves (r, received] complete.
        this.ringFrom = (this.ring[this.ringStart] as WatchEvent).revision;
        this.ring[this.ringStart] = undefined;
        this.ringStart = (this.ringStart + 1) % capacity;
        this.ringLength--;
      }
      this.ring[(this.ringStart + this.ringLength) % capacity] = event;
      this.ringLength++;
      this.received = event.revision;
    }
    this.consumers.publish(events);
  }

  /** Whether a watch starting after `after` can join: the ring holds all it lacks. */
  covers(after: number): boolean {
    return after >= this.ringFrom;
  }

  /** Hands `queue` the ring's events after its start, then makes it a live consumer. */
  join(queue: WatchQueue): void {
    const after = queue.receivedRevision;
    if (after < this.received) {
      const capacity = this.ring.length;
      // Walk back to the first event after `after`; joins are usually near the head.
      let i = this.ringLength;
      while (i > 0 && (this.ring[(this.ringStart + i - 1) % capacity] as WatchEvent).revision > after) i--;
      for (; i < this.ringLength && !queue.done; i++) queue.push(this.ring[(this.ringStart + i) % capacity] as WatchEvent);
    }
    if (!queue.done) this.consumers.add(queue);
  }
}

export class WatchHub {
  private stream: WatchStream | undefined;
  /** SharedWatches by prefix; more than one when some started further back than others could serve. */
  private readonly byPrefix = new Map<string, SharedWatch[]>();
  /** The SharedWatch each consumer is in. */
  private readonly owner = new Map<WatchQueue, SharedWatch>();
  /** SharedWatches etcd has created on the current stream, by watch_id. */
  private readonly active = new Map<number, SharedWatch>();
  /** Create requests sent on the current stream, awaiting etcd's answer; undefined: dropped meanwhile. */
  private creating: (SharedWatch | undefined)[] = [];
  /** SharedWatches on no stream: new ones, or those whose stream broke. */
  private readonly waiting = new Set<SharedWatch>();
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly connection: EtcdConnection,
    private readonly logger: EtcdLogger,
    private readonly ringSize = DEFAULT_WATCH_RING_SIZE,
  ) {}

  /** Number of etcd watches (not consumers) open or being opened. */
  get sharedWatchCount(): number {
    let n = 0;
    for (const list of this.byPrefix.values()) n += list.length;
    return n;
  }

  /** Starts delivering to `watch` the events of its prefix after its receivedRevision. */
  add(watch: WatchQueue): void {
    if (this.closed) {
      watch.finish(this.connection.unavailable('the store is closed'));
      return;
    }
    const after = watch.receivedRevision;
    let list = this.byPrefix.get(watch.prefix);
    let shared = list?.find((s) => s.covers(after));
    if (!shared) {
      shared = new SharedWatch(watch.prefix, after, this.ringSize);
      if (!list) this.byPrefix.set(watch.prefix, (list = []));
      list.push(shared);
      this.waiting.add(shared);
      this.flush();
    }
    this.owner.set(watch, shared);
    shared.join(watch);
    // A queue that overflowed during the replay has ended and left (onEnd → remove).
  }

  /** Forgets a watch that ended on the consumer's side; the last one out cancels the etcd watch. */
  remove(watch: WatchQueue): void {
    const shared = this.owner.get(watch);
    if (!shared) return;
    this.owner.delete(watch);
    shared.consumers.remove(watch);
    if (shared.consumers.size === 0) this.drop(shared);
  }

  /** Ends every watch normally and closes the stream. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const all = [...this.byPrefix.values()].flat();
    this.byPrefix.clear();
    this.waiting.clear();
    this.active.clear();
    this.creating = [];
    for (const shared of all) shared.consumers.closeAll();
    this.owner.clear();
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
  }

  /** Forgets a SharedWatch and cancels its etcd watch; its consumers are the caller's business. */
  private drop(shared: SharedWatch): void {
    const list = this.byPrefix.get(shared.prefix);
    const at = list ? list.indexOf(shared) : -1;
    if (!list || at < 0) return; // dropped already
    list.splice(at, 1);
    if (list.length === 0) this.byPrefix.delete(shared.prefix);
    if (this.waiting.delete(shared)) return;
    if (shared.id !== undefined) {
      this.active.delete(shared.id);
      this.stream?.write({ cancelRequest: { watchId: shared.id } });
      shared.id = undefined;
      return;
    }
    const pending = this.creating.indexOf(shared);
    if (pending >= 0) this.creating[pending] = undefined;
  }

  /** Sends create requests for the waiting SharedWatches, opening a stream if there is none. */
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
    for (const shared of this.waiting) {
      this.creating.push(shared);
      this.stream.write({
        createRequest: {
          key: Buffer.from(shared.prefix),
          rangeEnd: Buffer.from(prefixEnd(shared.prefix)),
          startRevision: shared.received + 1,
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
      const shared = this.creating.shift();
      if (this.failures > 0) {
        this.logger.info(`etcd watch stream to ${this.connection.endpoints.join(',')} is back; watches resumed`);
        this.failures = 0;
      }
      if (!shared) {
        this.stream?.write({ cancelRequest: { watchId: response.watchId } });
      } else if (response.canceled) {
        this.refused(shared, response);
      } else {
        shared.id = response.watchId;
        this.active.set(response.watchId, shared);
      }
      return;
    }
    const shared = this.active.get(response.watchId);
    if (!shared) return; // cancelled by us; etcd may still have had events in flight
    if (response.events.length > 0) shared.receive(response.events.map(toWatchEvent));
    if (response.canceled) this.refused(shared, response);
  }

  /**
   * etcd cancelled a SharedWatch: its history was compacted, or something else. Consumers whose
   * own start is still in history move to another SharedWatch; the others end with the error.
   */
  private refused(shared: SharedWatch, response: WatchResponseMsg): void {
    this.drop(shared);
    const compacted = response.compactRevision;
    for (const watch of [...shared.consumers.queues()]) {
      shared.consumers.remove(watch);
      this.owner.delete(watch);
      if (compacted > 0 && watch.receivedRevision + 1 >= compacted) {
        this.add(watch);
      } else if (compacted > 0) {
        watch.finish(
          new StorageError('Compacted', `watch on ${watch.prefix}: history before revision ${compacted} has been compacted`, {
            revision: compacted,
          }),
        );
      } else {
        watch.finish(
          this.connection.unavailable(`etcd cancelled the watch on ${watch.prefix}: ${response.cancelReason || 'no reason given'}`),
        );
      }
    }
  }

  /** The stream failed: park every SharedWatch and open a new stream after a back-off. */
  private broken(stream: WatchStream | undefined, err: unknown): void {
    if (this.closed || stream !== this.stream) return;
    this.stream = undefined;
    stream?.cancel();
    for (const shared of [...this.creating, ...this.active.values()]) {
      if (!shared) continue;
      shared.id = undefined;
      this.waiting.add(shared);
    }
    this.creating = [];
    this.active.clear();
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
