/**
 * The protobuf wire format, both directions, as the etcd codec (kv_codec.ts) needs it: varints
 * as JavaScript numbers (etcd's revisions, counts and sizes stay far below 2^53) and
 * length-delimited fields as Buffers that share the message's memory. It knows no schema.
 *
 * Why not src/api/protobuf/wire.ts: that reader returns every varint as a BigInt and a fresh
 * object per field, which is right for Kubernetes' arbitrary messages and too slow for the
 * storage hot path, where each call decodes a handful of known fields.
 */

/** An etcd answer that is not well-formed protobuf. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Builds one gRPC message frame (5-byte header: not compressed, big-endian length) in a
 * scratch buffer that grows as needed. Encoding is synchronous, so one scratch per process is
 * enough; `finish` copies the frame out.
 */
export class WireWriter {
  private buf = Buffer.allocUnsafe(4096);
  private pos = 0;

  /** Starts a frame. */
  begin(): this {
    this.pos = 5;
    return this;
  }

  /** The frame: header and message, in a buffer of its own. */
  finish(): Buffer {
    const frame = Buffer.allocUnsafe(this.pos);
    this.buf.copy(frame, 0, 0, this.pos);
    frame[0] = 0;
    frame.writeUInt32BE(this.pos - 5, 1);
    return frame;
  }

  /** A varint field; proto3 leaves zero out, except for a oneof member (`always`). */
  uint(field: number, value: number, always = false): this {
    if (value === 0 && !always) return this;
    this.varint(field << 3);
    this.varint(value);
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (!value) return this;
    this.varint(field << 3);
    this.byte(1);
    return this;
  }

  bytes(field: number, value: Uint8Array | undefined): this {
    if (value === undefined) return this;
    this.varint((field << 3) | 2);
    this.varint(value.length);
    this.room(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Opens an embedded message; `close` with the returned mark ends it. */
  open(field: number): number {
    this.varint((field << 3) | 2);
    // One byte for the length, the usual case; close() makes room when it needs more.
    this.byte(0);
    return this.pos;
  }

  close(mark: number): void {
    const length = this.pos - mark;
    const lengthBytes = varintSize(length);
    if (lengthBytes > 1) {
      this.room(lengthBytes - 1);
      this.buf.copyWithin(mark + lengthBytes - 1, mark, this.pos);
      this.pos += lengthBytes - 1;
    }
    let at = mark - 1;
    let v = length;
    while (v > 0x7f) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[at] = v;
  }

  private varint(value: number): void {
    this.room(10);
    if (value < 0) {
      // An int64 below zero is its 64-bit two's complement: always ten bytes.
      let b = BigInt.asUintN(64, BigInt(value));
      for (let i = 0; i < 9; i++, b >>= 7n) this.buf[this.pos++] = Number(b & 0x7fn) | 0x80;
      this.buf[this.pos++] = Number(b);
      return;
    }
    let v = value;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  private byte(value: number): void {
    this.room(1);
    this.buf[this.pos++] = value;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v > 0x7f; v = Math.floor(v / 128)) size++;
  return size;
}

/**
 * Reads one message: `next()` gives a field's number and wire type, then the caller reads its
 * payload with `uint`, `bytes` or `skip`. Bounds-checked; malformed input throws WireError.
 */
export class WireReader {
  pos: number;
  /** Wire type of the field `next()` returned last. */
  wireType = 0;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** The next field's number, or 0 at the end of the message. */
  next(): number {
    if (this.pos >= this.end) return 0;
    const key = this.uint();
    this.wireType = key & 7;
    return Math.floor(key / 8);
  }

  /** A varint payload. Values past 2^53 (no etcd field the store reads) lose precision. */
  uint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A length-delimited payload, sharing the message's memory. */
  bytes(): Buffer {
    const length = this.uint();
    if (length > this.end - this.pos) throw new WireError(`field claims ${length} bytes but ${this.end - this.pos} remain`);
    if (length === 0) return EMPTY;
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, this.pos);
  }

  /** A reader over an embedded message, which this reader steps over. */
  message(): WireReader {
    const length = this.uint();
    if (length > this.end - this.pos) throw new WireError(`message claims ${length} bytes but ${this.end - this.pos} remain`);
    const inner = new WireReader(this.buf, this.pos, this.pos + length);
    this.pos += length;
    return inner;
  }

  /** Steps over the payload of a field the caller does not want. */
  skip(): void {
    switch (this.wireType) {
      case 0:
        this.uint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2: {
        const length = this.uint(); // before reading pos, which uint() moves
        this.pos += length;
        break;
      }
      case 5:
        this.pos += 4;
        break;
      default:
        throw new WireError(`unsupported wire type ${this.wireType}`);
    }
    if (this.pos > this.end) throw new WireError('truncated field');
  }
}
