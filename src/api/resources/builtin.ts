/**
 * Every built-in resource kts serves: the table the registry is built from. Each group keeps
 * its declarations in its own folder; a new resource is one file there and one row here.
 */
import type { KubeObject } from '../object.js';
import type { ResourceType } from '../registry.js';
import { controllerRevisions } from './apps/controllerrevision.js';
import { daemonSets } from './apps/daemonset.js';
import { deployments } from './apps/deployment.js';
import { replicaSets } from './apps/replicaset.js';
import { statefulSets } from './apps/statefulset.js';
import { horizontalPodAutoscalersV1 } from './autoscaling/hpa_v1.js';
import { horizontalPodAutoscalersV2 } from './autoscaling/hpa_v2.js';
import { cronJobs } from './batch/cronjob.js';
import { jobs } from './batch/job.js';
import { certificateSigningRequests } from './certificates/certificatesigningrequest.js';
import { leases } from './coordination/lease.js';
import { endpointSlices } from './discovery/endpointslice.js';
import { eventsV1 } from './events/event.js';
import { ingressClasses } from './networking/ingressclass.js';
import { ingresses } from './networking/ingress.js';
import { networkPolicies } from './networking/networkpolicy.js';
import { podDisruptionBudgets } from './policy/poddisruptionbudget.js';
import { clusterRoleBindings } from './rbac/clusterrolebinding.js';
import { clusterRoles } from './rbac/clusterrole.js';
import { roleBindings } from './rbac/rolebinding.js';
import { roles } from './rbac/role.js';
import { priorityClasses } from './scheduling/priorityclass.js';
import { storageClasses } from './storage/storageclass.js';
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
  deployments,
  replicaSets,
  statefulSets,
  daemonSets,
  controllerRevisions,
  jobs,
  cronJobs,
  horizontalPodAutoscalersV2,
  horizontalPodAutoscalersV1,
  ingresses,
  ingressClasses,
  networkPolicies,
  roles,
  clusterRoles,
  roleBindings,
  clusterRoleBindings,
  leases,
  endpointSlices,
  eventsV1,
  podDisruptionBudgets,
  storageClasses,
  priorityClasses,
  certificateSigningRequests,
].map((rt) => rt as unknown as ResourceType<KubeObject>);
