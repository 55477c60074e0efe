/**
 * Which protobuf message carries each kind a client may send, and the registry of all schemas.
 * A new kind is a row here (and its messages in a schema_*.ts file); decode.ts walks the table.
 */
import { buildRegistry, type MessageSpec, type Registry } from './schema.js';
import { APPS } from './schema_apps.js';
import { AUTHENTICATION, AUTHORIZATION } from './schema_auth.js';
import { AUTOSCALING } from './schema_autoscaling.js';
import { BATCH } from './schema_batch.js';
import { CORE } from './schema_core.js';
import { META } from './schema_meta.js';
import { NETWORKING } from './schema_networking.js';
import { POLICY } from './schema_policy.js';
import { RBAC } from './schema_rbac.js';
import { SCHEDULING } from './schema_scheduling.js';

/** Every message, linked and checked once at load (a schema mistake fails at startup, not per request). */
export const REGISTRY: Registry = buildRegistry({
  meta: META,
  core: CORE,
  apps: APPS,
  batch: BATCH,
  rbac: RBAC,
  networking: NETWORKING,
  policy: POLICY,
  scheduling: SCHEDULING,
  authentication: AUTHENTICATION,
  authorization: AUTHORIZATION,
  autoscaling: AUTOSCALING,
});

/** apiVersion → the schema group whose messages serve it, and the kinds accepted in it. */
const KINDS: Readonly<Record<string, { group: string; kinds: readonly string[] }>> = {
  v1: {
    group: 'core',
    kinds: [
      'Binding',
      'ConfigMap',
      'Endpoints',
      'Event',
      'LimitRange',
      'Namespace',
      'PersistentVolumeClaim',
      'Pod',
      'PodTemplate',
      'ReplicationController',
      'ResourceQuota',
      'Secret',
      'Service',
      'ServiceAccount',
    ],
  },
  'apps/v1': {
    group: 'apps',
    kinds: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  },
  'batch/v1': { group: 'batch', kinds: ['CronJob', 'Job'] },
  'rbac.authorization.k8s.io/v1': {
    group: 'rbac',
    kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  },
  'networking.k8s.io/v1': { group: 'networking', kinds: ['Ingress', 'IngressClass', 'NetworkPolicy'] },
  'policy/v1': { group: 'policy', kinds: ['Eviction', 'PodDisruptionBudget'] },
  'scheduling.k8s.io/v1': { group: 'scheduling', kinds: ['PriorityClass'] },
  'authentication.k8s.io/v1': { group: 'authentication', kinds: ['SelfSubjectReview', 'TokenRequest', 'TokenReview'] },
  'authorization.k8s.io/v1': {
    group: 'authorization',
    kinds: ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  },
  'autoscaling/v1': { group: 'autoscaling', kinds: ['HorizontalPodAutoscaler', 'Scale'] },
};

/**
 * The message of `kind` in `apiVersion`, or undefined when kts has no schema for it.
 * DeleteOptions is registered in every group version (as in Kubernetes' scheme), so it is
 * accepted under any apiVersion.
 */
export function messageForKind(apiVersion: string, kind: string): MessageSpec | undefined {
  if (kind === 'DeleteOptions') return REGISTRY.get('meta.DeleteOptions');
  const entry = KINDS[apiVersion];
  if (!entry || !entry.kinds.includes(kind)) return undefined;
  return REGISTRY.get(`${entry.group}.${kind}`);
}

/** `apiVersion/kind` pairs kts decodes, for messages and tests. */
export function supportedKinds(): string[] {
  return Object.entries(KINDS).flatMap(([apiVersion, { kinds }]) => kinds.map((k) => `${apiVersion}/${k}`));
}
