/**
 * The garbage collector's informers (the "monitors" of Kubernetes' graph builder): one
 * metadata-only informer per resource the server serves with list, watch and delete, kept in
 * step with discovery, so that resources added later (CRDs) are followed and those removed are
 * forgotten. Also answers which resource an ownerReference's apiVersion and kind name.
 *
 * Every resource is watched: the API client gives watches their own connections, so some fifty
 * long-lived watches take nothing from ordinary requests.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import { waitForCacheSync } from './cache_sync.js';
import { MetadataInformer, type MetadataHandler } from './metadata_informer.js';
import { discoverResources, groupResource, groupVersionKind, type DiscoveredResource } from './resource_discovery.js';

/** Resources not worth following: many, short-lived and never owners (as Kubernetes). */
const IGNORED = new Set(['events', 'events.events.k8s.io']);
const NEEDED_VERBS = ['list', 'watch', 'delete'];

export interface GcInformersOptions {
  client: ApiClient;
  handler: MetadataHandler;
  onError: (err: unknown, resource: string) => void;
}

interface Running {
  informer: MetadataInformer;
  stop: AbortController;
}

export class GcInformers {
  private readonly running = new Map<string, Running>();
  private kinds = new Map<string, DiscoveredResource>();

  private readonly client: ApiClient;
  private readonly handler: MetadataHandler;
  private readonly onError: (err: unknown, resource: string) => void;

  constructor(options: GcInformersOptions) {
    this.client = options.client;
    this.handler = options.handler;
    this.onError = options.onError;
  }

  /** The resource serving `apiVersion` `kind`, if the server serves it. */
  resourceFor(apiVersion: string, kind: string): ResourceRef | undefined {
    return this.kinds.get(groupVersionKind(apiVersion, kind));
  }

  /** Discovers again; starts informers for new resources and stops those no longer served. */
  async sync(signal: AbortSignal): Promise<void> {
    const resources = await discoverResources(this.client);
    const kinds = new Map<string, DiscoveredResource>();
    const wanted = new Map<string, DiscoveredResource>();
    for (const r of resources) {
      kinds.set(groupVersionKind(r.group ? `${r.group}/${r.version}` : r.version, r.kind), r);
      const gr = groupResource(r);
      if (IGNORED.has(gr) || wanted.has(gr) || !NEEDED_VERBS.every((v) => r.verbs.includes(v))) continue;
      wanted.set(gr, r);
    }
    this.kinds = kinds;
    for (const [gr, r] of wanted) {
      if (this.running.has(gr)) continue;
      const stop = new AbortController();
      const ref: ResourceRef = { group: r.group, version: r.version, resource: r.resource, namespaced: r.namespaced };
      const informer = new MetadataInformer(ref, this.client, this.handler, (err) => this.onError(err, gr));
      this.running.set(gr, { informer, stop });
      void informer.run(AbortSignal.any([signal, stop.signal]));
    }
    for (const [gr, { informer, stop }] of this.running) {
      if (wanted.has(gr)) continue;
      stop.abort();
      this.running.delete(gr);
      for (const meta of informer.list()) this.handler.remove(informer.resource, meta);
    }
  }

  /** Resolves once every running informer has listed, or `signal` aborts. */
  waitForSync(signal: AbortSignal): Promise<void> {
    return waitForCacheSync(signal, [...this.running.values()].map((r) => r.informer.waitForSync()));
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return sleepFor(ms, undefined, { signal }).catch(() => undefined);
}
