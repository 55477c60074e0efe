/**
 * End to end: the real kubectl 1.32 against `kts server --disable-agent` (the binary users
 * run), for discovery, reads in every output format, writes, selectors and errors. One server
 * for the whole file; each test keeps to its own objects.
 */
import assert from 'node:assert/strict';
import https from 'node:https';
import { describe, test } from 'node:test';
import { useKtsServer } from '../support/e2e.js';

describe('kubectl against kts server', () => {
  const cluster = useKtsServer();
  const { ok } = cluster;




  test('version, api-versions and api-resources', async () => {
    assert.match(await ok(['version']), /Server Version: v1\.32\.\d+\+kts/);
    const versions = await ok(['api-versions']);
    assert.match(versions, /^v1$/m);
    const resources = await ok(['api-resources']);
    assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    assert.match(resources, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
  });

  test('the system namespaces exist from the first start', async () => {
    const out = await ok(['get', 'namespaces']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      assert.match(out, new RegExp(`^${ns}\\s+Active\\s+\\d+s$`, 'm'));
    }
    assert.equal(
      (await ok(['get', 'ns', '-l', 'kubernetes.io/metadata.name=default', '-o', 'name'])).trim(),
      'namespace/default',
    );
    assert.equal((await ok(['get', 'ns', '--field-selector', 'metadata.name=kube-system', '-o', 'name'])).trim(), 'namespace/kube-system');
    const json = JSON.parse(await ok(['get', 'ns', 'default', '-o', 'json'])) as { metadata: { uid: string; resourceVersion: string } };
    assert.match(json.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(json.metadata.resourceVersion, /^\d+$/);
    assert.equal(await ok(['get', 'ns', 'default', '-o', 'jsonpath={.status.phase}']), 'Active');
    assert.match(await ok(['get', 'ns', '-o', 'custom-columns=NAME:.metadata.name,PHASE:.status.phase']), /^default\s+Active$/m);
    assert.match(await ok(['get', 'ns', 'default', '-o', 'yaml']), /^kind: Namespace\n[\s\S]*^ {2}name: default$/m);
    for (const selector of ['kubernetes.io/metadata.name=default', 'kubernetes.io/metadata.name==default', 'kubernetes.io/metadata.name']) {
      assert.match(await ok(['get', 'ns', '-l', selector, '-o', 'name']), /namespace\/default/);
    }
  });

  test('unknown objects and resources give the usual errors', async () => {
    const missing = await cluster.kubectl(['get', 'ns', 'nope']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /Error from server \(NotFound\): namespaces "nope" not found/);
    const unknown = await cluster.kubectl(['get', 'frobnicators']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /the server doesn't have a resource type "frobnicators"/);
  });

  test('anonymous requests get 401, except health and version', async () => {
    const get = (path: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port: cluster.server.port, path, rejectUnauthorized: false }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
    const denied = await get('/api/v1/namespaces');
    assert.equal(denied.status, 401);
    assert.equal((JSON.parse(denied.body) as { reason: string }).reason, 'Unauthorized');
    assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
    assert.equal((await get('/readyz')).status, 200);
    assert.match((await get('/livez?verbose')).body, /\[\+\]ping ok[\s\S]*livez check passed/);
    assert.match((await get('/version')).body, /"gitVersion":"v1\.32\.\d+\+kts"/);
  });

  test('the system namespaces cannot be deleted', async () => {
    const result = await cluster.kubectl(['delete', 'namespace', 'kube-system']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Error from server \(Forbidden\): namespaces "kube-system" is forbidden: this namespace may not be deleted/);
  });
});
