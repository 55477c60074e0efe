/**
 * An event recorder, as client-go's record.EventRecorder: controllers report what they did
 * (`ScalingReplicaSet`, `SuccessfulCreate`, ...) as core/v1 Events on the object concerned, which
 * `kubectl describe` and `kubectl events` show. Recording never blocks or fails the caller: the
 * write happens in the background and a failure is only logged. No aggregation of repeats yet.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.js';
import { rfc3339 } from '../api/time.js';
import type { ApiClient, ResourceRef } from './api_client.js';

const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };

export interface EventRecorderOptions {
  client: ApiClient;
  /** `deployment-controller`, `replicaset-controller`: the event's source and reporter. */
  component: string;
  logger?: Logger;
}

export class EventRecorder {
  private sequence = 0;

  constructor(private readonly options: EventRecorderOptions) {}

  /** Records an event about `obj` (whose apiVersion and kind are given: list items may lack them). */
  event(obj: KubeObject, kind: { apiVersion: string; kind: string }, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const now = Date.now();
    const namespace = obj.metadata.namespace ?? 'default';
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${obj.metadata.name ?? ''}.${(now * 1000 + (this.sequence++ % 1000)).toString(16)}`, namespace },
      involvedObject: {
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      type,
      reason,
      message,
      source: { component: this.options.component },
      reportingComponent: this.options.component,
      reportingInstance: this.options.component,
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      count: 1,
    };
    this.options.client.create(EVENTS, namespace, event).catch((err: unknown) => {
      this.options.logger?.debug({ err, reason, object: `${namespace}/${obj.metadata.name ?? ''}` }, 'could not record an event');
    });
  }
}
