/**
 * The envelope around every Kubernetes protobuf body (k8s.io/apimachinery runtime/serializer/
 * protobuf): the four magic bytes `k8s\0`, then a runtime.Unknown message
 *
 *   typeMeta (1): { apiVersion (1), kind (2) }
 *   raw (2): the object's own message
 *   contentEncoding (3), contentType (4): unused by clients today
 */
import { WireError, WireReader, WireType, decodeString } from './wire.js';

/** The media type clients send protobuf bodies as. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export const ENVELOPE_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The object's message, without TypeMeta (which is the envelope's). */
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

export function hasEnvelopeMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ENVELOPE_MAGIC.every((b, i) => bytes[i] === b);
}

function expectBytes(field: { num: number; wireType: number }, what: string): void {
  if (field.wireType !== WireType.LengthDelimited) throw new WireError(`${what} (field ${field.num}) has wire type ${field.wireType}, want 2`);
}

/** Splits a body into its type and its object message; WireError when it is not an envelope. */
export function parseEnvelope(body: Uint8Array): Envelope {
  if (!hasEnvelopeMagic(body)) throw new WireError('the body does not start with the magic bytes "k8s\\x00"');
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const r = new WireReader(body.subarray(ENVELOPE_MAGIC.length));
  for (let f = r.next(); f; f = r.next()) {
    switch (f.num) {
      case 1: {
        expectBytes(f, 'typeMeta');
        const t = new WireReader(f.bytes);
        for (let g = t.next(); g; g = t.next()) {
          if (g.num === 1) {
            expectBytes(g, 'typeMeta.apiVersion');
            env.apiVersion = decodeString(g.bytes);
          } else if (g.num === 2) {
            expectBytes(g, 'typeMeta.kind');
            env.kind = decodeString(g.bytes);
          }
        }
        break;
      }
      case 2:
        expectBytes(f, 'raw');
        env.raw = f.bytes;
        break;
      case 3:
        expectBytes(f, 'contentEncoding');
        env.contentEncoding = decodeString(f.bytes);
        break;
      case 4:
        expectBytes(f, 'contentType');
        env.contentType = decodeString(f.bytes);
        break;
      default:
        break;
    }
  }
  return env;
}
