/**
 * The protobuf wire format, read side only: a cursor over a message's bytes that yields one field
 * at a time (number, wire type, payload). It knows nothing of schemas; decode.ts gives the
 * payloads their meaning. Every read is bounds-checked and a malformed message throws
 * WireError, which the caller turns into a 400.
 */

/** Wire types of the protobuf encoding (groups, 3 and 4, are obsolete and rejected). */
export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** A body that is not well-formed protobuf. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** One field as it appears on the wire; `bytes` is set for length-delimited fields only. */
export interface WireField {
  num: number;
  wireType: WireType;
  /** Varint value, or the raw 64/32 bits of a fixed field (little-endian, unsigned). */
  int: bigint;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** Reads a message's fields in order. Not reusable across messages; cheap to create. */
export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** The next field, or undefined at the end of the message. */
  next(): WireField | undefined {
    if (this.done) return undefined;
    const key = this.varint();
    const num = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (num < 1 || num > 0x1fffffff) throw new WireError(`invalid field number ${num}`);
    switch (wireType) {
      case WireType.Varint:
        return { num, wireType, int: this.varint(), bytes: EMPTY };
      case WireType.Fixed64:
        return { num, wireType, int: this.fixed(8), bytes: EMPTY };
      case WireType.Fixed32:
        return { num, wireType, int: this.fixed(4), bytes: EMPTY };
      case WireType.LengthDelimited: {
        const len = this.varint();
        if (len > BigInt(this.buf.length - this.pos)) {
          throw new WireError(`field ${num} claims ${len} bytes but only ${this.buf.length - this.pos} remain`);
        }
        const start = this.pos;
        this.pos += Number(len);
        return { num, wireType, int: 0n, bytes: this.buf.subarray(start, this.pos) };
      }
      default:
        throw new WireError(`field ${num} has unsupported wire type ${wireType}`);
    }
  }

  /** A base-128 varint of at most 10 bytes, as an unsigned 64-bit value. */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new WireError('truncated varint');
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  private fixed(size: 4 | 8): bigint {
    if (this.pos + size > this.buf.length) throw new WireError(`truncated fixed${size * 8}`);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.buf[this.pos + i] as number);
    this.pos += size;
    return v;
  }
}

/** The values of a packed repeated varint field. */
export function unpackVarints(bytes: Uint8Array): bigint[] {
  const r = new WireReader(bytes);
  const out: bigint[] = [];
  while (!r.done) out.push(r.varint());
  return out;
}

/** The values of a packed repeated fixed64 field (raw bits). */
export function unpackFixed64(bytes: Uint8Array): bigint[] {
  if (bytes.length % 8 !== 0) throw new WireError('packed fixed64 field of odd length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: bigint[] = [];
  for (let i = 0; i < bytes.length; i += 8) out.push(view.getBigUint64(i, true));
  return out;
}

/**
 * UTF-8 text of a string field. Go does not check proto strings; its JSON encoder then writes
 * invalid bytes as U+FFFD, which is what a non-fatal decoder gives too.
 */
const utf8 = new TextDecoder('utf-8');

export function decodeString(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
