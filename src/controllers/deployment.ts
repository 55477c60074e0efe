/**
 * The Deployment controller, as Kubernetes' pkg/controller/deployment: one ReplicaSet per pod
 * template (named and labelled with its pod-template-hash), rolled out with RollingUpdate
 * (within maxSurge and maxUnavailable) or Recreate; revision annotations that `kubectl rollout
 * history/undo` read; proportional scaling while a rollout is under way; paused deployments
 * only scale; old ReplicaSets beyond revisionHistoryLimit deleted; status with the Progressing
 * and Available conditions. ReplicaSets are adopted and released by selector like pods are by
 * the ReplicaSet controller, which does the pod work.
 */
import type { Logger } from 'pino';
import type { Controller } from './manager.js';
import { isStatusError } from '../api/errors.js';
import { logSyncError } from './sync_errors.js';
import { selectorFromLabelSelector, type Selector } from '../api/labels.js';
import { deepCopy, objectKey, type KubeObject, type ObjectMeta } from '../api/object.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import { EventRecorder } from '../client/event_recorder.js';
import type { Informer } from '../client/informer.js';
import { sharedInformer } from '../client/shared_informers.js';
import { byControllerUid, byNamespace, InformerIndex } from '../client/informer_index.js';
import { WorkQueue } from '../client/work_queue.js';
import { claimChildren, controllerRefOf, newControllerRef } from './controller_ref.js';
import { reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDeployment, type ScaleReplicaSet } from './deployment_rolling.js';
import {
  calculateStatus,
  deploymentComplete,
  getCondition,
  hasProgressDeadline,
  newCondition,
  REASONS,
  setCondition,
  stuckRecheckMs,
  updateProgressing,
  type Status,
} from './deployment_status.js';
import {
  byCreation,
  computeHash,
  desiredReplicasAnnotation,
  equalIgnoreHash,
  filterActive,
  findNewReplicaSet,
  maxRevision,
  maxSurge,
  newReplicaSetReplicas,
  POD_TEMPLATE_HASH,
  replicasOf,
  REVISION,
  revisionOf,
  semanticEqual,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  statusReplicas,
  type DeploymentObject,
  type ReplicaSetObject,
} from './deployment_util.js';
import type { PodObject } from './pod_util.js';

const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const REPLICA_SETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const DEPLOYMENT_KIND = { apiVersion: 'apps/v1', kind: 'Deployment' };
const FIELD_MANAGER = 'deployment-controller';

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly deployments: Informer<DeploymentObject>;
  private readonly deploymentsByNamespace: InformerIndex<DeploymentObject>;
  private readonly replicaSets: Informer<ReplicaSetObject>;
  private readonly replicaSetsByNamespace: InformerIndex<ReplicaSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly podsByOwner: InformerIndex<PodObject>;
  private readonly queue = new WorkQueue();
  private readonly recorder: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly logger?: Logger,
  ) {
    this.recorder = new EventRecorder({ client, component: FIELD_MANAGER, logger });
    const onError = (err: unknown): void => this.logger?.warn({ err }, 'deployment informer');
    this.deployments = sharedInformer({ client, resource: DEPLOYMENTS, onError });
    this.replicaSets = sharedInformer({ client, resource: REPLICA_SETS, onError });
    this.pods = sharedInformer({ client, resource: PODS, onError });
    this.deploymentsByNamespace = new InformerIndex(this.deployments, byNamespace);
    this.replicaSetsByNamespace = new InformerIndex(this.replicaSets, byNamespace);
    this.podsByOwner = new InformerIndex(this.pods, byControllerUid);
    const enqueue = (d: DeploymentObject): void => this.queue.add(objectKey(d));
    this.deployments.addEventHandler({ add: enqueue, update: (_old, d) => enqueue(d), delete: enqueue });
    this.replicaSets.addEventHandler({
      add: (rs) => this.replicaSetChanged(undefined, rs),
      update: (old, rs) => this.replicaSetChanged(old, rs),
      delete: (rs) => this.enqueueOwner(rs),
    });
    this.pods.addEventHandler({ delete: (pod) => this.podDeleted(pod) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const work = this.queue.run(
      async (key) => {
        await Promise.all([this.deployments.waitForSync(), this.replicaSets.waitForSync(), this.pods.waitForSync()]);
        await this.sync(key);
      },
      signal,
      (key, err) => logSyncError(this.logger, 'deployment sync failed', key, err),
    );
    await Promise.all([this.deployments.run(signal), this.replicaSets.run(signal), this.pods.run(signal), work]);
  }

  /** The deployment controlling `rs`, if it is still the one the reference names. */
  private ownerOf(rs: KubeObject): DeploymentObject | undefined {
    const ref = controllerRefOf(rs);
    if (ref?.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(`${rs.metadata.namespace ?? ''}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  private enqueueOwner(rs: KubeObject): void {
    const d = this.ownerOf(rs);
    if (d) this.queue.add(objectKey(d));
  }

  private replicaSetChanged(old: ReplicaSetObject | undefined, rs: ReplicaSetObject): void {
    if (old && old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    if (old && controllerRefOf(old)?.uid !== controllerRefOf(rs)?.uid) this.enqueueOwner(old);
    if (controllerRefOf(rs)) return this.enqueueOwner(rs);
    // An orphan: every deployment that could adopt it syncs.
    const labelsChanged = !old || !semanticEqual(old.metadata.labels, rs.metadata.labels) || controllerRefOf(old) !== undefined;
    if (!labelsChanged) return;
    for (const d of this.deploymentsByNamespace.get(rs.metadata.namespace ?? '')) {
      try {
        const selector = selectorFromLabelSelector(d.spec?.selector);
        if (!selector.empty() && selector.matches(rs.metadata.labels)) this.queue.add(objectKey(d));
      } catch {
        // An invalid selector adopts nothing.
      }
    }
  }

  /** A Recreate rollout waits for the old pods to be gone. */
  private podDeleted(pod: PodObject): void {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(`${pod.metadata.namespace ?? ''}/${ref.name}`);
    const d = rs ? this.ownerOf(rs) : undefined;
    if (d?.spec?.strategy?.type === 'Recreate') this.queue.add(objectKey(d));
  }

  private async sync(key: string): Promise<void> {
    const cached = this.deployments.get(key);
    if (!cached) return;
    const d = deepCopy(cached);
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(d.spec?.selector);
    } catch (err) {
      this.logger?.warn({ err, key }, 'deployment has an invalid selector');
      return;
    }
    if (selector.empty()) {
      // Selecting everything would adopt every ReplicaSet: do nothing but say it was seen.
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        await this.writeStatus(d, { ...d.status, observedGeneration: d.metadata.generation });
      }
      return;
    }
    const rsList = await this.claimReplicaSets(d, selector);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
      return this.syncStatus([...oldRSs, newRS], newRS, d);
    }
    await this.checkPausedConditions(d);
    if (d.spec?.paused || (await this.isScalingEvent(d, rsList))) return this.syncScale(d, rsList);
    if (d.spec?.strategy?.type === 'Recreate') return this.rolloutRecreate(d, rsList);
    return this.rolloutRolling(d, rsList);
  }

  private claimReplicaSets(d: DeploymentObject, selector: Selector): Promise<ReplicaSetObject[]> {
    const namespace = d.metadata.namespace ?? '';
    return claimChildren(this.replicaSetsByNamespace.get(namespace), {
      client: this.client,
      resource: REPLICA_SETS,
      owner: d,
      ownerKind: DEPLOYMENT_KIND,
      selector,
      fieldManager: FIELD_MANAGER,
      recheckOwner: () => this.client.get<KubeObject>(DEPLOYMENTS, namespace, d.metadata.name ?? '').catch(() => undefined),
    });
  }

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked) and the old ones. */
  private async allReplicaSets(
    d: DeploymentObject,
    rsList: readonly ReplicaSetObject[],
    create: boolean,
  ): Promise<{ newRS: ReplicaSetObject | undefined; oldRSs: ReplicaSetObject[] }> {
    const existing = findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRS = await this.newReplicaSet(d, existing, oldRSs, create);
    return { newRS, oldRSs };
  }

  /** getNewReplicaSet: brings an existing new ReplicaSet's revision up to date, or creates it. */
  private async newReplicaSet(
    d: DeploymentObject,
    existing: ReplicaSetObject | undefined,
    oldRSs: readonly ReplicaSetObject[],
    create: boolean,
  ): Promise<ReplicaSetObject | undefined> {
    const revision = maxRevision(oldRSs) + 1;
    if (existing) {
      let rs = deepCopy(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, rs, revision, true);
      const minReadyChanged = (rs.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsChanged || minReadyChanged) {
        rs.spec = { ...rs.spec, selector: rs.spec?.selector ?? {}, minReadySeconds: d.spec?.minReadySeconds };
        rs = await this.client.update<ReplicaSetObject>(REPLICA_SETS, rs, undefined, FIELD_MANAGER);
      }
      const revisionChanged = setDeploymentRevision(d, rs.metadata.annotations?.[REVISION] ?? '');
      let statusChanged = false;
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        d.status = { ...d.status };
        setCondition(d.status, newCondition('Progressing', 'True', REASONS.foundNewReplicaSet, `Found new replica set "${rs.metadata.name ?? ''}"`));
        statusChanged = true;
      }
      if (revisionChanged) await this.writeRevision(d);
      if (statusChanged) await this.writeStatus(d, d.status ?? {});
      return rs;
    }
    if (!create) return undefined;
    return this.createNewReplicaSet(d, oldRSs, revision);
  }

  private async createNewReplicaSet(d: DeploymentObject, oldRSs: readonly ReplicaSetObject[], revision: number): Promise<ReplicaSetObject> {
    const template = deepCopy(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash } };
    const selector = deepCopy(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH]: hash };
    const name = `${d.metadata.name ?? ''}-${hash}`;
    const draft: ReplicaSetObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: d.metadata.namespace, labels: { ...template.metadata.labels }, ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)] },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    };
    draft.spec = { ...draft.spec, selector, replicas: newReplicaSetReplicas(d, [...oldRSs, draft], draft) };
    setNewReplicaSetAnnotations(d, draft, revision, false);
    let created: ReplicaSetObject;
    let alreadyExisted = false;
    try {
      created = await this.client.create<ReplicaSetObject>(REPLICA_SETS, d.metadata.namespace, draft, FIELD_MANAGER);
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) {
        if (hasProgressDeadline(d)) {
          d.status = { ...d.status };
          const message = `Failed to create new replica set "${name}": ${err instanceof Error ? err.message : String(err)}`;
          setCondition(d.status, newCondition('Progressing', 'False', REASONS.failedCreate, message));
          await this.writeStatus(d, d.status).catch(() => undefined);
        }
        throw err;
      }
      // Ours already (a cache that lags behind our own create), or a hash collision.
      const found = await this.client.get<ReplicaSetObject>(REPLICA_SETS, d.metadata.namespace, name);
      if (controllerRefOf(found)?.uid !== d.metadata.uid || !equalIgnoreHash(found.spec?.template, d.spec?.template)) {
        await this.writeStatus(d, { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 });
        throw err;
      }
      created = found;
      alreadyExisted = true;
    }
    if (!alreadyExisted && replicasOf(created) > 0) {
      this.recorder.event(d, DEPLOYMENT_KIND, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicasOf(created)}`);
    }
    if (setDeploymentRevision(d, String(revision))) await this.writeRevision(d);
    if (!alreadyExisted && hasProgressDeadline(d)) {
      d.status = { ...d.status };
      setCondition(d.status, newCondition('Progressing', 'True', REASONS.newReplicaSetCreated, `Created new replica set "${name}"`));
      await this.writeStatus(d, d.status);
    }
    return created;
  }

  /** scaleReplicaSetAndRecordEvent: writes a new size and the replica annotations when either changed. */
  private scaler(d: DeploymentObject): ScaleReplicaSet {
    return async (rs, replicas) => {
      const copy = deepCopy(rs);
      const annotationsChanged = setReplicasAnnotations(copy, replicasOf(d), replicasOf(d) + maxSurge(d));
      if (replicasOf(rs) === replicas && !annotationsChanged) return rs;
      copy.spec = { ...copy.spec, selector: copy.spec?.selector ?? {}, replicas };
      const updated = await this.client.update<ReplicaSetObject>(REPLICA_SETS, copy, undefined, FIELD_MANAGER);
      if (replicasOf(rs) !== replicas) {
        const verb = replicas > replicasOf(rs) ? 'up' : 'down';
        this.recorder.event(d, DEPLOYMENT_KIND, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name ?? ''} from ${replicasOf(rs)} to ${replicas}`);
      }
      return updated;
    };
  }

  /** isScalingEvent: spec.replicas differs from what an active ReplicaSet was last sized for. */
  private async isScalingEvent(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    return filterActive([...oldRSs, newRS]).some((rs) => {
      const desired = desiredReplicasAnnotation(rs);
      return desired !== undefined && desired !== replicasOf(d);
    });
  }

  /** sync(): scaling only (a scaling event, or a paused deployment). */
  private async syncScale(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    await scaleDeployment(d, newRS, oldRSs, this.scaler(d));
    if (d.spec?.paused) await this.cleanup(d, oldRSs);
    await this.syncStatus([...oldRSs, newRS], newRS, d);
  }

  private async rolloutRolling(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, true);
    if (!newRS) return;
    const scale = this.scaler(d);
    if (await reconcileNewReplicaSet(d, [...oldRSs, newRS], newRS, scale)) return this.syncRolloutStatus([...oldRSs, newRS], newRS, d);
    if (await reconcileOldReplicaSets(d, [...oldRSs, newRS], oldRSs, newRS, scale)) return this.syncRolloutStatus([...oldRSs, newRS], newRS, d);
    const status = calculateStatus([...oldRSs, newRS], newRS, d);
    if (deploymentComplete(d, status)) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus([...oldRSs, newRS], newRS, d);
  }

  private async rolloutRecreate(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): Promise<void> {
    let { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    const scale = this.scaler(d);
    let scaledDown = false;
    for (let i = 0; i < oldRSs.length; i++) {
      const rs = oldRSs[i] as ReplicaSetObject;
      if (replicasOf(rs) === 0) continue;
      oldRSs[i] = await scale(rs, 0);
      scaledDown = true;
    }
    if (scaledDown || this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus([...oldRSs, newRS], newRS, d);
    if (!newRS) ({ newRS, oldRSs } = await this.allReplicaSets(d, rsList, true));
    if (newRS) newRS = await scale(newRS, replicasOf(d));
    if (deploymentComplete(d, calculateStatus([...oldRSs, newRS], newRS, d))) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus([...oldRSs, newRS], newRS, d);
  }

  /** Old ReplicaSets still have replicas, or pods that have not finished or gone. */
  private oldPodsRunning(newRS: ReplicaSetObject | undefined, oldRSs: readonly ReplicaSetObject[]): boolean {
    if (statusReplicas(oldRSs, 'replicas') > 0) return true;
    return oldRSs.some((rs) =>
      rs.metadata.uid !== newRS?.metadata.uid &&
      this.podsByOwner.get(rs.metadata.uid ?? '').some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'),
    );
  }

  /** cleanupDeployment: deletes the oldest empty ReplicaSets beyond revisionHistoryLimit. */
  private async cleanup(d: DeploymentObject, oldRSs: readonly ReplicaSetObject[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const surplus = alive.length - limit;
    if (surplus <= 0) return;
    const oldestFirst = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of oldestFirst.slice(0, surplus)) {
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.client.delete(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name ?? '');
      } catch (err) {
        if (!isStatusError(err, 'NotFound')) throw err;
      }
    }
  }

  /** checkPausedConditions: Progressing says DeploymentPaused or DeploymentResumed. */
  private async checkPausedConditions(d: DeploymentObject): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const pausedNow = getCondition(d.status, 'Progressing')?.reason === REASONS.paused;
    const status: Status = { ...d.status };
    if (d.spec?.paused && !pausedNow) setCondition(status, newCondition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused'));
    else if (!d.spec?.paused && pausedNow) setCondition(status, newCondition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed'));
    else return;
    await this.writeStatus(d, status);
  }

  /** syncDeploymentStatus: status only, no Progressing bookkeeping. */
  private async syncStatus(all: (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject | undefined, d: DeploymentObject): Promise<void> {
    const status = calculateStatus(all, newRS, d);
    if (!semanticEqual(d.status, status)) await this.writeStatus(d, status);
  }

  /** syncRolloutStatus: status with the Progressing condition; a stuck rollout is looked at again at its deadline. */
  private async syncRolloutStatus(all: (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject | undefined, d: DeploymentObject): Promise<void> {
    const now = Date.now();
    const status = calculateStatus(all, newRS, d);
    updateProgressing(d, status, newRS, now);
    if (semanticEqual(d.status, status)) {
      const after = stuckRecheckMs(d, status, now);
      if (after !== undefined) this.queue.addAfter(objectKey(d), after);
      return;
    }
    await this.writeStatus(d, status);
  }

  private async writeStatus(d: DeploymentObject, status: Status): Promise<void> {
    const updated = await this.client.update<DeploymentObject>(DEPLOYMENTS, { ...d, status }, 'status', FIELD_MANAGER);
    (d.metadata as ObjectMeta).resourceVersion = updated.metadata.resourceVersion;
    d.status = updated.status;
  }

  /**
   * The deployment's revision annotation. Kubernetes writes it with the status (its deployment
   * status strategy keeps annotations); kts's status writes change status only, so it is a
   * metadata patch of its own, conditional on the resourceVersion.
   */
  private async writeRevision(d: DeploymentObject): Promise<void> {
    const patch = { metadata: { resourceVersion: d.metadata.resourceVersion, annotations: { [REVISION]: d.metadata.annotations?.[REVISION] } } };
    const updated = await this.client.patch<DeploymentObject>(DEPLOYMENTS, d.metadata.namespace, d.metadata.name ?? '', patch, { fieldManager: FIELD_MANAGER });
    (d.metadata as ObjectMeta).resourceVersion = updated.metadata.resourceVersion;
  }
}
