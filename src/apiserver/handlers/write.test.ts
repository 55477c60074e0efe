/** The body checks of POST and PUT: kind and apiVersion against the endpoint's. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import type { ResourceType } from '../../api/registry.js';
import { configMaps as typedConfigMaps } from '../../api/resources/core/configmap.js';
import { checkKind } from './write.js';

const configMaps = typedConfigMaps as unknown as ResourceType<KubeObject>;

describe('checkKind', () => {
  test('a body without kind or apiVersion takes the endpoint\'s, kind and apiVersion first', () => {
    const obj = checkKind(configMaps, { metadata: { name: 'x' }, data: { a: 'b' } });
    assert.deepEqual(Object.keys(obj), ['kind', 'apiVersion', 'metadata', 'data']);
    assert.equal(obj.kind, 'ConfigMap');
    assert.equal(obj.apiVersion, 'v1');
    assert.equal(checkKind(configMaps, { kind: '', apiVersion: '', metadata: {} }).kind, 'ConfigMap');
  });

  test('another kind or version is a 400 that names it', () => {
    assert.throws(() => checkKind(configMaps, { kind: 'Secret', metadata: {} }), { code: 400, message: /the kind in the data \("Secret"\)/ });
    assert.throws(() => checkKind(configMaps, { apiVersion: 'apps/v1', metadata: {} }), { code: 400, message: /the API version in the data \("apps\/v1"\)/ });
    assert.throws(() => checkKind(configMaps, { metadata: 'nope' }), { code: 400, message: /metadata must be an object/ });
  });
});
