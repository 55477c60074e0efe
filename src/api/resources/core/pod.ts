/**
 * core/v1 Pod: the unit of scheduling. Defaults and validation of the spec are shared with
 * pod templates (pod_spec_defaults.ts, pod_spec_validation.ts); the spec is nearly immutable
 * (pod_update.ts); the table is printPod's (pod_printer.ts).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FieldPath } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { ageColumn } from '../columns.js';
import { setStatus } from '../status.js';
import { podIP, readinessGates, summarizePod } from './pod_printer.js';
import { podQOSClass } from './pod_qos.js';
import { defaultPodSpec } from './pod_spec_defaults.js';
import { validatePodSpec } from './pod_spec_validation.js';
import { validatePodSpecUpdate } from './pod_update.js';

export type PodObject = Pod & KubeObject;

const SPEC = FieldPath.root('spec');

export const pods: ResourceType<PodObject> = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: {
    status: true,
    others: ['binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers', 'resize'],
  },
  strategy: {
    defaults(pod) {
      pod.spec ??= { containers: [] };
      defaultPodSpec(pod.spec, 'Pod', true);
      // The Priority admission plugin's result when no priorityClassName is given.
      pod.spec.priority ??= 0;
      pod.spec.preemptionPolicy ??= 'PreemptLowerPriority';
    },
    prepareForCreate(pod) {
      setStatus(pod, { phase: 'Pending', qosClass: podQOSClass(pod.spec) });
    },
    validate: (pod) => validatePodSpec(pod.spec, SPEC),
    validateUpdate: (pod, old) => validatePodSpecUpdate(pod.spec, old.spec),
    // A pod on a node stays, Terminating, until its kubelet has stopped it (or the grace period
    // ends); a pod with no node, or one that has finished, has nothing to wait for.
    gracePeriod(pod, requested) {
      if (!pod.spec?.nodeName) return 0;
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return 0;
      return Math.max(0, requested ?? pod.spec.terminationGracePeriodSeconds ?? 30);
    },
  },
  table: [
    {
      name: 'Ready',
      type: 'string',
      description: 'The aggregate readiness state of this pod for accepting traffic.',
      cell: (pod, now) => summarizePod(pod, now).ready,
    },
    {
      name: 'Status',
      type: 'string',
      description: 'The aggregate status of the containers in this pod.',
      cell: (pod, now) => summarizePod(pod, now).status,
    },
    {
      name: 'Restarts',
      type: 'string',
      description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      cell: (pod, now) => summarizePod(pod, now).restarts,
    },
    ageColumn,
    {
      name: 'IP',
      type: 'string',
      priority: 1,
      description: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      cell: (pod) => podIP(pod),
    },
    {
      name: 'Node',
      type: 'string',
      priority: 1,
      description: 'NodeName indicates in which node this pod is scheduled.',
      cell: (pod) => pod.spec?.nodeName || '<none>',
    },
    {
      name: 'Nominated Node',
      type: 'string',
      priority: 1,
      description: 'nominatedNodeName is set only when this pod preempts other pods on the node.',
      cell: (pod) => pod.status?.nominatedNodeName || '<none>',
    },
    {
      name: 'Readiness Gates',
      type: 'string',
      priority: 1,
      description: 'If specified, all readiness gates will be evaluated for pod readiness.',
      cell: (pod) => readinessGates(pod),
    },
  ],
  fieldSelectors: {
    'spec.nodeName': (pod) => pod.spec?.nodeName,
    'spec.restartPolicy': (pod) => pod.spec?.restartPolicy,
    'spec.schedulerName': (pod) => pod.spec?.schedulerName,
    'spec.serviceAccountName': (pod) => pod.spec?.serviceAccountName,
    'spec.hostNetwork': (pod) => String(pod.spec?.hostNetwork ?? false),
    'status.phase': (pod) => pod.status?.phase,
    'status.podIP': (pod) => pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP,
    'status.nominatedNodeName': (pod) => pod.status?.nominatedNodeName,
  },
};
