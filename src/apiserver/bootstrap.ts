/**
 * What a fresh cluster has from its first start: the namespaces default, kube-system,
 * kube-public and kube-node-lease, and the `kubernetes` Service in default whose endpoints are
 * the API server itself. Created through the registry stores, so they get the same defaulting
 * and metadata as any object; existing ones are left alone, except that the endpoints follow
 * the server's address.
 */
import os from 'node:os';
import { isStatusError } from '../api/errors.js';
import type { KubeObject } from '../api/object.js';
import type { RegistryStore, RequestContext } from './registry_store.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

function systemContext(): RequestContext {
  return {
    user: { username: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] },
    dryRun: false,
    fieldManager: 'kube-apiserver',
    now: Date.now(),
  };
}

async function createIfMissing(store: RegistryStore, namespace: string | undefined, obj: KubeObject): Promise<void> {
  // Look first: creating an existing Service would try to allocate its ClusterIP again.
  if (store.cache.get(store.key(namespace, obj.metadata.name ?? ''))) return;
  try {
    await store.create(namespace, obj, systemContext());
  } catch (err) {
    if (!isStatusError(err, 'AlreadyExists')) throw err;
  }
}

export async function ensureSystemNamespaces(namespaces: RegistryStore): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await createIfMissing(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

/** The address other hosts reach this server at: the bind address, or the host's first one. */
export function advertiseAddress(bindAddress: string): string {
  if (bindAddress !== '0.0.0.0' && bindAddress !== '::') return bindAddress;
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export async function ensureKubernetesService(
  services: RegistryStore,
  endpoints: RegistryStore,
  options: { clusterIP: string; endpointIP: string; port: number },
): Promise<void> {
  await createIfMissing(services, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: options.clusterIP,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: options.port }],
      sessionAffinity: 'None',
    },
  });
  const subsets = [{ addresses: [{ ip: options.endpointIP }], ports: [{ name: 'https', port: options.port, protocol: 'TCP' }] }];
  const ctx = systemContext();
  try {
    await endpoints.guaranteedUpdate('default', 'kubernetes', (current) => ({ ...current, subsets }), ctx);
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
    await createIfMissing(endpoints, 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets,
    });
  }
}
