/**
 * A stand-in kubelet for controller tests, playing its part only through the API as kwok does:
 * binds the pods of one namespace to a node through the binding subresource, then reports them
 * Running and Ready through the status subresource (after `readyAfterMs`), and finishes
 * graceful deletions (a deleted pod is removed with grace period 0, as a kubelet does once its
 * containers stopped). No containers run.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isStatusError } from '../../src/api/errors.js';
import { objectKey, type KubeObject } from '../../src/api/object.js';
import { rfc3339 } from '../../src/api/time.js';
import { resourcePath, type ApiClient, type ResourceRef } from '../../src/client/api_client.js';
import { Informer } from '../../src/client/informer.js';
import { WorkQueue } from '../../src/client/work_queue.js';

type PodObject = Pod & KubeObject;

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

export interface FakeKubeletOptions {
  client: ApiClient;
  namespace: string;
  nodeName?: string;
  /** How long after binding a pod becomes Ready (default 100 ms). */
  readyAfterMs?: number;
}

export interface FakeKubelet {
  stop(): Promise<void>;
}

export async function startFakeKubelet(options: FakeKubeletOptions): Promise<FakeKubelet> {
  const { client, namespace } = options;
  const nodeName = options.nodeName ?? 'fake-node';
  const readyAfterMs = options.readyAfterMs ?? 100;
  const stop = new AbortController();
  const informer = new Informer<PodObject>({ client, resource: PODS, namespace, retryMs: 100 });
  const queue = new WorkQueue({ baseDelayMs: 50, maxDelayMs: 1000 });
  const enqueue = (pod: PodObject): void => queue.add(objectKey(pod));
  informer.addEventHandler({ add: enqueue, update: (_old, pod) => enqueue(pod) });

  const sync = async (key: string): Promise<void> => {
    const pod = informer.get(key);
    if (!pod) return;
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp) {
      await ignoreNotFound(client.delete(PODS, namespace, name, { gracePeriodSeconds: 0 }));
      return;
    }
    if (!pod.spec?.nodeName) {
      const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
      await ignoreNotFound(client.request('POST', resourcePath(PODS, namespace, name, 'binding'), { body: binding }));
      return;
    }
    if (pod.status?.phase === 'Running') return;
    const boundAt = Date.parse(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime ?? '') || 0;
    const wait = boundAt + readyAfterMs - Date.now();
    if (wait > 0) {
      queue.addAfter(key, wait);
      return;
    }
    const now = rfc3339(Date.now());
    const condition = (type: string): { type: string; status: string; lastTransitionTime: string } => ({ type, status: 'True', lastTransitionTime: now });
    const status = {
      ...pod.status,
      phase: 'Running',
      hostIP: '10.0.0.1',
      podIP: '10.244.0.10',
      startTime: now,
      conditions: [condition('PodScheduled'), condition('Initialized'), condition('ContainersReady'), condition('Ready')],
      containerStatuses: (pod.spec.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
    };
    await ignoreNotFound(client.update(PODS, { ...pod, status }, 'status'));
  };

  const running = Promise.all([informer.run(stop.signal), queue.run(sync, stop.signal)]);
  await informer.waitForSync();
  return {
    stop: async () => {
      stop.abort();
      await running;
    },
  };
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
}
