/**
 * The Deployment controller's arithmetic and bookkeeping, as Kubernetes' deployment/util:
 * maxSurge and maxUnavailable from numbers or percentages, the pod-template-hash, template
 * equality ignoring that hash, revision and replica annotations, and the replica counts summed
 * over a deployment's ReplicaSets. Pure functions; only the controller files call them.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';

export type DeploymentObject = Deployment & KubeObject;
export type ReplicaSetObject = ReplicaSet & KubeObject;

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** Deployment annotations that are not copied onto its ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

export function replicasOf(obj: { spec?: { replicas?: number } }): number {
  return obj.spec?.replicas ?? 1;
}

/** An intstr as a count of `total`: numbers as they are, `N%` of total rounded up or down. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) throw new Error(`invalid value for IntOrString: ${JSON.stringify(value)} is not a percentage`);
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function isRollingUpdate(d: DeploymentObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 makes maxUnavailable 1. */
export function resolveFenceposts(d: DeploymentObject): { maxSurge: number; maxUnavailable: number } {
  const desired = replicasOf(d);
  const rolling = d.spec?.strategy?.rollingUpdate;
  const maxSurge = scaledValue(rolling?.maxSurge ?? '25%', desired, true);
  let maxUnavailable = scaledValue(rolling?.maxUnavailable ?? '25%', desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function maxSurge(d: DeploymentObject): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).maxSurge : 0;
}

export function maxUnavailable(d: DeploymentObject): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, replicasOf(d));
}

/** A JSON value with object keys sorted, empty arrays and objects and nulls dropped. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/** Semantic equality of JSON values: key order ignored, absent equals empty or null. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function withoutHash(template: PodTemplateSpec | undefined): unknown {
  const labels = { ...template?.metadata?.labels };
  delete labels[POD_TEMPLATE_HASH];
  return { ...template, metadata: { ...template?.metadata, labels } };
}

/** EqualIgnoreHash: the two templates are the same but for the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * ComputeHash: FNV-1a (32 bit) over the template (canonical JSON here, Go's object dump in
 * Kubernetes) and the collision count, written with rand.SafeEncodeString's alphabet.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = 0x811c9dc5;
  const feed = (byte: number): void => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (const byte of Buffer.from(JSON.stringify(canonical(template ?? {})) ?? '')) feed(byte);
  if (collisionCount !== undefined) {
    const le = Buffer.alloc(4);
    le.writeUInt32LE(collisionCount >>> 0);
    for (const byte of le) feed(byte);
  }
  return [...String(hash >>> 0)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

export function revisionOf(rs: KubeObject): number {
  const n = Number(rs.metadata.annotations?.[REVISION] ?? '0');
  return Number.isInteger(n) ? n : 0;
}

export function maxRevision(rss: readonly KubeObject[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

function created(obj: KubeObject): number {
  return Date.parse(obj.metadata.creationTimestamp ?? '') || 0;
}

/** Oldest first, then by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  return created(a) - created(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** The ReplicaSet whose template is the deployment's, the oldest if several (FindNewReplicaSet). */
export function findNewReplicaSet(d: DeploymentObject, rss: readonly ReplicaSetObject[]): ReplicaSetObject | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function filterActive(rss: readonly (ReplicaSetObject | undefined)[]): ReplicaSetObject[] {
  return rss.filter((rs): rs is ReplicaSetObject => rs !== undefined && replicasOf(rs) > 0);
}

/** Sum of spec.replicas. */
export function specReplicas(rss: readonly (ReplicaSetObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
}

/** Sum of status.replicas, readyReplicas or availableReplicas. */
export function statusReplicas(rss: readonly (ReplicaSetObject | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs?.status?.[field] ?? 0), 0);
}

function setAnnotation(obj: KubeObject, key: string, value: string): boolean {
  if (obj.metadata.annotations?.[key] === value) return false;
  obj.metadata.annotations = { ...obj.metadata.annotations, [key]: value };
  return true;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const a = setAnnotation(rs, DESIRED_REPLICAS, String(desired));
  const b = setAnnotation(rs, MAX_REPLICAS, String(max));
  return a || b;
}

export function desiredReplicasAnnotation(rs: ReplicaSetObject): number | undefined {
  const value = rs.metadata.annotations?.[DESIRED_REPLICAS];
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * SetNewReplicaSetAnnotations: copies the deployment's annotations, raises the revision to
 * `revision` (remembering the old one in revision-history), and on a new ReplicaSet sets the
 * replica annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(d: DeploymentObject, rs: ReplicaSetObject, revision: number, exists: boolean): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (!NOT_COPIED.has(key) && setAnnotation(rs, key, value)) changed = true;
  }
  const old = rs.metadata.annotations?.[REVISION];
  const oldNumber = old === undefined ? 0 : Number(old);
  if (!Number.isInteger(oldNumber)) return false;
  if (oldNumber < revision) {
    setAnnotation(rs, REVISION, String(revision));
    if (old !== undefined) {
      const history = rs.metadata.annotations?.[REVISION_HISTORY];
      setAnnotation(rs, REVISION_HISTORY, history ? `${history},${old}` : old);
    }
    changed = true;
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** The deployment's own revision annotation; true when it changed. */
export function setDeploymentRevision(d: DeploymentObject, revision: string): boolean {
  return setAnnotation(d, REVISION, revision);
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newReplicaSetReplicas(d: DeploymentObject, all: readonly (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject): number {
  if ((d.spec?.strategy?.type ?? 'RollingUpdate') === 'Recreate') return replicasOf(d);
  const { maxSurge: surge } = resolveFenceposts(d);
  const current = specReplicas(all);
  const maxTotal = replicasOf(d) + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const scaleUp = Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
  return replicasOf(newRS) + scaleUp;
}
