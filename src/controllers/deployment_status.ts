/**
 * A Deployment's status and conditions, as Kubernetes' deployment/util and sync.go compute
 * them: the counts summed over its ReplicaSets, the Available condition from maxUnavailable,
 * and the Progressing condition's reasons and messages, which `kubectl rollout status` reads.
 */
import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { rfc3339 } from '../api/time.js';
import {
  maxUnavailable,
  replicasOf,
  specReplicas,
  statusReplicas,
  type DeploymentObject,
  type ReplicaSetObject,
} from './deployment_util.js';

export const REASONS = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  failedCreate: 'ReplicaSetCreateError',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

export type Status = DeploymentStatus;

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string): DeploymentCondition {
  const now = rfc3339(Date.now());
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

export function getCondition(status: Status | undefined, type: string): DeploymentCondition | undefined {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: nothing when a condition of that type with the same status and reason
 * is there; otherwise replaces it, keeping lastTransitionTime when the status is unchanged.
 */
export function setCondition(status: Status, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: Status, type: string): void {
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== type);
}

export function hasProgressDeadline(d: DeploymentObject): boolean {
  const seconds = d.spec?.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== 2147483647;
}

/** calculateStatus: counts over every ReplicaSet, and the Available condition. */
export function calculateStatus(all: readonly (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject | undefined, d: DeploymentObject): Status {
  const available = statusReplicas(all, 'availableReplicas');
  const status: Status = {
    observedGeneration: d.metadata.generation,
    replicas: statusReplicas(all, 'replicas'),
    updatedReplicas: statusReplicas([newRS], 'replicas'),
    readyReplicas: statusReplicas(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicas(all) - available),
    conditions: [...(d.status?.conditions ?? [])],
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  // The counters are omitempty in Kubernetes' JSON: zero is written as absent.
  for (const key of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (status[key] === 0) delete status[key];
  }
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASONS.minimumAvailable, 'Deployment has minimum availability.'));
  } else {
    setCondition(status, newCondition('Available', 'False', REASONS.minimumUnavailable, 'Deployment does not have minimum availability.'));
  }
  return status;
}

/** DeploymentComplete: every replica updated and available, and the generation observed. */
export function deploymentComplete(d: DeploymentObject, status: Status): boolean {
  const want = replicasOf(d);
  return (
    status.updatedReplicas === want &&
    status.replicas === want &&
    status.availableReplicas === want &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones. */
export function deploymentProgressing(d: DeploymentObject, status: Status): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress for progressDeadlineSeconds since the condition's last update. */
export function deploymentTimedOut(d: DeploymentObject, status: Status, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(status, 'Progressing');
  if (!condition || condition.reason === REASONS.newReplicaSetAvailable) return false;
  if (condition.reason === REASONS.timedOut) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}

/**
 * syncRolloutStatus's condition logic: Progressing becomes NewReplicaSetAvailable when the
 * rollout completed, ReplicaSetUpdated while it progresses, ProgressDeadlineExceeded when it
 * stalled past the deadline.
 */
export function updateProgressing(d: DeploymentObject, status: Status, newRS: ReplicaSetObject | undefined, now: number): void {
  if (!hasProgressDeadline(d)) {
    removeCondition(status, 'Progressing');
    return;
  }
  const current = getCondition(status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === REASONS.newReplicaSetAvailable;
  if (complete) return;
  const name = newRS?.metadata.name;
  if (deploymentComplete(d, status)) {
    setCondition(status, newCondition('Progressing', 'True', REASONS.newReplicaSetAvailable, `ReplicaSet "${name ?? ''}" has successfully progressed.`));
  } else if (deploymentProgressing(d, status)) {
    const message = name ? `ReplicaSet "${name}" is progressing.` : `Deployment "${d.metadata.name ?? ''}" is progressing.`;
    const condition = newCondition('Progressing', 'True', REASONS.replicaSetUpdated, message);
    // Progress refreshes lastUpdateTime even when the reason is the same: the deadline restarts.
    if (current?.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
    removeCondition(status, 'Progressing');
    setCondition(status, condition);
  } else if (deploymentTimedOut(d, status, now)) {
    const message = name ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${d.metadata.name ?? ''}" has timed out progressing.`;
    setCondition(status, newCondition('Progressing', 'False', REASONS.timedOut, message));
  }
}

/** How long until a stuck rollout should be checked against its deadline (undefined: never). */
export function stuckRecheckMs(d: DeploymentObject, status: Status, now: number): number | undefined {
  const condition = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !condition) return undefined;
  if (deploymentComplete(d, status) || condition.reason === REASONS.timedOut) return undefined;
  const after = Date.parse(condition.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now;
  if (Number.isNaN(after)) return undefined;
  return after < 1000 ? 0 : after + 1000;
}
