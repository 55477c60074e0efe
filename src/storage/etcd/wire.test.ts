/**
 * The protobuf writer and reader of the etcd codec: round trips through the cases the store's
 * traffic rarely shows (embedded messages past 127 bytes, 64-bit and negative varints, fields
 * to skip) and refusal of truncated input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WireError, WireReader, WireWriter } from './wire.js';

/** The message inside a frame `finish` returned, after checking its 5-byte header. */
function unframe(frame: Buffer): WireReader {
  assert.equal(frame[0], 0);
  assert.equal(frame.readUInt32BE(1), frame.length - 5);
  return new WireReader(frame, 5);
}

test('embedded messages of any length, around fields of every kind', () => {
  for (const size of [0, 1, 127, 128, 16_383, 16_384, 70_000]) {
    const w = new WireWriter().begin();
    w.uint(1, 7);
    const mark = w.open(2);
    w.bytes(1, Buffer.alloc(size, 'x')).uint(2, 2 ** 40);
    w.close(mark);
    w.bool(3, true).bytes(4, Buffer.from('end'));
    const r = unframe(w.finish());

    assert.equal(r.next(), 1);
    assert.equal(r.uint(), 7);
    assert.equal(r.next(), 2);
    const inner = r.message();
    assert.equal(inner.next(), 1);
    assert.equal(inner.bytes().length, size);
    assert.equal(inner.next(), 2);
    assert.equal(inner.uint(), 2 ** 40);
    assert.equal(inner.next(), 0);
    assert.equal(r.next(), 3);
    assert.equal(r.uint(), 1);
    assert.equal(r.next(), 4);
    assert.equal(r.bytes().toString(), 'end');
    assert.equal(r.next(), 0);
  }
});

test('zero is left out unless it is a oneof member; negatives take ten bytes', () => {
  const w = new WireWriter().begin();
  w.uint(1, 0).uint(2, 0, true).bool(3, false).uint(4, -1);
  const frame = w.finish();
  assert.deepEqual([...frame.subarray(5)], [0x10, 0, 0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
});

test('skip steps over each wire type', () => {
  // field 1 varint, field 2 fixed64, field 3 bytes, field 4 fixed32, field 5 varint 42
  const msg = Buffer.from([0x08, 0x96, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 2, 9, 9, 0x25, 1, 2, 3, 4, 0x28, 42]);
  const r = new WireReader(msg);
  for (let f = r.next(); f !== 5; f = r.next()) r.skip();
  assert.equal(r.uint(), 42);
  assert.equal(r.next(), 0);
});

test('truncated input is refused', () => {
  const v = new WireReader(Buffer.from([0x08, 0x96]));
  v.next();
  assert.throws(() => v.uint(), WireError);
  const r = new WireReader(Buffer.from([0x0a, 5, 1, 2]));
  r.next();
  assert.throws(() => r.bytes(), WireError);
  const s = new WireReader(Buffer.from([0x09, 1, 2]));
  s.next();
  assert.throws(() => s.skip(), WireError);
});
