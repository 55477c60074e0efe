/**
 * The ReplicaSet and Deployment controllers against the real `kts server`, with a fake kubelet
 * (test/support/fake_kubelet.ts) that binds pods and reports them Ready through the API:
 * scaling, replacement of a deleted pod, adoption and release by labels, a rolling update that
 * never drops below the desired available replicas, and kubectl's rollout verbs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import { ApiClient, type ResourceRef } from '../../src/client/api_client.js';
import { clientConfigFromKubeconfig } from '../../src/client/kubeconfig.js';
import { useKtsServer } from '../support/e2e.js';
import { startFakeKubelet, type FakeKubelet } from '../support/fake_kubelet.js';

type PodObject = Pod & KubeObject;
type ReplicaSetObject = ReplicaSet & KubeObject;
type DeploymentObject = Deployment & KubeObject;

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const REPLICATION_CONTROLLERS: ResourceRef = { group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const REPLICA_SETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const NS = 'workloads';

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isReady(pod: PodObject): boolean {
  return !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function replicaSet(name: string, replicas: number, labels: Record<string, string>): ReplicaSetObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.local/busybox:1' }] } },
    },
  };
}

describe('ReplicaSet and Deployment controllers', () => {
  const cluster = useKtsServer();
  let client: ApiClient;
  let kubelet: FakeKubelet;

  before(async () => {
    client = new ApiClient(clientConfigFromKubeconfig(cluster.server.kubeconfig));
    await client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    kubelet = await startFakeKubelet({ client, namespace: NS });
  });
  after(async () => {
    await kubelet.stop();
    client.close();
  });

  const podsOf = async (selector: string): Promise<PodObject[]> =>
    (await client.list<PodObject>(PODS, NS, { labelSelector: selector })).items.filter((p) => !p.metadata.deletionTimestamp);

  test('a ReplicaSet creates, replaces and scales its pods, never creating twice', async () => {
    const created = new Set<string>();
    const stop = new AbortController();
    const watching = (async () => {
      for await (const event of client.watch<PodObject>(PODS, NS, { labelSelector: 'app=rs1' }, stop.signal)) {
        if (event.type === 'ADDED') created.add(event.object.metadata.name ?? '');
      }
    })();
    try {
      const rs = await client.create<ReplicaSetObject>(REPLICA_SETS, NS, replicaSet('rs1', 3, { app: 'rs1' }));
      await eventually(async () => (await podsOf('app=rs1')).filter(isReady).length === 3, '3 ready pods');
      const pods = await podsOf('app=rs1');
      for (const pod of pods) {
        assert.match(pod.metadata.name ?? '', /^rs1-[a-z0-9]{5}$/);
        assert.deepEqual(pod.metadata.ownerReferences, [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
        ]);
      }
      await eventually(async () => {
        const s = (await client.get<ReplicaSetObject>(REPLICA_SETS, NS, 'rs1')).status;
        return s?.replicas === 3 && s.readyReplicas === 3 && s.availableReplicas === 3 && s.fullyLabeledReplicas === 3 && s.observedGeneration === 1;
      }, 'the ReplicaSet status');

      await client.delete(PODS, NS, pods[0]?.metadata.name ?? '');
      await eventually(async () => {
        const now = await podsOf('app=rs1');
        return now.length === 3 && !now.some((p) => p.metadata.name === pods[0]?.metadata.name);
      }, 'a replacement pod');

      await cluster.ok(['-n', NS, 'scale', 'rs/rs1', '--replicas=5']);
      await eventually(async () => (await podsOf('app=rs1')).filter(isReady).length === 5, '5 ready pods');
      await cluster.ok(['-n', NS, 'scale', 'rs/rs1', '--replicas=1']);
      await eventually(async () => (await client.list(PODS, NS, { labelSelector: 'app=rs1' })).items.length === 1, 'one pod left');
      await eventually(async () => (await client.get<ReplicaSetObject>(REPLICA_SETS, NS, 'rs1')).status?.replicas === 1, 'status.replicas 1');
      // 3 at first, 1 replacement, 2 more when scaled to 5: a lagging cache never made extra pods.
      assert.equal(created.size, 6);
    } finally {
      stop.abort();
      await watching;
    }
  });

  test('orphans matching the selector are adopted; pods whose labels stop matching are released', async () => {
    for (const name of ['orphan-a', 'orphan-b']) {
      await client.create(PODS, NS, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'adopt' } },
        spec: { containers: [{ name: 'app', image: 'registry.local/busybox:1' }] },
      });
    }
    const rs = await client.create<ReplicaSetObject>(REPLICA_SETS, NS, replicaSet('adopter', 3, { app: 'adopt' }));
    await eventually(async () => (await podsOf('app=adopt')).length === 3, '3 pods');
    await eventually(async () => {
      const pods = await podsOf('app=adopt');
      return pods.every((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
    }, 'every pod owned');
    const names = (await podsOf('app=adopt')).map((p) => p.metadata.name).sort();
    assert.ok(names.includes('orphan-a') && names.includes('orphan-b'), `the orphans were adopted: ${names.join(', ')}`);

    await client.patch(PODS, NS, 'orphan-a', { metadata: { labels: { app: 'elsewhere' } } });
    await eventually(async () => {
      const released = await client.get<PodObject>(PODS, NS, 'orphan-a');
      return (released.metadata.ownerReferences ?? []).length === 0;
    }, 'the relabelled pod released');
    await eventually(async () => (await podsOf('app=adopt')).length === 3, 'a pod to take its place');
  });

  test('a ReplicationController is served by the same controller', async () => {
    const rc = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc1' },
      spec: {
        replicas: 2,
        selector: { app: 'rc1' },
        template: { metadata: { labels: { app: 'rc1' } }, spec: { containers: [{ name: 'app', image: 'registry.local/busybox:1' }] } },
      },
    };
    await client.create(REPLICATION_CONTROLLERS, NS, rc);
    await eventually(async () => (await podsOf('app=rc1')).filter(isReady).length === 2, '2 ready pods');
    const pods = await podsOf('app=rc1');
    assert.ok(pods.every((p) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicationController'));
    await eventually(async () => {
      const status = (await client.get<KubeObject>(REPLICATION_CONTROLLERS, NS, 'rc1')).status as { readyReplicas?: number } | undefined;
      return status?.readyReplicas === 2;
    }, 'the ReplicationController status');
  });

  test('a rolling update with maxSurge=1, maxUnavailable=0 keeps every replica available', async () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'registry.local/web:1' }] } },
      },
    };
    await cluster.ok(['apply', '-f', '-'], JSON.stringify(manifest));
    await cluster.ok(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    let d = await client.get<DeploymentObject>(DEPLOYMENTS, NS, 'web');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status?.availableReplicas, 3);

    // Watch pods (from a list, so the start is whole) and the deployment; check the floor on every event.
    const stop = new AbortController();
    const initial = await client.list<PodObject>(PODS, NS, { labelSelector: 'app=web' });
    const ready = new Map<string, boolean>(initial.items.map((p) => [p.metadata.name ?? '', isReady(p)]));
    const violations: string[] = [];
    const watchPods = (async () => {
      const query = { labelSelector: 'app=web', resourceVersion: initial.metadata.resourceVersion };
      for await (const event of client.watch<PodObject>(PODS, NS, query, stop.signal)) {
        ready.set(event.object.metadata.name ?? '', event.type !== 'DELETED' && isReady(event.object));
        const count = [...ready.values()].filter(Boolean).length;
        if (count < 3) violations.push(`${count} ready pods after ${event.type} ${event.object.metadata.name ?? ''}`);
      }
    })();
    const watchDeployment = (async () => {
      const query = { fieldSelector: 'metadata.name=web' };
      for await (const event of client.watch<DeploymentObject>(DEPLOYMENTS, NS, query, stop.signal)) {
        const available = event.object.status?.availableReplicas ?? 0;
        if (available < 3) violations.push(`deployment status availableReplicas ${available}`);
      }
    })();
    try {
      assert.equal([...ready.values()].filter(Boolean).length, 3);
      await cluster.ok(['-n', NS, 'set', 'image', 'deployment/web', 'app=registry.local/web:2']);
      const out = await cluster.ok(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=90s']);
      assert.match(out, /successfully rolled out/);
    } finally {
      stop.abort();
      await Promise.all([watchPods, watchDeployment]);
    }
    assert.deepEqual(violations, []);

    d = await client.get<DeploymentObject>(DEPLOYMENTS, NS, 'web');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.deepEqual(
      { replicas: d.status?.replicas, updated: d.status?.updatedReplicas, ready: d.status?.readyReplicas, available: d.status?.availableReplicas },
      { replicas: 3, updated: 3, ready: 3, available: 3 },
    );
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.reason, 'NewReplicaSetAvailable');
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');
    const rss = (await client.list<ReplicaSetObject>(REPLICA_SETS, NS, { labelSelector: 'app=web' })).items;
    assert.equal(rss.length, 2);
    for (const rs of rss) {
      const hash = rs.spec?.template?.metadata?.labels?.['pod-template-hash'];
      assert.ok(hash);
      assert.equal(rs.metadata.name, `web-${hash}`);
      assert.equal(rs.spec?.selector.matchLabels?.['pod-template-hash'], hash);
      assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
      assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    }
    const byRevision: Record<string, number | undefined> = Object.fromEntries(rss.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '', rs.spec?.replicas]));
    assert.deepEqual(byRevision, { '1': 0, '2': 3 });
    const described = await cluster.ok(['-n', NS, 'describe', 'deployment/web']);
    assert.match(described, /ScalingReplicaSet\s.*Scaled up replica set web-\w+ from 0 to 1/);
    assert.match(described, /ScalingReplicaSet\s.*Scaled down replica set web-\w+ from 1 to 0/);
    const history = await cluster.ok(['-n', NS, 'rollout', 'history', 'deployment/web']);
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);
  });

  test('kubectl rollout undo --to-revision=1 brings the first template back as revision 3', async () => {
    await cluster.ok(['-n', NS, 'rollout', 'undo', 'deployment/web', '--to-revision=1']);
    await cluster.ok(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=90s']);
    const d = await client.get<DeploymentObject>(DEPLOYMENTS, NS, 'web');
    assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.local/web:1');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    const rss = (await client.list<ReplicaSetObject>(REPLICA_SETS, NS, { labelSelector: 'app=web' })).items;
    assert.equal(rss.length, 2, 'the old ReplicaSet is reused, not a third one made');
    const current = rss.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3');
    assert.equal(current?.spec?.replicas, 3);
    assert.equal(current?.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    const history = await cluster.ok(['-n', NS, 'rollout', 'history', 'deployment/web']);
    assert.doesNotMatch(history, /^1\s/m);
    assert.match(history, /^3\s/m);
  });

  test('kubectl scale, rollout pause, resume and restart', async () => {
    await cluster.ok(['-n', NS, 'scale', 'deployment/web', '--replicas=5']);
    await cluster.ok(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    assert.equal((await podsOf('app=web')).length, 5);
    await cluster.ok(['-n', NS, 'rollout', 'pause', 'deployment/web']);
    await cluster.ok(['-n', NS, 'set', 'image', 'deployment/web', 'app=registry.local/web:3']);
    await eventually(async () => {
      const d = await client.get<DeploymentObject>(DEPLOYMENTS, NS, 'web');
      return d.status?.observedGeneration === d.metadata.generation && d.status?.conditions?.some((c) => c.reason === 'DeploymentPaused') === true;
    }, 'the pause observed');
    assert.equal((await client.list(REPLICA_SETS, NS, { labelSelector: 'app=web' })).items.length, 2, 'no rollout while paused');
    await cluster.ok(['-n', NS, 'rollout', 'resume', 'deployment/web']);
    await cluster.ok(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=90s']);
    await cluster.ok(['-n', NS, 'rollout', 'restart', 'deployment/web']);
    await cluster.ok(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=90s']);
    const d = await client.get<DeploymentObject>(DEPLOYMENTS, NS, 'web');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '5');
    const pods = await podsOf('app=web');
    assert.equal(pods.length, 5);
    assert.ok(pods.every((p) => p.spec?.containers[0]?.image === 'registry.local/web:3'));
  });

  test('a Recreate deployment replaces every pod at once', async () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'batch', namespace: NS },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'batch' } },
        strategy: { type: 'Recreate' },
        template: { metadata: { labels: { app: 'batch' } }, spec: { containers: [{ name: 'app', image: 'registry.local/batch:1' }] } },
      },
    };
    await cluster.ok(['apply', '-f', '-'], JSON.stringify(manifest));
    await cluster.ok(['-n', NS, 'rollout', 'status', 'deployment/batch', '--timeout=60s']);
    await cluster.ok(['-n', NS, 'set', 'image', 'deployment/batch', 'app=registry.local/batch:2']);
    await cluster.ok(['-n', NS, 'rollout', 'status', 'deployment/batch', '--timeout=60s']);
    const pods = await podsOf('app=batch');
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => p.spec?.containers[0]?.image === 'registry.local/batch:2'));
  });

  test('a rollout that makes no progress fails with ProgressDeadlineExceeded', async () => {
    // No fake kubelet serves the default namespace: these pods never become ready.
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'stuck', namespace: 'default' },
      spec: {
        replicas: 1,
        progressDeadlineSeconds: 2,
        selector: { matchLabels: { app: 'stuck' } },
        template: { metadata: { labels: { app: 'stuck' } }, spec: { containers: [{ name: 'app', image: 'registry.local/stuck:1' }] } },
      },
    };
    await cluster.ok(['apply', '-f', '-'], JSON.stringify(manifest));
    const stderr = await cluster.fails(['-n', 'default', 'rollout', 'status', 'deployment/stuck', '--timeout=60s']);
    assert.match(stderr, /deployment "stuck" exceeded its progress deadline/);
    const d = await client.get<DeploymentObject>(DEPLOYMENTS, 'default', 'stuck');
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.status, 'False');
    assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
    assert.match(progressing?.message ?? '', /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
    const available = d.status?.conditions?.find((c) => c.type === 'Available');
    assert.deepEqual([available?.status, available?.reason], ['False', 'MinimumReplicasUnavailable']);
  });
});
