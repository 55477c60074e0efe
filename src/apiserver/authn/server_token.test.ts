import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { caCertHash, ensureServerToken, formatJoinToken, parseJoinToken, serverTokenPath } from './server_token.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-server-token-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const CA = '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n';
let n = 0;
function freshDir(): string {
  const dir = path.join(root, `d${n++}`);
  fs.mkdirSync(dir);
  return dir;
}

describe('server join token', () => {
  test('format and parse, k3s style', () => {
    const token = formatJoinToken(CA, 's3cret');
    assert.equal(token, `K10${caCertHash(CA)}::server:s3cret`);
    assert.deepEqual(parseJoinToken(token), { caHash: caCertHash(CA), secret: 's3cret' });
    assert.deepEqual(parseJoinToken(' bare \n'), { secret: 'bare' });
    assert.throws(() => parseJoinToken('K10abc::server:x'), /want K10<sha256 hex>/);
    assert.throws(() => parseJoinToken(`K10${caCertHash(CA)}::node:x`), /want K10/);
    assert.throws(() => parseJoinToken('two words'), /white space/);
    assert.throws(() => parseJoinToken(''), /empty/);
  });

  test('made once, saved 0600, reused; --token wins; a foreign CA hash is refused', async () => {
    const dataDir = freshDir();
    const first = await ensureServerToken({ dataDir, caCertPem: CA });
    assert.match(first.secret, /^[0-9a-f]{32}$/);
    assert.equal(first.file, serverTokenPath(dataDir));
    assert.equal(fs.readFileSync(first.file, 'utf8'), first.token + '\n');
    assert.equal(fs.statSync(first.file).mode & 0o777, 0o600);
    assert.deepEqual(await ensureServerToken({ dataDir, caCertPem: CA }), first);

    const given = await ensureServerToken({ dataDir, caCertPem: CA, token: 'mine' });
    assert.equal(given.secret, 'mine');
    assert.equal(given.token, formatJoinToken(CA, 'mine'));

    const otherCA = CA.replace('fake', 'other');
    await assert.rejects(ensureServerToken({ dataDir, caCertPem: otherCA }), /does not match the cluster CA/);
  });
});
