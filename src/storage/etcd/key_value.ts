/** Conversions from etcd's messages to the store's types, shared by EtcdStore and its watches. */
import type { KeyValue, WatchEvent } from '../store.js';
import type { EventMsg, KeyValueMsg } from './proto.js';

export function toKeyValue(kv: KeyValueMsg): KeyValue {
  return {
    key: kv.key.toString('utf8'),
    value: kv.value.toString('utf8'),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
  };
}

/**
 * One etcd event as a store event. etcd has only PUT and DELETE; a PUT whose create and mod
 * revisions are equal made the key, so it is a create. A DELETE's own kv holds only the key
 * and the delete's revision; the entry it removed is the prev_kv the watch asked for.
 */
export function toWatchEvent(event: EventMsg): WatchEvent {
  const kv = toKeyValue(event.kv);
  const prevKv = event.prevKv ? toKeyValue(event.prevKv) : undefined;
  if (event.type === 'DELETE') {
    // prev_kv is missing only when its revision was compacted before etcd sent the event.
    const removed = prevKv ?? { key: kv.key, value: '', createRevision: 0, modRevision: 0 };
    return { type: 'delete', key: kv.key, revision: kv.modRevision, kv: removed, prevKv: removed };
  }
  if (kv.createRevision === kv.modRevision) return { type: 'create', key: kv.key, revision: kv.modRevision, kv };
  return { type: 'update', key: kv.key, revision: kv.modRevision, kv, prevKv };
}
