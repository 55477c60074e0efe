/**
 * Every built-in resource kts serves: the table the registry is built from. Each group keeps
 * its declarations in its own folder; a new resource is one file there and one row here.
 */
import type { KubeObject } from '../object.js';
import type { ResourceType } from '../registry.js';
import { configMaps } from './core/configmap.js';
import { namespaces } from './core/namespace.js';

/** Written as a list of heterogeneous declarations, hence the widening cast per row. */
export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  namespaces,
  configMaps,
].map((rt) => rt as unknown as ResourceType<KubeObject>);
