import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseTokenFile, readTokenFile, StaticTokenAuthenticator } from './token_file.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-tokens-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('token file', () => {
  test('parses kube-apiserver --token-auth-file lines', () => {
    const tokens = parseTokenFile(
      [
        '# comment',
        '',
        't1,alice,42,"devs,ops"',
        't2, bob ,,',
        't3,carol,7',
        '"t,4",dave,8,"a ""quoted"" group"',
      ].join('\n'),
      'tokens',
    );
    assert.deepEqual(tokens, [
      { token: 't1', user: { username: 'alice', uid: '42', groups: ['devs', 'ops'] } },
      { token: 't2', user: { username: 'bob ', groups: [] } },
      { token: 't3', user: { username: 'carol', uid: '7', groups: [] } },
      { token: 't,4', user: { username: 'dave', uid: '8', groups: ['a "quoted" group'] } },
    ]);
  });

  test('says which line is wrong', () => {
    assert.throws(() => parseTokenFile('ok,u,1\nonly,two', 'f'), /^Error: f:2: want token,user,uid/);
    assert.throws(() => parseTokenFile(',u,1', 'f'), /f:1: token and user must not be empty/);
    assert.throws(() => parseTokenFile('"t,u,1', 'f'), /f:1: unterminated quoted field/);
  });

  test('a missing file is undefined; a present one is read', async () => {
    assert.equal(await readTokenFile(path.join(dir, 'none')), undefined);
    fs.writeFileSync(path.join(dir, 'tokens'), 'abc,alice,1\n');
    assert.equal((await readTokenFile(path.join(dir, 'tokens')))?.[0]?.user.username, 'alice');
  });

  test('the authenticator knows its tokens and nothing else; the last duplicate wins', async () => {
    const auth = new StaticTokenAuthenticator([
      { token: 'abc', user: { username: 'alice', groups: ['g'] } },
      { token: 'abc', user: { username: 'alice2', groups: [] } },
    ]);
    assert.equal((await auth.authenticateToken('abc'))?.username, 'alice2');
    assert.equal(await auth.authenticateToken('abd'), undefined);
    assert.throws(() => new StaticTokenAuthenticator([{ token: '', user: { username: 'x', groups: [] } }]), /empty token/);
  });
});
