/**
 * Every built-in resource kts serves: the table the registry is built from. Each group keeps
 * its declarations in its own folder; a new resource is one file there and one row here.
 */
import type { KubeObject } from '../object.js';
import type { ResourceType } from '../registry.js';
import { customResourceDefinitions } from './apiextensions/customresourcedefinition.js';
import { configMaps } from './core/configmap.js';
import { endpoints } from './core/endpoints.js';
import { events } from './core/event.js';
import { limitRanges } from './core/limitrange.js';
import { namespaces } from './core/namespace.js';
import { nodes } from './core/node.js';
import { persistentVolumes } from './core/persistentvolume.js';
import { persistentVolumeClaims } from './core/persistentvolumeclaim.js';
import { pods } from './core/pod.js';
import { podTemplates } from './core/podtemplate.js';
import { replicationControllers } from './core/replicationcontroller.js';
import { resourceQuotas } from './core/resourcequota.js';
import { secrets } from './core/secret.js';
import { serviceAccounts } from './core/serviceaccount.js';
import { services } from './core/service.js';

/** Written as a list of heterogeneous declarations, hence the widening cast per row. */
export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  namespaces,
  configMaps,
  pods,
  services,
  endpoints,
  secrets,
  serviceAccounts,
  nodes,
  events,
  replicationControllers,
  limitRanges,
  resourceQuotas,
  persistentVolumes,
  persistentVolumeClaims,
  podTemplates,
  customResourceDefinitions,
].map((rt) => rt as unknown as ResourceType<KubeObject>);
