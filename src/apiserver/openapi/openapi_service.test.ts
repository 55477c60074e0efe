import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Registry } from '../../api/registry.js';
import { handleOpenAPIRequest, type OpenAPIRequest } from './openapi_handler.js';
import { OpenAPIService } from './openapi_service.js';
import { TEST_RESOURCES } from './testing_resources.js';

interface Doc {
  paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: { content: Record<string, unknown> }; [k: string]: unknown }>>;
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; [k: string]: unknown }> };
}

function setup(): { registry: Registry; service: OpenAPIService } {
  const registry = new Registry(TEST_RESOURCES);
  return { registry, service: new OpenAPIService({ registry, version: 'v1.32.0' }) };
}

const parse = (body: Buffer): Doc => JSON.parse(body.toString()) as Doc;

test('v3 root lists every group-version with its document hash', () => {
  const { service } = setup();
  const root = JSON.parse(service.v3Root().body.toString()) as { paths: Record<string, { serverRelativeURL: string }> };
  assert.deepEqual(Object.keys(root.paths), ['api/v1', 'apis/apps/v1', 'apis/authentication.k8s.io/v1']);
  const doc = service.v3('api/v1')!;
  assert.equal(root.paths['api/v1']!.serverRelativeURL, `/openapi/v3/api/v1?hash=${doc.hash}`);
  assert.equal(doc.hash, createHash('sha512').update(doc.body).digest('hex').toUpperCase());
  assert.equal(doc.etag, `"${doc.hash}"`);
  assert.equal(service.v3('apis/batch/v1'), undefined);
});

test('api/v1: pod operations with their parameters and request bodies', () => {
  const { service } = setup();
  const doc = parse(service.v3('api/v1')!.body);
  const collection = doc.paths['/api/v1/namespaces/{namespace}/pods']!;
  assert.deepEqual(Object.keys(collection).sort(), ['delete', 'get', 'parameters', 'post']);
  assert.ok(collection.post!.parameters!.some((p) => p.name === 'fieldValidation'));
  assert.equal(collection.post!['x-kubernetes-action'], 'post');
  assert.deepEqual(collection.post!['x-kubernetes-group-version-kind'], { group: '', kind: 'Pod', version: 'v1' });

  const item = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']!;
  assert.deepEqual(Object.keys(item).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
  assert.deepEqual(item.patch!.parameters!.map((p) => p.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  assert.deepEqual(Object.keys(item.patch!.requestBody!.content), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
  ]);
  assert.ok(item.put!.parameters!.some((p) => p.name === 'fieldValidation'));
  for (const path of ['/api/v1/pods', '/api/v1/watch/namespaces/{namespace}/pods/{name}', '/api/v1/namespaces/{namespace}/pods/{name}/status',
    '/api/v1/namespaces/{namespace}/pods/{name}/log', '/api/v1/namespaces/{namespace}/pods/{name}/exec', '/api/v1/namespaces/{name}/finalize']) {
    assert.ok(doc.paths[path], path);
  }
  // Namespaces are served without deletecollection.
  assert.equal(doc.paths['/api/v1/namespaces']!.delete, undefined);
});

test('components hold exactly what the group-version needs, in v3 form', () => {
  const { service } = setup();
  const core = parse(service.v3('api/v1')!.body).components.schemas;
  assert.ok(core['io.k8s.api.core.v1.Pod']);
  assert.ok(core['io.k8s.api.policy.v1.Eviction'], 'eviction subresource body');
  assert.ok(!core['io.k8s.api.apps.v1.Deployment']);
  const liveness = core['io.k8s.api.core.v1.Container']!.properties!.livenessProbe!;
  assert.deepEqual(liveness.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Probe' }]);
  assert.equal(core['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!['x-kubernetes-int-or-string'], true);
  assert.ok(!JSON.stringify(core).includes('#/definitions/'));

  const apps = parse(service.v3('apis/apps/v1')!.body);
  assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale'], 'scale subresource');
  assert.deepEqual(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!.patch!['x-kubernetes-group-version-kind'], {
    group: 'autoscaling', kind: 'Scale', version: 'v1',
  });
  assert.ok(!apps.components.schemas['io.k8s.api.core.v1.Binding']);
});

test('documents are cached, and rebuilt when the registry changes', () => {
  const { registry, service } = setup();
  const first = service.v3Root();
  assert.equal(service.v3Root(), first);
  registry.add({ group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs', singular: 'job', namespaced: true, subresources: { status: true } });
  const second = service.v3Root();
  assert.notEqual(second.hash, first.hash);
  assert.ok(service.v3('apis/batch/v1'));
  registry.remove('batch', 'v1', 'jobs');
  assert.equal(service.v3Root().hash, first.hash);
  assert.equal(service.v3Root().lastModified, first.lastModified, 'same content, same date');
  service.close();
});

test('a custom resource gets a permissive schema, and a CRD schema once put', () => {
  const { registry, service } = setup();
  registry.add({ group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', singular: 'widget', namespaced: true });
  let doc = parse(service.v3('apis/example.com/v1')!.body);
  assert.equal(doc.components.schemas['com.example.v1.Widget']!['x-kubernetes-preserve-unknown-fields'], true);
  const patch = doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}']!.patch!;
  assert.ok(!('application/strategic-merge-patch+json' in patch.requestBody!.content), 'no SMP for custom resources');

  service.putDefinition('com.example.v1.Widget', {
    type: 'object',
    properties: { spec: { type: 'object', description: 'The widget.', properties: { size: { type: 'integer' } } } },
    'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
  });
  doc = parse(service.v3('apis/example.com/v1')!.body);
  assert.equal(doc.components.schemas['com.example.v1.Widget']!.properties!.spec!.description, 'The widget.');
});

test('v2 has every path and definition', () => {
  const { service } = setup();
  const v2 = JSON.parse(service.v2().body.toString()) as { swagger: string; paths: Doc['paths']; definitions: Record<string, unknown> };
  assert.equal(v2.swagger, '2.0');
  assert.ok(v2.paths['/api/v1/namespaces/{namespace}/pods']);
  assert.ok(v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']);
  assert.ok(v2.definitions['io.k8s.api.core.v1.Container']);
  assert.ok(v2.definitions['io.k8s.api.apps.v1.Deployment']);
});

test('handler: caching headers, conditional requests, hash redirect, v2 negotiation', () => {
  const { service } = setup();
  const req = (path: string, extra: Partial<OpenAPIRequest> = {}): OpenAPIRequest => {
    const url = new URL(path, 'http://x');
    return { method: 'GET', path: url.pathname, query: url.searchParams, headers: {}, ...extra };
  };
  const doc = service.v3('api/v1')!;
  const pinned = handleOpenAPIRequest(service, req(`/openapi/v3/api/v1?hash=${doc.hash}`));
  assert.equal(pinned.status, 200);
  assert.equal(pinned.headers['Cache-Control'], 'public, immutable');
  assert.equal(pinned.headers.ETag, doc.etag);
  assert.equal(pinned.body, doc.body);

  const stale = handleOpenAPIRequest(service, req('/openapi/v3/api/v1?hash=ABC'));
  assert.deepEqual([stale.status, stale.headers.Location], [301, `/openapi/v3/api/v1?hash=${doc.hash}`]);

  const root = service.v3Root();
  assert.equal(handleOpenAPIRequest(service, req('/openapi/v3', { headers: { 'if-none-match': root.etag } })).status, 304);
  const since = new Date(root.lastModified.getTime() + 500).toUTCString();
  assert.equal(handleOpenAPIRequest(service, req('/openapi/v3', { headers: { 'if-modified-since': since } })).status, 304);
  assert.equal(handleOpenAPIRequest(service, req('/openapi/v3')).headers['Cache-Control'], 'no-cache, private');

  assert.throws(() => handleOpenAPIRequest(service, req('/openapi/v3/apis/nope/v1')), { name: 'StatusError', message: /could not find/ });
  assert.throws(() => handleOpenAPIRequest(service, req('/openapi/v3', { method: 'POST' })), /POST is not supported/);
  const pb = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
  assert.throws(() => handleOpenAPIRequest(service, req('/openapi/v2', { headers: { accept: pb } })), /only application\/json/);
  assert.equal(handleOpenAPIRequest(service, req('/openapi/v2', { headers: { accept: `${pb}, application/json` } })).status, 200);
});
