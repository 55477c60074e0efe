/**
 * WatchHub: fans committed events out to the watches of one process. The sqlite backend calls
 * `publish` from its commit path, so watchers never poll the database. Watches are grouped by
 * prefix: a write is matched against each distinct prefix once, not against every watcher.
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

  /** Delivers committed events, in revision order, to every watch whose prefix matches. */
  publish(events: readonly WatchEvent[]): void {
    for (const [prefix, group] of this.byPrefix) {
      for (const event of events) {
        if (!event.key.startsWith(prefix)) continue;
        // A queue that overflows ends itself and leaves the group; deleting from a Set while
        // iterating it is safe.
        for (const queue of group) queue.push(event);
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
}
