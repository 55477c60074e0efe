/**
 * Test support only: resource declarations for this folder's tests, standing in for the
 * built-in table (src/api/resources/builtin.ts) while it is being filled in. Only the fields
 * OpenAPI documents read.
 */
import type { ResourceType } from '../../api/registry.js';

const scale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' };

export const TEST_RESOURCES: readonly ResourceType[] = [
  {
    group: '', version: 'v1', kind: 'Pod', resource: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'],
    subresources: { status: true, others: ['log', 'exec', 'attach', 'portforward', 'proxy', 'binding', 'eviction', 'ephemeralcontainers'] },
  },
  {
    group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: { status: true, others: ['finalize'] },
  },
  { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'] },
  {
    group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singular: 'deployment', namespaced: true,
    shortNames: ['deploy'], subresources: { status: true, scale },
  },
  {
    group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', resource: 'tokenreviews', singular: 'tokenreview',
    namespaced: false, verbs: ['create'],
  },
];
