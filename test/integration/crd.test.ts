/**
 * CustomResourceDefinitions end to end inside one process: the API server on plain HTTP with a
 * temporary SQLite store and the CRD controller, driven over HTTP as clients drive it. A Widget
 * CRD (namespaced, schema with required fields, a default, an enum, status and scale
 * subresources, printer columns) is created; within a second its resources are discoverable
 * and servable; then every verb, validation, pruning, subresources, tables, OpenAPI, and the
 * cleanup when the CRD is deleted.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Registry } from '../../src/api/registry.js';
import { BUILTIN_RESOURCES } from '../../src/api/resources/builtin.js';
import { CrdController } from '../../src/apiserver/crd/crd_controller.js';
import { handleOpenAPIRequest } from '../../src/apiserver/openapi/openapi_handler.js';
import { OpenAPIService } from '../../src/apiserver/openapi/openapi_service.js';
import { ApiServer } from '../../src/apiserver/server.js';
import { SqliteStore } from '../../src/storage/sqlite.js';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A Widget is a thing with a size.',
            properties: {
              spec: {
                type: 'object',
                description: 'What the widget should be.',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1, maximum: 10, description: 'How big the widget is.' },
                  color: { type: 'string', enum: ['red', 'green', 'blue'], default: 'red' },
                  replicas: { type: 'integer', minimum: 0, default: 1 },
                  name: { type: 'string', maxLength: 5, pattern: '^[a-z]+$' },
                  tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer' },
                  conditions: {
                    type: 'array',
                    items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Color', type: 'string', jsonPath: '.spec.color' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
};

/** The API server on plain HTTP (port 0), with OpenAPI and the CRD controller, as start.ts assembles it. */
async function startServer(store: SqliteStore, signal: AbortSignal): Promise<ApiServer> {
  const registry = new Registry(BUILTIN_RESOURCES);
  const openapi = new OpenAPIService({ registry });
  const server = new ApiServer({
    store,
    registry,
    bindAddress: '127.0.0.1',
    port: 0,
    pathHandlers: [
      {
        prefix: '/openapi',
        handle: (req, res, url) => {
          const answer = handleOpenAPIRequest(openapi, { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers });
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
      },
    ],
    onCachesReady: async (s) => {
      const crds = s.storeFor('apiextensions.k8s.io', 'customresourcedefinitions');
      assert.ok(crds);
      await new CrdController({ crds, registry, storeFor: (g, r) => s.storeFor(g, r), openapi }).start(signal);
    },
  });
  await server.start();
  return server;
}

interface Answer {
  status: number;
  body: Record<string, unknown> & { metadata?: Record<string, unknown> };
}

describe('CustomResourceDefinitions (in-process API server)', () => {
  let dir: string;
  let store: SqliteStore;
  let server: ApiServer;
  let base: string;
  const stop = new AbortController();

  async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(base + url, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
  }

  async function ok(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Answer['body']> {
    const answer = await call(method, url, body, headers);
    assert.ok(answer.status < 300, `${method} ${url}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const widgets = '/apis/example.com/v1/namespaces/default/widgets';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-crd-'));
    store = SqliteStore.open({ path: path.join(dir, 'state.db') });
    server = await startServer(store, stop.signal);
    base = `http://127.0.0.1:${server.port}`;
    await ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  });

  after(async () => {
    stop.abort();
    await server?.stop();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a CRD is defaulted, then established and served within a second', async () => {
    const created = await ok('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD);
    const started = Date.now();
    const spec = created.spec as { names: Record<string, unknown>; conversion: unknown; versions: { served: boolean }[] };
    assert.equal(spec.names.singular, 'widget');
    assert.equal(spec.names.listKind, 'WidgetList');
    assert.deepEqual(spec.conversion, { strategy: 'None' });
    assert.deepEqual((created.status as { storedVersions: string[] }).storedVersions, ['v1']);

    const resources = await until('discovery of widgets', async () => {
      const answer = await call('GET', '/apis/example.com/v1');
      return answer.status === 200 ? (answer.body.resources as { name: string; shortNames?: string[]; categories?: string[] }[]) : undefined;
    });
    const widget = resources.find((r) => r.name === 'widgets');
    assert.deepEqual(widget?.shortNames, ['wd']);
    assert.deepEqual(widget?.categories, ['all']);
    assert.ok(resources.some((r) => r.name === 'widgets/status'));
    assert.ok(resources.some((r) => r.name === 'widgets/scale'));
    await until('Established', async () => {
      const crd = await ok('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
      const conditions = (crd.status as { conditions?: { type: string; status: string; reason: string }[] }).conditions ?? [];
      const established = conditions.find((c) => c.type === 'Established');
      if (established?.status !== 'True') return undefined;
      assert.equal(established.reason, 'InitialNamesAccepted');
      assert.equal(conditions.find((c) => c.type === 'NamesAccepted')?.reason, 'NoConflicts');
      assert.equal((crd.status as { acceptedNames: { plural: string } }).acceptedNames.plural, 'widgets');
      return true;
    });
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    const aggregated = await call('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    assert.match(JSON.stringify(aggregated.body), /"resource":"widgets"/);
  });

  test('create defaults and prunes; get, list, update, merge patch and delete work', async () => {
    const created = await ok('POST', widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { size: 3, unknown: 'dropped', extra: { kept: true } },
      status: { replicas: 9 },
      junk: 1,
    });
    const spec = created.spec as Record<string, unknown>;
    assert.deepEqual(spec, { size: 3, color: 'red', replicas: 1, extra: { kept: true } });
    assert.equal(created.junk, undefined);
    assert.equal(created.status, undefined, 'status is written only through the status subresource');
    assert.equal(created.metadata?.generation, 1);

    const got = await ok('GET', `${widgets}/w1`);
    assert.deepEqual(got.spec, spec);
    assert.equal(got.apiVersion, 'example.com/v1');
    const list = await ok('GET', widgets);
    assert.equal(list.kind, 'WidgetList');
    assert.deepEqual((list.items as { metadata: { name: string } }[]).map((i) => i.metadata.name), ['w1']);
    const all = await ok('GET', '/apis/example.com/v1/widgets');
    assert.equal((all.items as unknown[]).length, 1);

    const updated = await ok('PUT', `${widgets}/w1`, { ...got, spec: { ...spec, size: 4 } });
    assert.equal((updated.spec as { size: number }).size, 4);
    assert.equal(updated.metadata?.generation, 2);

    const patched = await ok('PATCH', `${widgets}/w1`, { spec: { color: 'green', bogus: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.deepEqual(patched.spec, { size: 4, color: 'green', replicas: 1, extra: { kept: true } });

    const stored = await store.get('/registry/example.com/widgets/default/w1');
    assert.ok(stored, 'stored under /registry/<group>/<plural>/');

    await ok('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'gone' }, spec: { size: 2 } });
    const deleted = await ok('DELETE', `${widgets}/gone`);
    assert.equal(deleted.status, 'Success');
    assert.equal((await call('GET', `${widgets}/gone`)).status, 404);
  });

  test('watch sees changes', async () => {
    const list = await ok('GET', widgets);
    const rv = list.metadata?.resourceVersion as string;
    const controller = new AbortController();
    const res = await fetch(`${base}${widgets}?watch=true&resourceVersion=${rv}`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await ok('PATCH', `${widgets}/w1`, { spec: { size: 5 } }, { 'Content-Type': 'application/merge-patch+json' });
    let text = '';
    while (!text.includes('\n')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += Buffer.from(chunk.value as Uint8Array).toString();
    }
    controller.abort();
    const event = JSON.parse(text.split('\n')[0] as string) as { type: string; object: { spec: { size: number } } };
    assert.equal(event.type, 'MODIFIED');
    assert.equal(event.object.spec.size, 5);
  });

  test('an invalid Widget is refused with a 422 and one cause per field', async () => {
    const answer = await call('POST', widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'bad' },
      spec: { color: 'pink', replicas: -1, name: 'TOOLONG', tags: ['a', 'b', 'c'] },
    });
    assert.equal(answer.status, 422, JSON.stringify(answer.body));
    assert.equal(answer.body.reason, 'Invalid');
    const causes = (answer.body.details as { causes: { field: string; message: string; reason: string }[] }).causes;
    const byField = new Map(causes.map((c) => [c.field, c]));
    assert.equal(byField.get('spec.size')?.reason, 'FieldValueRequired');
    assert.equal(byField.get('spec.color')?.message, 'Unsupported value: "pink": supported values: "red", "green", "blue"');
    assert.equal(byField.get('spec.replicas')?.message, 'Invalid value: -1: spec.replicas in body should be greater than or equal to 0');
    assert.equal(byField.get('spec.tags')?.message, 'Too many: 3: must have at most 2 items');
    assert.ok(causes.some((c) => c.field === 'spec.name' && c.reason === 'FieldValueTooLong'));
    assert.ok(causes.some((c) => c.field === 'spec.name' && c.message.includes("should match '^[a-z]+$'")));
    assert.match(answer.body.message as string, /^Widget\.example\.com "bad" is invalid: \[/);

    const typed = await call('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'bad' }, spec: { size: 'big' } });
    assert.equal(typed.status, 422);
    assert.match(typed.body.message as string, /spec\.size: Invalid value: "string": spec\.size in body must be of type integer: "string"/);
  });

  test('status and scale subresources', async () => {
    const current = await ok('GET', `${widgets}/w1`);
    const withStatus = await ok('PUT', `${widgets}/w1/status`, {
      ...current,
      spec: { size: 9 },
      status: { replicas: 2, conditions: [{ type: 'Ready', status: 'True' }] },
    });
    assert.equal((withStatus.status as { replicas: number }).replicas, 2);
    assert.equal((withStatus.spec as { size: number }).size, 5, 'a status write leaves spec alone');
    const mainWrite = await ok('PUT', `${widgets}/w1`, { ...withStatus, status: { replicas: 7 } });
    assert.equal((mainWrite.status as { replicas: number }).replicas, 2, 'a main write leaves status alone');

    const scale = await ok('GET', `${widgets}/w1/scale`);
    assert.equal(scale.kind, 'Scale');
    assert.deepEqual(scale.spec, { replicas: 1 });
    assert.equal((scale.status as { replicas: number }).replicas, 2);
    await ok('PUT', `${widgets}/w1/scale`, { ...scale, spec: { replicas: 3 } });
    assert.equal(((await ok('GET', `${widgets}/w1`)).spec as { replicas: number }).replicas, 3);
  });

  test('the Table has the printer columns', async () => {
    const table = await ok('GET', widgets, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    const columns = (table.columnDefinitions as { name: string; type: string }[]).map((c) => `${c.name}:${c.type}`);
    assert.deepEqual(columns, ['Name:string', 'Size:integer', 'Color:string', 'Ready:string', 'Age:date']);
    const cells = (table.rows as { cells: unknown[] }[])[0]?.cells ?? [];
    assert.deepEqual(cells.slice(0, 4), ['w1', 5, 'green', 'True']);
    assert.match(String(cells[4]), /^\d+s$/);
  });

  test('the schema is published in OpenAPI v3', async () => {
    const root = await ok('GET', '/openapi/v3');
    assert.ok((root.paths as Record<string, unknown>)['apis/example.com/v1']);
    const doc = await ok('GET', '/openapi/v3/apis/example.com/v1');
    const schemas = (doc.components as { schemas: Record<string, { properties: Record<string, { description?: string }> }> }).schemas;
    const widget = schemas['com.example.v1.Widget'];
    assert.equal(widget?.properties.spec?.description, 'What the widget should be.');
    assert.ok(schemas['com.example.v1.WidgetList']);
  });

  test('a second CRD with a taken name is not accepted', async () => {
    const other = structuredClone(CRD);
    other.metadata.name = 'gadgets.example.com';
    other.spec.names = { plural: 'gadgets', kind: 'Gadget', shortNames: ['wd'], categories: [] };
    await ok('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', other);
    const condition = await until('NamesAccepted', async () => {
      const crd = await ok('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com');
      return ((crd.status as { conditions?: { type: string; status: string; reason: string; message: string }[] }).conditions ?? []).find(
        (c) => c.type === 'NamesAccepted',
      );
    });
    assert.deepEqual([condition.status, condition.reason, condition.message], ['False', 'NameConflicts', '"wd" is already in use']);
    assert.equal((await call('GET', '/apis/example.com/v1/namespaces/default/gadgets')).status, 404);
    await ok('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com');
  });

  test('an invalid CRD is refused with Kubernetes messages', async () => {
    const bad = structuredClone(CRD) as unknown as {
      metadata: { name: string };
      spec: { versions: { storage: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
    };
    bad.metadata.name = 'wrong.example.com';
    const version = bad.spec.versions[0]!;
    version.storage = false;
    version.schema.openAPIV3Schema = {
      type: 'object',
      properties: { spec: { properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } } },
    };
    const answer = await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', bad);
    assert.equal(answer.status, 422);
    const messages = (answer.body.details as { causes: { field: string; message: string }[] }).causes.map((c) => `${c.field}: ${c.message}`);
    assert.ok(messages.includes('metadata.name: Invalid value: "wrong.example.com": must be spec.names.plural+"."+spec.group'), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('spec.versions: Invalid value:') && m.endsWith('must have exactly one version marked as storage version')));
    assert.ok(
      messages.includes(
        'spec.versions[0].schema.openAPIV3Schema.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive',
      ),
      messages.join('\n'),
    );
    assert.ok(
      messages.includes('spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields'),
      messages.join('\n'),
    );
  });

  test('versions share storage; only apiVersion differs (conversion None)', async () => {
    const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } };
    await ok('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gizmos.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { plural: 'gizmos', kind: 'Gizmo' },
        versions: [
          { name: 'v1beta1', served: true, storage: false, schema },
          { name: 'v1', served: true, storage: true, schema },
        ],
      },
    });
    await until('gizmos served', async () => ((await call('GET', '/apis/example.com/v1beta1/gizmos')).status === 200 ? true : undefined));
    await ok('POST', '/apis/example.com/v1beta1/gizmos', { apiVersion: 'example.com/v1beta1', kind: 'Gizmo', metadata: { name: 'g' }, spec: { any: 1 } });
    assert.equal((await ok('GET', '/apis/example.com/v1/gizmos/g')).apiVersion, 'example.com/v1');
    assert.equal((await ok('GET', '/apis/example.com/v1beta1/gizmos/g')).apiVersion, 'example.com/v1beta1');
    const stored = await store.get('/registry/example.com/gizmos/g');
    assert.equal((JSON.parse(stored?.value ?? '{}') as { apiVersion: string }).apiVersion, 'example.com/v1');
    await ok('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com');
    await until('gizmos gone', async () => ((await call('GET', '/apis/example.com/v1beta1/gizmos')).status === 404 ? true : undefined));
  });

  test('deleting the CRD deletes its custom resources, then the CRD', async () => {
    await ok('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 1 } });
    const deleting = await ok('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    assert.ok(deleting.metadata?.deletionTimestamp);
    assert.deepEqual(deleting.metadata?.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    await until('the CRD to go', async () => {
      const answer = await call('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
      return answer.status === 404 ? true : undefined;
    });
    assert.equal((await call('GET', widgets)).status, 404);
    assert.equal((await call('GET', '/apis/example.com/v1')).status, 404);
    const left = await store.list('/registry/example.com/widgets/', {});
    assert.equal(left.items.length, 0);
  });
});

describe('CustomResourceDefinitions across an API server restart', () => {
  test('the custom resources of stored CRDs are served as soon as the server listens', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-crd-restart-'));
    const store = SqliteStore.open({ path: path.join(dir, 'state.db') });
    const first = new AbortController();
    let server = await startServer(store, first.signal);
    const post = (url: string, body: unknown) =>
      fetch(`http://127.0.0.1:${server.port}${url}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    try {
      assert.equal((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })).status, 201);
      assert.equal((await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD)).status, 201);
      for (let i = 0; i < 100; i++) {
        const res = await post('/apis/example.com/v1/namespaces/default/widgets', {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'kept' },
          spec: { size: 1 },
        });
        if (res.status === 201) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      first.abort();
      await server.stop();
      const second = new AbortController();
      server = await startServer(store, second.signal);
      const res = await fetch(`http://127.0.0.1:${server.port}/apis/example.com/v1/namespaces/default/widgets/kept`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { spec: { color: string } }).spec.color, 'red');
      second.abort();
    } finally {
      await server.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
