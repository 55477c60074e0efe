/**
 * Controller expectations, as Kubernetes' ControllerExpectations and its UID-tracking variant:
 * before a controller creates or deletes children it records how many creations and which
 * deletions it expects to see; its informer handlers lower them as the events arrive; and it
 * does not act on its cache again until they are met (or have waited longer than the TTL, when
 * an event was evidently lost). This is what keeps a lagging informer from causing double
 * creates. Keys are the owner's `namespace/name`; deletions are tracked by the child's key so
 * that an observed deletion counts once however often it is reported.
 */

export interface ExpectationsOptions {
  /** How long unmet expectations hold before the controller acts anyway (default 5 minutes). */
  ttlMs?: number;
  now?: () => number;
}

interface Expected {
  adds: number;
  deletes: Set<string>;
  at: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Expected>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ExpectationsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** True when the controller may act on its cache for `key`: nothing pending, or expired. */
  satisfied(key: string): boolean {
    const e = this.records.get(key);
    if (!e) return true;
    return (e.adds <= 0 && e.deletes.size === 0) || this.now() - e.at > this.ttlMs;
  }

  /** Replaces `key`'s expectations with `count` creations. */
  expectCreations(key: string, count: number): void {
    this.records.set(key, { adds: count, deletes: new Set(), at: this.now() });
  }

  /** Replaces `key`'s expectations with the deletion of these children (`namespace/name`). */
  expectDeletions(key: string, childKeys: readonly string[]): void {
    this.records.set(key, { adds: 0, deletes: new Set(childKeys), at: this.now() });
  }

  creationObserved(key: string): void {
    const e = this.records.get(key);
    if (e) e.adds--;
  }

  deletionObserved(key: string, childKey: string): void {
    this.records.get(key)?.deletes.delete(childKey);
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}
