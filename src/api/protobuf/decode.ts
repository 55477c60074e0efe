/**
 * Decoding Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`, which
 * client-go's typed clients send since 1.31) into the JSON object the API server would have
 * received had the client sent JSON. The API server calls decodeProtobufObject from its body
 * decoder; everything after that sees plain JSON.
 *
 * "The JSON Kubernetes would have received" means what Go's encoding/json writes for the
 * decoded Go struct: every field of a plain value without omitempty is present (its zero when
 * absent on the wire, null for nil slices and maps), omitempty fields are dropped when zero,
 * pointers appear exactly when set, and structs are never dropped. schema.ts records which is
 * which, per field.
 */
import { badRequest, unsupportedMediaType } from '../errors.js';
import type { JsonObject } from '../object.js';
import { hasEnvelopeMagic, parseEnvelope, type Envelope } from './envelope.js';
import { REGISTRY, messageForKind } from './kinds.js';
import { isStructScalar, type FieldSpec, type MessageSpec } from './schema.js';
import {
  decodeDuration,
  decodeIntOrString,
  decodeMicroTime,
  decodeQuantity,
  decodeStringList,
  decodeTime,
  parseEmbeddedJson,
  readRaw,
} from './well_known.js';
import { WireError, WireReader, WireType, decodeString, unpackFixed64, unpackVarints, type WireField } from './wire.js';

/** How deep envelopes may nest inside RawExtension fields (ControllerRevision.data and the like). */
const MAX_ENVELOPE_DEPTH = 8;

/**
 * Decodes a whole protobuf request body into a JSON object with `apiVersion` and `kind` from
 * the envelope, followed by the object's fields as Kubernetes' JSON encoding names and shapes
 * them (Time as RFC 3339, IntOrString as number or string, bytes as base64, ...).
 *
 * Throws a StatusError: 400 BadRequest when the body is not a well-formed envelope or message;
 * 415 UnsupportedMediaType, naming the kind, when kts has no schema for the envelope's kind (the
 * client may retry with JSON) or the envelope declares a content encoding.
 */
export function decodeProtobufObject(body: Uint8Array): JsonObject {
  return decodeEnvelope(body, 0);
}

function decodeEnvelope(body: Uint8Array, depth: number): JsonObject {
  const env = parseOrThrow(body);
  const { apiVersion, kind } = env;
  if (!kind || !apiVersion) throw badRequest('the protobuf envelope of the request body names no apiVersion and kind');
  if (env.contentEncoding) {
    throw unsupportedMediaType(`the protobuf body of ${kind} (${apiVersion}) uses content encoding "${env.contentEncoding}", which kts does not support`);
  }
  const spec = messageForKind(apiVersion, kind);
  if (!spec) {
    throw unsupportedMediaType(
      `kts cannot decode protobuf bodies of kind ${kind} (${apiVersion}); send it as application/json`,
    );
  }
  let fields: JsonObject;
  try {
    fields = decodeMessage(spec, env.raw, '', depth);
  } catch (err) {
    throw asBadRequest(err, ` of ${kind} (${apiVersion})`);
  }
  return { apiVersion, kind, ...fields };
}

function parseOrThrow(body: Uint8Array): Envelope {
  try {
    return parseEnvelope(body);
  } catch (err) {
    throw asBadRequest(err, '');
  }
}

function asBadRequest(err: unknown, what: string): unknown {
  if (err instanceof WireError) {
    return badRequest(`couldn't decode the protobuf request body${what}: ${err.message}`);
  }
  return err;
}

/** Sets an own property even for `__proto__`, as JSON.parse does. */
function setOwn(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function decodeMessage(spec: MessageSpec, bytes: Uint8Array, path: string, depth: number): JsonObject {
  const values = new Map<FieldSpec, unknown>();
  const reader = new WireReader(bytes);
  for (let wire = reader.next(); wire; wire = reader.next()) {
    const field = spec.byNumber.get(wire.num);
    if (!field) continue; // unknown fields are skipped, as Go's decoder does
    const where = path ? `${path}.${field.json || '(inline)'}` : field.json || '(inline)';
    if (field.shape === 'list') {
      let list = values.get(field) as unknown[] | undefined;
      if (!list) values.set(field, (list = []));
      if (wire.wireType === WireType.LengthDelimited && isPackable(field.type)) {
        for (const v of unpack(field.type, wire.bytes)) list.push(v);
      } else {
        list.push(decodeValue(field.type, wire, `${where}[${list.length}]`, depth));
      }
    } else if (field.shape === 'map') {
      let map = values.get(field) as JsonObject | undefined;
      if (!map) values.set(field, (map = {}));
      expectWireType(wire, WireType.LengthDelimited, where);
      const [key, value] = decodeMapEntry(field.type, wire.bytes, where, depth);
      setOwn(map, key, value);
    } else {
      values.set(field, decodeValue(field.type, wire, where, depth));
    }
  }
  return render(spec, values, depth);
}

/** Lays the decoded values out as Go's encoding/json would, in Go field order. */
function render(spec: MessageSpec, values: ReadonlyMap<FieldSpec, unknown>, depth: number): JsonObject {
  const out: JsonObject = {};
  for (const field of spec.fields) {
    const has = values.has(field);
    const value = values.get(field);
    if (field.inline) {
      Object.assign(out, has ? value : zeroMessage(field.type, depth));
      continue;
    }
    if (field.shape !== 'single') {
      // Empty repeated fields are not on the wire; Go leaves them nil.
      const empty = !has || (Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0);
      if (!empty) setOwn(out, field.json, value);
      else if (field.presence === 'always') setOwn(out, field.json, null);
      continue;
    }
    switch (field.presence) {
      case 'pointer':
        if (has) setOwn(out, field.json, value);
        break;
      case 'nullable':
        setOwn(out, field.json, has ? value : null);
        break;
      case 'omitempty':
      case 'always': {
        const v = has ? value : zeroValue(field.type, depth);
        const droppable = field.presence === 'omitempty' && field.scalar && !isStructScalar(field.type);
        if (!(droppable && isGoZero(v))) setOwn(out, field.json, v);
        break;
      }
    }
  }
  return out;
}

function isGoZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false || v === null;
}

/** A message that was not on the wire: Go's zero struct, as JSON. */
function zeroMessage(type: string, depth: number): JsonObject {
  return render(messageSpec(type), new Map(), depth);
}

function zeroValue(type: string, depth: number): unknown {
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
    case 'double':
    case 'IntOrString':
      return 0;
    case 'Duration':
      return '0s';
    case 'Quantity':
      return '0';
    case 'bytes':
    case 'Time':
    case 'MicroTime':
    case 'RawExtension':
    case 'FieldsV1':
    case 'StringList':
      return null;
    default:
      return zeroMessage(type, depth);
  }
}

function messageSpec(type: string): MessageSpec {
  const spec = REGISTRY.get(type);
  if (!spec) throw new Error(`protobuf schema has no message ${type}`); // buildRegistry rules this out
  return spec;
}

function expectWireType(wire: WireField, want: WireType, where: string): void {
  if (wire.wireType !== want) {
    throw new WireError(`${where}: field ${wire.num} has wire type ${wire.wireType}, want ${want}`);
  }
}

function toNumber(type: string, bits: bigint): number | boolean {
  switch (type) {
    case 'bool':
      return bits !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, bits));
    case 'uint32':
      return Number(BigInt.asUintN(32, bits));
    case 'uint64':
      return Number(bits);
    case 'double':
      return new DataView(new BigUint64Array([bits]).buffer).getFloat64(0, true);
    default: // int64; values past 2^53 lose precision, as they do in any JSON reader but Go's
      return Number(BigInt.asIntN(64, bits));
  }
}

function isPackable(type: string): boolean {
  return ['bool', 'int32', 'int64', 'uint32', 'uint64', 'double'].includes(type);
}

function unpack(type: string, bytes: Uint8Array): (number | boolean)[] {
  const raw = type === 'double' ? unpackFixed64(bytes) : unpackVarints(bytes);
  return raw.map((bits) => toNumber(type, bits));
}

function decodeValue(type: string, wire: WireField, where: string, depth: number): unknown {
  switch (type) {
    case 'bool':
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      expectWireType(wire, WireType.Varint, where);
      return toNumber(type, wire.int);
    case 'double':
      expectWireType(wire, WireType.Fixed64, where);
      return toNumber(type, wire.int);
    default:
      break;
  }
  expectWireType(wire, WireType.LengthDelimited, where);
  const bytes = wire.bytes;
  switch (type) {
    case 'string':
      return decodeString(bytes);
    case 'bytes':
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    case 'Time':
      return decodeTime(bytes);
    case 'MicroTime':
      return decodeMicroTime(bytes);
    case 'Duration':
      return decodeDuration(bytes);
    case 'IntOrString':
      return decodeIntOrString(bytes);
    case 'Quantity':
      return decodeQuantity(bytes);
    case 'StringList':
      return decodeStringList(bytes);
    case 'FieldsV1':
      return parseEmbeddedJson(readRaw(bytes));
    case 'RawExtension':
      return decodeRawExtension(readRaw(bytes), where, depth);
    default:
      return decodeMessage(messageSpec(type), bytes, where, depth);
  }
}

/** runtime.RawExtension: JSON as is, or a nested protobuf envelope decoded in turn. */
function decodeRawExtension(raw: Uint8Array | undefined, where: string, depth: number): unknown {
  if (raw && hasEnvelopeMagic(raw)) {
    if (depth + 1 >= MAX_ENVELOPE_DEPTH) throw new WireError(`${where}: protobuf envelopes nested too deep`);
    return decodeEnvelope(raw, depth + 1);
  }
  return parseEmbeddedJson(raw);
}

/** One entry of a map field: {key (1): string, value (2)}; missing parts are their zero. */
function decodeMapEntry(type: string, bytes: Uint8Array, where: string, depth: number): [string, unknown] {
  let key = '';
  let value: unknown;
  let hasValue = false;
  const r = new WireReader(bytes);
  for (let f = r.next(); f; f = r.next()) {
    if (f.num === 1) {
      expectWireType(f, WireType.LengthDelimited, `${where} key`);
      key = decodeString(f.bytes);
    } else if (f.num === 2) {
      value = decodeValue(type, f, `${where}[${key}]`, depth);
      hasValue = true;
    }
  }
  return [key, hasValue ? value : zeroValue(type, depth)];
}
