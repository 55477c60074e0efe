/**
 * Discovery for controllers that work over every resource the server serves (the garbage
 * collector): one walk over /api and /apis, giving each top-level resource with its kind and
 * verbs, so that an ownerReference's apiVersion and kind can be turned into a resource to read.
 */
import type { ApiClient, ResourceRef } from '../client/api_client.js';

/** A served resource, as discovery tells it. */
export interface DiscoveredResource extends ResourceRef {
  kind: string;
  verbs: readonly string[];
}

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
}

interface ApiGroupList {
  groups: { name: string; versions: { version: string }[] }[];
}

/** Every top-level resource in every served group version (subresources left out). */
export async function discoverResources(client: ApiClient): Promise<DiscoveredResource[]> {
  const groupVersions: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  const groups = await client.request<ApiGroupList>('GET', '/apis');
  for (const g of groups.groups) for (const v of g.versions) groupVersions.push({ group: g.name, version: v.version });
  const found: DiscoveredResource[] = [];
  for (const { group, version } of groupVersions) {
    const list = await client.request<ApiResourceList>('GET', group ? `/apis/${group}/${version}` : `/api/${version}`);
    for (const r of list.resources) {
      if (r.name.includes('/')) continue;
      found.push({ group, version, resource: r.name, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs });
    }
  }
  return found;
}

/** `group/resource`: one informer per resource, whatever versions serve it. */
export function groupResource(ref: Pick<ResourceRef, 'group' | 'resource'>): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

/** `apps/v1 ReplicaSet` → key of the kind lookup. */
export function groupVersionKind(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}
