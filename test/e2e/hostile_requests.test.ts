/**
 * Bad input never hurts the server: thousands of malformed and hostile requests (broken and
 * deeply nested JSON, huge strings and bodies, wrong types, invalid UTF-8, wrong kinds, bad
 * selectors and patch types) each get a Status with the right code, nothing is stored, every
 * earlier object is intact, and the server still answers as fast as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawClient, type RawClient } from '../support/api_client.js';
import { startKtsServer, type KtsServer } from '../support/kts_server.js';

const CM = '/api/v1/namespaces/default/configmaps';
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

function configMap(name: string, data: Record<string, string> = { a: '1' }): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
}

describe('hostile requests', () => {
  let server: KtsServer;
  let client: RawClient;

  before(async () => {
    server = await startKtsServer();
    client = rawClient(server.kubeconfig, server.port);
  });

  after(async () => {
    client?.close();
    await server?.stop();
  });

  async function medianGetMs(): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      const answer = await client.request('GET', `${CM}/keep-0`, undefined, JSON_HEADERS);
      times.push(performance.now() - t0);
      assert.equal(answer.status, 200);
    }
    times.sort((a, b) => a - b);
    return times[25] as number;
  }

  test('thousands of bad requests get Status answers and change nothing', async () => {
    for (let i = 0; i < 20; i++) {
      assert.equal((await client.request('POST', CM, configMap(`keep-${i}`, { i: String(i) }), JSON_HEADERS)).status, 201);
    }
    const before = JSON.parse((await client.request('GET', CM, undefined, JSON_HEADERS)).body) as { items: unknown[]; metadata: { resourceVersion: string } };
    const baseline = await medianGetMs();

    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const deepObject = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    const cases: { method: string; path: string; body?: string | Buffer; headers?: Record<string, string>; codes: number[] }[] = [
      { method: 'POST', path: CM, body: '{not json', codes: [400] },
      { method: 'POST', path: CM, body: '', codes: [400] },
      { method: 'POST', path: CM, body: 'null', codes: [400] },
      { method: 'POST', path: CM, body: '[1,2,3]', codes: [400] },
      { method: 'POST', path: CM, body: deep, codes: [400] },
      { method: 'POST', path: CM, body: deepObject, codes: [400, 422] },
      { method: 'POST', path: CM, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), codes: [400] },
      { method: 'POST', path: CM, body: 'x'.repeat(4 * 1024 * 1024), codes: [413] },
      { method: 'POST', path: CM, body: configMap('huge', { a: 'y'.repeat(3 * 1024 * 1024) }), codes: [413] },
      { method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }), codes: [400] },
      { method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }), codes: [400] },
      { method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: 'nope' }), codes: [400] },
      { method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 7 } }), codes: [400, 422] },
      { method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x'.repeat(300) } }), codes: [422] },
      { method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok', labels: { 'bad key!': 'v' } } }), codes: [422] },
      { method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'wrongtypes' }, data: { a: 1 } }), codes: [400, 422] },
      { method: 'POST', path: CM, body: configMap('keep-0'), codes: [409] },
      { method: 'POST', path: `${CM}?dryRun=Maybe`, body: configMap('dry'), codes: [400] },
      { method: 'POST', path: `${CM}?fieldValidation=Loose`, body: configMap('fv'), codes: [400] },
      { method: 'POST', path: '/api/v1/namespaces/missing/configmaps', body: configMap('lost'), codes: [404] },
      { method: 'POST', path: CM, body: configMap('yaml'), headers: { 'Content-Type': 'application/xml' }, codes: [415] },
      { method: 'PATCH', path: `${CM}/keep-1`, body: '{"data":{"a":"2"}}', headers: { 'Content-Type': 'text/plain' }, codes: [415] },
      { method: 'PATCH', path: `${CM}/keep-1`, body: '[{"op":"explode"}]', headers: { 'Content-Type': 'application/json-patch+json' }, codes: [400, 422] },
      { method: 'PATCH', path: `${CM}/keep-1`, body: '{"metadata":{"resourceVersion":"1"},"data":{"a":"x"}}', headers: { 'Content-Type': 'application/merge-patch+json' }, codes: [409] },
      { method: 'PUT', path: `${CM}/keep-2`, body: configMap('other-name'), codes: [400] },
      { method: 'PUT', path: `${CM}/keep-2`, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep-2', resourceVersion: '1' } }), codes: [409] },
      { method: 'GET', path: `${CM}?labelSelector=a%20in%20(b`, codes: [400] },
      { method: 'GET', path: `${CM}?fieldSelector=spec.nothing%3Dx`, codes: [400] },
      { method: 'GET', path: `${CM}?limit=abc`, codes: [400] },
      { method: 'GET', path: `${CM}?continue=%%%%`, codes: [400] },
      { method: 'GET', path: `${CM}?resourceVersion=abc`, codes: [400] },
      { method: 'GET', path: `${CM}?watch=true&resourceVersion=1&timeoutSeconds=1`, codes: [200, 410] },
      { method: 'GET', path: '/api/v1/frobnicators', codes: [404] },
      { method: 'GET', path: '/apis/nope.example.com/v1/things', codes: [404] },
      { method: 'GET', path: `${CM}/%ZZ`, codes: [400, 404] },
      { method: 'DELETE', path: `${CM}/missing`, codes: [404] },
      { method: 'DELETE', path: `${CM}/keep-3`, body: '{"preconditions":{"uid":"not-the-uid"}}', codes: [409] },
      { method: 'DELETE', path: `${CM}/keep-3`, body: '{"propagationPolicy":"Sideways"}', codes: [400] },
      { method: 'GET', path: CM, headers: { Accept: 'application/xml' }, codes: [406] },
    ];
    let sent = 0;
    for (let round = 0; round < 60; round++) {
      await Promise.all(
        cases.map(async (c) => {
          const answer = await client.request(c.method, c.path, c.body, { ...JSON_HEADERS, ...c.headers });
          sent++;
          assert.ok(c.codes.includes(answer.status), `${c.method} ${c.path.slice(0, 80)} gave ${answer.status}: ${answer.body.slice(0, 300)}`);
          if (answer.status >= 400) {
            const status = JSON.parse(answer.body) as { kind: string; code: number };
            assert.equal(status.kind, 'Status');
            assert.equal(status.code, answer.status);
          }
        }),
      );
    }
    assert.ok(sent >= 2000);

    const after = JSON.parse((await client.request('GET', CM, undefined, JSON_HEADERS)).body) as { items: unknown[]; metadata: { resourceVersion: string } };
    assert.deepEqual(after.items, before.items, 'every earlier object is intact and nothing was added');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'nothing was written');
    const later = await medianGetMs();
    assert.ok(later < Math.max(baseline * 5, 50), `GET median went from ${baseline.toFixed(1)} ms to ${later.toFixed(1)} ms`);
  });
});
