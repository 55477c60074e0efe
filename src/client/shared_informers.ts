/**
 * Shared informers, as client-go's SharedInformerFactory: every controller that asks for the
 * same view (resource, namespace, selectors) through the same client gets the same informer,
 * so a resource is watched, parsed and cached once, however many controllers follow it.
 */
import type { KubeObject } from '../api/object.js';
import type { ApiClient } from './api_client.js';
import { Informer, type InformerOptions } from './informer.js';

const byClient = new WeakMap<ApiClient, Map<string, Informer>>();

/** The informer for this view, made on first use. Its onError is the first caller's. */
export function sharedInformer<T extends KubeObject>(options: InformerOptions): Informer<T> {
  let informers = byClient.get(options.client);
  if (!informers) {
    informers = new Map();
    byClient.set(options.client, informers);
  }
  const { group, version, resource } = options.resource;
  const key = [group, version, resource, options.namespace ?? '', options.labelSelector ?? '', options.fieldSelector ?? ''].join('|');
  let informer = informers.get(key);
  if (!informer) {
    informer = new Informer(options);
    informers.set(key, informer);
  }
  return informer as unknown as Informer<T>;
}
