/**
 * The shapes of the etcd v3 messages EtcdStore uses, and the Watch service (package
 * etcdserverpb; package mvccpb: KeyValue and Event) as a protobufjs JSON descriptor for
 * grpc-js. The unary calls (KV, Maintenance) are coded by hand in kv_codec.ts.
 *
 * Why a descriptor in TypeScript rather than a .proto file: it compiles into dist/ with the
 * code, so nothing has to find or copy a file at run time. Field numbers and types are etcd's
 * wire contract (api/etcdserverpb/rpc.proto, api/mvccpb/kv.proto); field names are camelCased,
 * which is how protobufjs would name them, and do not reach the wire. Only the fields kts
 * reads or writes are declared; protobuf skips the others.
 */
import * as protoLoader from '@grpc/proto-loader';
import type { MethodDefinition } from '@grpc/proto-loader';

type Field = { type: string; id: number; rule?: 'repeated' };
const f = (type: string, id: number): Field => ({ type, id });
const repeated = (type: string, id: number): Field => ({ type, id, rule: 'repeated' });
// protobufjs' typings demand a comment on every method.
const rpc = (requestType: string, responseType: string, stream = false) => ({
  requestType,
  responseType,
  requestStream: stream,
  responseStream: stream,
  comment: '',
});

const descriptor: Parameters<typeof protoLoader.fromJSON>[0] = {
  nested: {
    mvccpb: {
      nested: {
        KeyValue: {
          fields: {
            key: f('bytes', 1),
            createRevision: f('int64', 2),
            modRevision: f('int64', 3),
            version: f('int64', 4),
            value: f('bytes', 5),
            lease: f('int64', 6),
          },
        },
        Event: {
          fields: { type: f('EventType', 1), kv: f('KeyValue', 2), prevKv: f('KeyValue', 3) },
          nested: { EventType: { values: { PUT: 0, DELETE: 1 } } },
        },
      },
    },
    etcdserverpb: {
      nested: {
        ResponseHeader: {
          fields: {
            clusterId: f('uint64', 1),
            memberId: f('uint64', 2),
            revision: f('int64', 3),
            raftTerm: f('uint64', 4),
          },
        },
        WatchRequest: {
          oneofs: { requestUnion: { oneof: ['createRequest', 'cancelRequest'] } },
          fields: { createRequest: f('WatchCreateRequest', 1), cancelRequest: f('WatchCancelRequest', 2) },
        },
        WatchCreateRequest: {
          fields: {
            key: f('bytes', 1),
            rangeEnd: f('bytes', 2),
            startRevision: f('int64', 3),
            prevKv: f('bool', 6),
          },
        },
        WatchCancelRequest: { fields: { watchId: f('int64', 1) } },
        WatchResponse: {
          fields: {
            header: f('ResponseHeader', 1),
            watchId: f('int64', 2),
            created: f('bool', 3),
            canceled: f('bool', 4),
            compactRevision: f('int64', 5),
            cancelReason: f('string', 6),
            events: repeated('mvccpb.Event', 11),
          },
        },
        Watch: { methods: { Watch: rpc('WatchRequest', 'WatchResponse', true) } },
      },
    },
  },
};

// Message shapes as proto-loader (the Watch, with the options below) and kv_codec.ts (the
// unary calls) decode them: int64 as number (etcd revisions stay far below 2^53), bytes as
// Buffer, enums as their names, absent fields as their defaults (so a missing header
// revision reads 0, not undefined).

export interface KeyValueMsg {
  key: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
  value: Buffer;
}
export interface ResponseHeaderMsg {
  revision: number;
}
export interface RangeRequestMsg {
  key: Buffer;
  rangeEnd?: Buffer;
  limit?: number;
  revision?: number;
  countOnly?: boolean;
  keysOnly?: boolean;
}
export interface RangeResponseMsg {
  header: ResponseHeaderMsg;
  kvs: KeyValueMsg[];
  more: boolean;
  count: number;
}
export interface PutRequestMsg {
  key: Buffer;
  value: Buffer;
}
export interface DeleteRangeRequestMsg {
  key: Buffer;
  rangeEnd?: Buffer;
  prevKv?: boolean;
}
export interface DeleteRangeResponseMsg {
  header: ResponseHeaderMsg;
  deleted: number;
  prevKvs: KeyValueMsg[];
}
export interface CompareMsg {
  result: 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';
  target: 'CREATE' | 'MOD';
  key: Buffer;
  createRevision?: number;
  modRevision?: number;
}
export type RequestOpMsg =
  | { requestRange: RangeRequestMsg }
  | { requestPut: PutRequestMsg }
  | { requestDeleteRange: DeleteRangeRequestMsg };
export interface ResponseOpMsg {
  responseRange?: RangeResponseMsg;
  responseDeleteRange?: DeleteRangeResponseMsg;
}
export interface TxnRequestMsg {
  compare: CompareMsg[];
  success: RequestOpMsg[];
  failure: RequestOpMsg[];
}
export interface TxnResponseMsg {
  header: ResponseHeaderMsg;
  succeeded: boolean;
  responses: ResponseOpMsg[];
}
export interface CompactionRequestMsg {
  revision: number;
}
export interface CompactionResponseMsg {
  header: ResponseHeaderMsg;
}
export interface StatusResponseMsg {
  header: ResponseHeaderMsg;
  version: string;
  /** Bytes of the member's database file. */
  dbSize: number;
  /** Bytes of it holding data; the rest is free pages only a defragmentation returns. */
  dbSizeInUse: number;
}
/** etcd 3.4 answers a Defragment with an empty message (no header). */
export type DefragmentResponseMsg = Record<string, never>;
export interface WatchCreateRequestMsg {
  key: Buffer;
  rangeEnd: Buffer;
  /** 0 or absent: from the next revision. */
  startRevision?: number;
  prevKv: boolean;
}
export type WatchRequestMsg = { createRequest: WatchCreateRequestMsg } | { cancelRequest: { watchId: number } };
export interface EventMsg {
  type: 'PUT' | 'DELETE';
  kv: KeyValueMsg;
  prevKv?: KeyValueMsg | null;
}
export interface WatchResponseMsg {
  header: ResponseHeaderMsg;
  watchId: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  cancelReason: string;
  events: EventMsg[];
}

const packageDefinition = protoLoader.fromJSON(descriptor, {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});

function method(service: string, name: string): MethodDefinition<object, object> {
  const definition = packageDefinition[`etcdserverpb.${service}`] as Record<string, MethodDefinition<object, object>> | undefined;
  const found = definition?.[name];
  if (!found) throw new Error(`etcd descriptor lacks ${service}.${name}`);
  return found;
}

/** The bidirectional Watch stream. */
export const watchMethod = method('Watch', 'Watch') as MethodDefinition<WatchRequestMsg, WatchResponseMsg>;
