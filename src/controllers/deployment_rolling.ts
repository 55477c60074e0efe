/**
 * The Deployment controller's scaling decisions, as Kubernetes' deployment/rolling.go and
 * sync.go's scale(): how far to scale the new ReplicaSet up and the old ones down in a rolling
 * update within maxSurge and maxUnavailable, and how to spread a change of spec.replicas over
 * the ReplicaSets in proportion during a rollout. The deployment controller supplies `scale`,
 * which writes one ReplicaSet; these functions only decide.
 */
import {
  desiredReplicasAnnotation,
  filterActive,
  maxSurge,
  newReplicaSetReplicas,
  replicasOf,
  resolveFenceposts,
  specReplicas,
  statusReplicas,
  type DeploymentObject,
  type ReplicaSetObject,
} from './deployment_util.js';

/** Scales `rs` to `replicas` (and sets its replica annotations); resolves to the written ReplicaSet. */
export type ScaleReplicaSet = (rs: ReplicaSetObject, replicas: number) => Promise<ReplicaSetObject>;

/** reconcileNewReplicaSet: scales the new ReplicaSet towards spec.replicas within maxSurge. True when it scaled. */
export async function reconcileNewReplicaSet(
  d: DeploymentObject,
  all: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject,
  scale: ScaleReplicaSet,
): Promise<boolean> {
  const want = replicasOf(d);
  if (replicasOf(newRS) === want) return false;
  if (replicasOf(newRS) > want) {
    await scale(newRS, want);
    return true;
  }
  const size = newReplicaSetReplicas(d, all, newRS);
  if (size === replicasOf(newRS)) return false;
  await scale(newRS, size);
  return true;
}

/**
 * reconcileOldReplicaSets: scales old ReplicaSets down as far as maxUnavailable allows, first
 * their unhealthy replicas, then healthy ones, oldest ReplicaSet first. True when it scaled.
 */
export async function reconcileOldReplicaSets(
  d: DeploymentObject,
  all: readonly ReplicaSetObject[],
  oldRSs: ReplicaSetObject[],
  newRS: ReplicaSetObject | undefined,
  scale: ScaleReplicaSet,
): Promise<boolean> {
  if (specReplicas(oldRSs) === 0) return false;
  const minAvailable = replicasOf(d) - resolveFenceposts(d).maxUnavailable;
  const newUnavailable = newRS ? replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
  const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(oldRSs, maxScaledDown, scale);
  const allNow = [...oldRSs, ...(newRS ? [newRS] : [])];
  const scaledDown = await scaleDownOldForRollingUpdate(allNow, oldRSs, minAvailable, scale);
  return cleaned + scaledDown > 0;
}

function sortByCreation(rss: ReplicaSetObject[]): number[] {
  const created = (rs: ReplicaSetObject): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;
  return rss.map((_, i) => i).sort((a, b) => created(rss[a] as ReplicaSetObject) - created(rss[b] as ReplicaSetObject));
}

/** Removes unavailable replicas of old ReplicaSets, at most `maxCleanup`; updates `oldRSs` in place. */
async function cleanupUnhealthyReplicas(oldRSs: ReplicaSetObject[], maxCleanup: number, scale: ScaleReplicaSet): Promise<number> {
  let total = 0;
  for (const i of sortByCreation(oldRSs)) {
    if (total >= maxCleanup) break;
    const rs = oldRSs[i] as ReplicaSetObject;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const count = Math.min(maxCleanup - total, unhealthy);
    oldRSs[i] = await scale(rs, replicasOf(rs) - count);
    total += count;
  }
  return total;
}

/** Scales old ReplicaSets down while more than minAvailable replicas are available. */
async function scaleDownOldForRollingUpdate(
  all: readonly ReplicaSetObject[],
  oldRSs: ReplicaSetObject[],
  minAvailable: number,
  scale: ScaleReplicaSet,
): Promise<number> {
  const available = statusReplicas(all, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const i of sortByCreation(oldRSs)) {
    if (total >= budget) break;
    const rs = oldRSs[i] as ReplicaSetObject;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), budget - total);
    oldRSs[i] = await scale(rs, replicasOf(rs) - count);
    total += count;
  }
  return total;
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
function activeOrLatest(newRS: ReplicaSetObject | undefined, oldRSs: readonly ReplicaSetObject[]): ReplicaSetObject | undefined {
  const active = filterActive([...oldRSs, newRS]);
  if (active.length === 1) return active[0];
  if (active.length > 1) return undefined;
  if (newRS) return newRS;
  const created = (rs: ReplicaSetObject): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;
  return [...oldRSs].sort((a, b) => created(b) - created(a))[0];
}

/** IsSaturated: the new ReplicaSet has all the replicas, all available. */
function isSaturated(d: DeploymentObject, rs: ReplicaSetObject | undefined): boolean {
  if (!rs) return false;
  return replicasOf(rs) === replicasOf(d) && desiredReplicasAnnotation(rs) === replicasOf(d) && rs.status?.availableReplicas === replicasOf(d);
}

/**
 * scale(): follows a change of spec.replicas. One active ReplicaSet takes it all; a saturated new
 * ReplicaSet means the old ones go to zero; during a rolling update the change is spread in
 * proportion to each ReplicaSet's size (by its max-replicas annotation), the rounding left
 * over going to the largest.
 */
export async function scaleDeployment(
  d: DeploymentObject,
  newRS: ReplicaSetObject | undefined,
  oldRSs: readonly ReplicaSetObject[],
  scale: ScaleReplicaSet,
): Promise<void> {
  const single = activeOrLatest(newRS, oldRSs);
  if (single) {
    if (replicasOf(single) !== replicasOf(d)) await scale(single, replicasOf(d));
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of filterActive(oldRSs)) await scale(rs, 0);
    return;
  }
  if ((d.spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
  const active = filterActive([...oldRSs, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(active);
  const created = (rs: ReplicaSetObject): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;
  // Growing: the largest (then newest) first; shrinking: the largest (then oldest) first.
  active.sort((a, b) => replicasOf(b) - replicasOf(a) || (toAdd > 0 ? created(b) - created(a) : created(a) - created(b)));
  const sizes = new Map<ReplicaSetObject, number>();
  let added = 0;
  for (const rs of active) {
    let proportion = 0;
    if (toAdd !== 0 && added !== toAdd && replicasOf(rs) > 0) {
      const fraction = replicaSetFraction(rs, d);
      proportion = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
    }
    sizes.set(rs, replicasOf(rs) + proportion);
    added += proportion;
  }
  const first = active[0];
  if (toAdd !== 0 && first) sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  for (const rs of active) {
    const size = sizes.get(rs) ?? replicasOf(rs);
    await scale(rs, size);
  }
}

/** getReplicaSetFraction: this ReplicaSet's share of the change. */
function replicaSetFraction(rs: ReplicaSetObject, d: DeploymentObject): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const total = replicasOf(d) + maxSurge(d);
  const annotated = Number(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']);
  const base = Number.isInteger(annotated) && annotated > 0 ? annotated : (d.status?.replicas ?? 0);
  if (base === 0) return 0;
  const exact = (replicasOf(rs) * total) / base;
  // Go's math.Round: halves away from zero.
  return Math.sign(exact) * Math.round(Math.abs(exact)) - replicasOf(rs);
}
