/**
 * API discovery, derived from the registry: the legacy documents (/api, /apis, /apis/<group>,
 * and an APIResourceList per group-version) and the aggregated documents
 * (apidiscovery.k8s.io v2 and v2beta1) that kubectl 1.32 asks for first. Documents are built
 * once per registry change and served with an ETag, so kubectl's cached copies get 304.
 */
import { createHash } from 'node:crypto';
import { groupVersion, verbsOf, type ResourceType } from '../api/registry.js';
import type { Registry } from '../api/registry.js';

/** What each non-status, non-scale subresource returns and accepts, for discovery. */
const SUBRESOURCE_KINDS: Record<string, { group: string; version: string; kind: string; verbs: string[] }> = {
  log: { group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
  exec: { group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  proxy: { group: '', version: 'v1', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'head', 'options', 'patch', 'update'] },
  binding: { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  ephemeralcontainers: { group: '', version: 'v1', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  token: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] },
  finalize: { group: '', version: 'v1', kind: 'Namespace', verbs: ['update'] },
};

const STATUS_VERBS = ['get', 'patch', 'update'];

/** Group order in /apis, as kube-apiserver ranks its built-in groups; others follow by name. */
const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

/** Version preference: GA before beta before alpha, higher numbers first (v2 before v1). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stage = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}

export interface DiscoveryDocument {
  body: string;
  etag: string;
}

function document(value: unknown): DiscoveryDocument {
  const body = JSON.stringify(value);
  return { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32).toUpperCase()}"` };
}

interface GroupInfo {
  name: string;
  /** Versions, preferred first. */
  versions: string[];
  resources: Map<string, ResourceType[]>;
}

export class Discovery {
  private docs = new Map<string, DiscoveryDocument>();

  constructor(
    private readonly registry: Registry,
    /** Address clients reach the server at, for serverAddressByClientCIDRs. */
    private readonly serverAddress: () => string,
  ) {
    registry.onChange(() => (this.docs = new Map()));
  }

  /** The document for a discovery path and representation; undefined when there is none (404). */
  get(kind: 'legacy' | 'v2' | 'v2beta1', prefix: 'api' | 'apis', group?: string, version?: string): DiscoveryDocument | undefined {
    const cacheKey = `${kind}|${prefix}|${group ?? ''}|${version ?? ''}`;
    let doc = this.docs.get(cacheKey);
    if (!doc) {
      const value = this.build(kind, prefix, group, version);
      if (value === undefined) return undefined;
      doc = document(value);
      this.docs.set(cacheKey, doc);
    }
    return doc;
  }

  private groups(): GroupInfo[] {
    const byName = new Map<string, GroupInfo>();
    for (const rt of this.registry.all()) {
      let group = byName.get(rt.group);
      if (!group) {
        group = { name: rt.group, versions: [], resources: new Map() };
        byName.set(rt.group, group);
      }
      if (!group.resources.has(rt.version)) {
        group.versions.push(rt.version);
        group.resources.set(rt.version, []);
      }
      group.resources.get(rt.version)?.push(rt);
    }
    for (const group of byName.values()) group.versions.sort(compareVersions);
    const rank = (name: string): number => {
      const i = GROUP_ORDER.indexOf(name);
      return i < 0 ? GROUP_ORDER.length : i;
    };
    return [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  }

  private build(kind: 'legacy' | 'v2' | 'v2beta1', prefix: 'api' | 'apis', group?: string, version?: string): unknown {
    const groups = this.groups();
    if (kind !== 'legacy') {
      if (group !== undefined) return undefined;
      return this.aggregated(kind, groups.filter((g) => (prefix === 'api' ? g.name === '' : g.name !== '')));
    }
    if (prefix === 'api' && version === undefined) {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress() }],
      };
    }
    if (prefix === 'apis' && group === undefined) {
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.filter((g) => g.name !== '').map((g) => this.apiGroup(g)) };
    }
    const info = groups.find((g) => g.name === (prefix === 'api' ? '' : group));
    if (!info) return undefined;
    if (version === undefined) return { kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(info) };
    const resources = info.resources.get(version);
    if (!resources) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: groupVersion({ group: info.name, version }),
      resources: resources.flatMap((rt) => this.legacyResources(rt)),
    };
  }

  private apiGroup(g: GroupInfo): Record<string, unknown> {
    const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
    return { name: g.name, versions, preferredVersion: versions[0] };
  }

  private legacyResources(rt: ResourceType): Record<string, unknown>[] {
    const main: Record<string, unknown> = {
      name: rt.resource,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: [...verbsOf(rt)],
    };
    if (rt.shortNames?.length) main.shortNames = [...rt.shortNames];
    if (rt.categories?.length) main.categories = [...rt.categories];
    main.storageVersionHash = createHash('sha256').update(`${rt.group}/${rt.version}/${rt.kind}`).digest('base64').slice(0, 11);
    const subs = this.subresources(rt).map((s) => {
      const entry: Record<string, unknown> = { name: `${rt.resource}/${s.name}`, singularName: '', namespaced: rt.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== rt.group || s.version !== rt.version) {
        entry.group = s.group;
        entry.version = s.version;
      }
      return entry;
    });
    return [main, ...subs];
  }

  private subresources(rt: ResourceType): { name: string; group: string; version: string; kind: string; verbs: string[] }[] {
    const out: { name: string; group: string; version: string; kind: string; verbs: string[] }[] = [];
    const sub = rt.subresources;
    if (sub?.status) out.push({ name: 'status', group: rt.group, version: rt.version, kind: rt.kind, verbs: STATUS_VERBS });
    if (sub?.scale) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: STATUS_VERBS });
    for (const name of sub?.others ?? []) {
      const known = SUBRESOURCE_KINDS[name];
      if (known) out.push({ name, ...known });
    }
    return out;
  }

  private aggregated(kind: 'v2' | 'v2beta1', groups: GroupInfo[]): unknown {
    return {
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${kind}`,
      metadata: {},
      items: groups.map((g) => ({
        metadata: { name: g.name, creationTimestamp: null },
        versions: g.versions.map((version) => ({
          version,
          resources: (g.resources.get(version) ?? []).map((rt) => {
            const entry: Record<string, unknown> = {
              resource: rt.resource,
              responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
              scope: rt.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: rt.singular,
              verbs: [...verbsOf(rt)],
            };
            if (rt.shortNames?.length) entry.shortNames = [...rt.shortNames];
            if (rt.categories?.length) entry.categories = [...rt.categories];
            const subs = this.subresources(rt);
            if (subs.length) {
              entry.subresources = subs.map((s) => ({
                subresource: s.name,
                responseKind: { group: s.group, version: s.version, kind: s.kind },
                verbs: s.verbs,
              }));
            }
            return entry;
          }),
          freshness: 'Current',
        })),
      })),
    };
  }
}
