/**
 * Encoders and decoders of the unary etcd calls EtcdStore makes (KV: Range, Txn, Compact;
 * Maintenance: Status, Defragment), written by hand over wire.ts, and the table of those
 * methods that grpc_unary.ts calls. Field numbers are etcd's wire contract
 * (api/etcdserverpb/rpc.proto, api/mvccpb/kv.proto), the same proto.ts declares for the Watch.
 *
 * Why by hand: these calls are the write path, and protobufjs' generic, reflective coding of
 * each message (with defaults filled in and enums turned to names) cost more than the few
 * fields we touch. Decoders fill the message shapes of proto.ts, absent fields as defaults.
 */
import type {
  CompactionRequestMsg,
  CompactionResponseMsg,
  CompareMsg,
  DefragmentResponseMsg,
  DeleteRangeResponseMsg,
  KeyValueMsg,
  RangeRequestMsg,
  RangeResponseMsg,
  RequestOpMsg,
  ResponseHeaderMsg,
  ResponseOpMsg,
  StatusResponseMsg,
  TxnRequestMsg,
  TxnResponseMsg,
} from './proto.js';
import { WireReader, type WireWriter } from './wire.js';

/** One unary method: its HTTP/2 path and how its messages look on the wire. */
export interface UnaryMethod<Req, Res> {
  readonly path: string;
  encode(writer: WireWriter, request: Req): void;
  decode(reader: WireReader): Res;
}

const EMPTY = Buffer.alloc(0);
const compareResults = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
const compareTargets = { CREATE: 1, MOD: 2 } as const;

function writeRange(w: WireWriter, m: RangeRequestMsg): void {
  w.bytes(1, m.key)
    .bytes(2, m.rangeEnd)
    .uint(3, m.limit ?? 0)
    .uint(4, m.revision ?? 0)
    .bool(8, m.keysOnly)
    .bool(9, m.countOnly);
}

function writeCompare(w: WireWriter, c: CompareMsg): void {
  const mark = w.open(1);
  w.uint(1, compareResults[c.result]).uint(2, compareTargets[c.target]).bytes(3, c.key);
  // target_union is a oneof: its member is written even when it is 0.
  if (c.createRevision !== undefined) w.uint(5, c.createRevision, true);
  if (c.modRevision !== undefined) w.uint(6, c.modRevision, true);
  w.close(mark);
}

function writeOp(w: WireWriter, field: number, op: RequestOpMsg): void {
  const mark = w.open(field);
  if ('requestRange' in op) {
    const inner = w.open(1);
    writeRange(w, op.requestRange);
    w.close(inner);
  } else if ('requestPut' in op) {
    const inner = w.open(2);
    w.bytes(1, op.requestPut.key).bytes(2, op.requestPut.value);
    w.close(inner);
  } else {
    const inner = w.open(3);
    const d = op.requestDeleteRange;
    w.bytes(1, d.key).bytes(2, d.rangeEnd).bool(3, d.prevKv);
    w.close(inner);
  }
  w.close(mark);
}

function readHeader(r: WireReader): ResponseHeaderMsg {
  let revision = 0;
  for (let f = r.next(); f !== 0; f = r.next()) {
    if (f === 3) revision = r.uint();
    else r.skip();
  }
  return { revision };
}

function readKeyValue(r: WireReader): KeyValueMsg {
  const kv: KeyValueMsg = { key: EMPTY, createRevision: 0, modRevision: 0, version: 0, value: EMPTY };
  for (let f = r.next(); f !== 0; f = r.next()) {
    if (f === 1) kv.key = r.bytes();
    else if (f === 2) kv.createRevision = r.uint();
    else if (f === 3) kv.modRevision = r.uint();
    else if (f === 4) kv.version = r.uint();
    else if (f === 5) kv.value = r.bytes();
    else r.skip();
  }
  return kv;
}

function readRange(r: WireReader): RangeResponseMsg {
  const m: RangeResponseMsg = { header: { revision: 0 }, kvs: [], more: false, count: 0 };
  for (let f = r.next(); f !== 0; f = r.next()) {
    if (f === 1) m.header = readHeader(r.message());
    else if (f === 2) m.kvs.push(readKeyValue(r.message()));
    else if (f === 3) m.more = r.uint() !== 0;
    else if (f === 4) m.count = r.uint();
    else r.skip();
  }
  return m;
}

function readDeleteRange(r: WireReader): DeleteRangeResponseMsg {
  const m: DeleteRangeResponseMsg = { header: { revision: 0 }, deleted: 0, prevKvs: [] };
  for (let f = r.next(); f !== 0; f = r.next()) {
    if (f === 1) m.header = readHeader(r.message());
    else if (f === 2) m.deleted = r.uint();
    else if (f === 3) m.prevKvs.push(readKeyValue(r.message()));
    else r.skip();
  }
  return m;
}

/** A ResponseOp; a PutResponse carries nothing the store reads, so it is left empty. */
function readOp(r: WireReader): ResponseOpMsg {
  const op: ResponseOpMsg = {};
  for (let f = r.next(); f !== 0; f = r.next()) {
    if (f === 1) op.responseRange = readRange(r.message());
    else if (f === 3) op.responseDeleteRange = readDeleteRange(r.message());
    else r.skip();
  }
  return op;
}

/** A message whose only field the store reads is its header. */
function readHeaderOnly(r: WireReader): { header: ResponseHeaderMsg } {
  let header: ResponseHeaderMsg = { revision: 0 };
  for (let f = r.next(); f !== 0; f = r.next()) {
    if (f === 1) header = readHeader(r.message());
    else r.skip();
  }
  return { header };
}

const Range: UnaryMethod<RangeRequestMsg, RangeResponseMsg> = {
  path: '/etcdserverpb.KV/Range',
  encode: writeRange,
  decode: readRange,
};

const Txn: UnaryMethod<TxnRequestMsg, TxnResponseMsg> = {
  path: '/etcdserverpb.KV/Txn',
  encode(w, m) {
    for (const c of m.compare) writeCompare(w, c);
    for (const op of m.success) writeOp(w, 2, op);
    for (const op of m.failure) writeOp(w, 3, op);
  },
  decode(r) {
    const m: TxnResponseMsg = { header: { revision: 0 }, succeeded: false, responses: [] };
    for (let f = r.next(); f !== 0; f = r.next()) {
      if (f === 1) m.header = readHeader(r.message());
      else if (f === 2) m.succeeded = r.uint() !== 0;
      else if (f === 3) m.responses.push(readOp(r.message()));
      else r.skip();
    }
    return m;
  },
};

const Compact: UnaryMethod<CompactionRequestMsg, CompactionResponseMsg> = {
  path: '/etcdserverpb.KV/Compact',
  // physical stays false, as Kubernetes leaves it (see EtcdStore.compact).
  encode: (w, m) => void w.uint(1, m.revision),
  decode: readHeaderOnly,
};

const Status: UnaryMethod<Record<string, never>, StatusResponseMsg> = {
  path: '/etcdserverpb.Maintenance/Status',
  encode: () => undefined,
  decode(r) {
    const m: StatusResponseMsg = { header: { revision: 0 }, version: '', dbSize: 0, dbSizeInUse: 0 };
    for (let f = r.next(); f !== 0; f = r.next()) {
      if (f === 1) m.header = readHeader(r.message());
      else if (f === 2) m.version = r.bytes().toString('utf8');
      else if (f === 3) m.dbSize = r.uint();
      else if (f === 9) m.dbSizeInUse = r.uint();
      else r.skip();
    }
    return m;
  },
};

const Defragment: UnaryMethod<Record<string, never>, DefragmentResponseMsg> = {
  path: '/etcdserverpb.Maintenance/Defragment',
  encode: () => undefined,
  // etcd 3.4 answers with an empty message; nothing in it is read.
  decode: () => ({}),
};

/** The unary KV methods, typed by request and response. */
export const kvMethods = { Range, Txn, Compact };

/** The Maintenance methods, called per member. */
export const maintenanceMethods = { Status, Defragment };
