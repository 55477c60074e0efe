/**
 * Kubernetes' special types, from their protobuf messages to the JSON their Go MarshalJSON
 * writes: metav1.Time and MicroTime (RFC 3339 strings, null when zero), metav1.Duration
 * (Go's duration string), intstr.IntOrString (a number or a string), resource.Quantity (its
 * string), FieldsV1 (embedded JSON) and string-list wrappers. Used by decode.ts only.
 */
import { WireError, WireReader, WireType, decodeString } from './wire.js';

/** Go's zero time.Time (0001-01-01T00:00:00Z) as Unix seconds: it marshals as null. */
const GO_ZERO_TIME_SECONDS = -62135596800n;

/** Reads the {seconds (1), nanos (2)} pair of Time and MicroTime; undefined for the zero time. */
function readTimestamp(bytes: Uint8Array): { seconds: bigint; nanos: number } | undefined {
  if (bytes.length === 0) return undefined;
  let seconds = 0n;
  let nanos = 0;
  const r = new WireReader(bytes);
  for (let f = r.next(); f; f = r.next()) {
    if (f.wireType !== WireType.Varint) continue;
    if (f.num === 1) seconds = BigInt.asIntN(64, f.int);
    else if (f.num === 2) nanos = Number(BigInt.asIntN(32, f.int));
  }
  if (seconds === GO_ZERO_TIME_SECONDS && nanos === 0) return undefined;
  if (nanos < 0 || nanos > 999_999_999) throw new WireError(`timestamp nanos ${nanos} out of range`);
  return { seconds, nanos };
}

/** `2026-01-01T00:00:00` (no zone) of a Unix time, as Go formats years 0..9999. */
function isoSeconds(seconds: bigint): string {
  const ms = Number(seconds) * 1000;
  const date = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) {
    throw new WireError(`timestamp ${seconds} is outside the years 0 to 9999`);
  }
  return date.toISOString().slice(0, 19);
}

/** metav1.Time: RFC 3339 in UTC to the second (`2026-01-01T00:00:00Z`), null when zero. */
export function decodeTime(bytes: Uint8Array): string | null {
  const ts = readTimestamp(bytes);
  return ts ? `${isoSeconds(ts.seconds)}Z` : null;
}

/** metav1.MicroTime: RFC 3339 with six fraction digits (`...T00:00:00.000001Z`), null when zero. */
export function decodeMicroTime(bytes: Uint8Array): string | null {
  const ts = readTimestamp(bytes);
  if (!ts) return null;
  const micros = String(Math.floor(ts.nanos / 1000)).padStart(6, '0');
  return `${isoSeconds(ts.seconds)}.${micros}Z`;
}

/** `.125` for the fraction of v / 10^prec, without trailing zeros; '' when it is zero. */
function fraction(digits: bigint, prec: number): string {
  const text = digits.toString().padStart(prec, '0').replace(/0+$/, '');
  return text ? `.${text}` : '';
}

/** Go's time.Duration.String(): `1h2m3.5s`, `1.5ms`, `0s`. */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const neg = nanoseconds < 0n;
  let u = neg ? -nanoseconds : nanoseconds;
  let text: string;
  if (u < 1_000_000_000n) {
    const [unit, prec] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const scale = 10n ** BigInt(prec);
    text = `${u / scale}${fraction(u % scale, prec)}${unit}`;
  } else {
    const frac = fraction(u % 1_000_000_000n, 9);
    u /= 1_000_000_000n;
    text = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      text = `${u % 60n}m${text}`;
      u /= 60n;
      if (u > 0n) text = `${u}h${text}`;
    }
  }
  return neg ? `-${text}` : text;
}

/** metav1.Duration {duration (1): int64 nanoseconds}. */
export function decodeDuration(bytes: Uint8Array): string {
  let ns = 0n;
  const r = new WireReader(bytes);
  for (let f = r.next(); f; f = r.next()) {
    if (f.num === 1 && f.wireType === WireType.Varint) ns = BigInt.asIntN(64, f.int);
  }
  return formatGoDuration(ns);
}

/** intstr.IntOrString {type (1): 0 int / 1 string, intVal (2), strVal (3)}: a number or a string. */
export function decodeIntOrString(bytes: Uint8Array): number | string {
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  const r = new WireReader(bytes);
  for (let f = r.next(); f; f = r.next()) {
    if (f.num === 1 && f.wireType === WireType.Varint) type = BigInt.asIntN(64, f.int);
    else if (f.num === 2 && f.wireType === WireType.Varint) intVal = Number(BigInt.asIntN(32, f.int));
    else if (f.num === 3 && f.wireType === WireType.LengthDelimited) strVal = decodeString(f.bytes);
  }
  return type === 1n ? strVal : intVal;
}

/** resource.Quantity {string (1)}: its canonical string, which is what Go writes in JSON; "0" when empty. */
export function decodeQuantity(bytes: Uint8Array): string {
  let text = '';
  const r = new WireReader(bytes);
  for (let f = r.next(); f; f = r.next()) {
    if (f.num === 1 && f.wireType === WireType.LengthDelimited) text = decodeString(f.bytes);
  }
  return text === '' ? '0' : text;
}

/** The `raw` bytes (field 1) of RawExtension and FieldsV1; undefined when absent. */
export function readRaw(bytes: Uint8Array): Uint8Array | undefined {
  let raw: Uint8Array | undefined;
  const r = new WireReader(bytes);
  for (let f = r.next(); f; f = r.next()) {
    if (f.num === 1 && f.wireType === WireType.LengthDelimited) raw = f.bytes;
  }
  return raw;
}

/** JSON embedded in a protobuf bytes field, parsed; null when empty, as Go writes it. */
export function parseEmbeddedJson(raw: Uint8Array | undefined): unknown {
  if (!raw || raw.length === 0) return null;
  try {
    return JSON.parse(decodeString(raw));
  } catch {
    throw new WireError('embedded object is neither JSON nor a Kubernetes protobuf message');
  }
}

/** A message of `repeated string items = 1` whose Go type is []string: a JSON array. */
export function decodeStringList(bytes: Uint8Array): string[] {
  const items: string[] = [];
  const r = new WireReader(bytes);
  for (let f = r.next(); f; f = r.next()) {
    if (f.num === 1 && f.wireType === WireType.LengthDelimited) items.push(decodeString(f.bytes));
  }
  return items;
}
