/**
 * WatchHub: fans events out to the watches of one process, grouped by prefix, so that an event
 * is matched against each distinct prefix once, not against every watcher. The sqlite backend
 * publishes from its commit path, so watchers never poll the database; the etcd backend
 * (etcd/watch_hub.ts) publishes what one shared etcd watch receives to that watch's consumers.
 *
 * A queue may join while events it already has are still on their way (etcd: a watch "from
 * now" joining a shared etcd watch whose newest events are in flight): publish hands each
 * queue only the events after the revision it had received before the batch. A batch holds
 * whole revisions (etcd may put several events under one revision), which is why the cut is
 * taken per batch and not per event.
 */
import type { WatchEvent } from './store.js';
import { WatchQueue } from './watch_queue.js';

export class WatchHub {
  private readonly byPrefix = new Map<string, Set<WatchQueue>>();

  add(queue: WatchQueue): void {
    let group = this.byPrefix.get(queue.prefix);
    if (!group) {
      group = new Set();
      this.byPrefix.set(queue.prefix, group);
    }
    group.add(queue);
  }

  remove(queue: WatchQueue): void {
    const group = this.byPrefix.get(queue.prefix);
    if (!group) return;
    group.delete(queue);
    if (group.size === 0) this.byPrefix.delete(queue.prefix);
  }

  /**
   * Delivers a batch of events, in revision order and holding whole revisions, to every watch
   * whose prefix matches, skipping those at or before the revision the watch has received.
   */
  publish(events: readonly WatchEvent[]): void {
    const newest = events.at(-1)?.revision;
    if (newest === undefined) return;
    for (const [prefix, group] of this.byPrefix) {
      const matched = events.every((e) => e.key.startsWith(prefix)) ? events : events.filter((e) => e.key.startsWith(prefix));
      if (matched.length === 0) continue;
      // A queue that overflows ends itself and leaves the group; deleting from a Set while
      // iterating it is safe.
      for (const queue of group) {
        const after = queue.receivedRevision;
        if (after >= newest) continue;
        for (const event of matched) if (event.revision > after) queue.push(event);
      }
    }
  }

  /** Ends every watch, with `err` when given. */
  closeAll(err?: Error): void {
    for (const group of [...this.byPrefix.values()]) {
      for (const queue of [...group]) queue.finish(err);
    }
    this.byPrefix.clear();
  }

  get size(): number {
    let n = 0;
    for (const group of this.byPrefix.values()) n += group.size;
    return n;
  }

  /** Every watch, in no particular order. */
  *queues(): IterableIterator<WatchQueue> {
    for (const group of this.byPrefix.values()) yield* group;
  }
}
