/**
 * core/v1 Node: a machine that runs pods; cluster-scoped. Kubelets register and report
 * status; the table is printNode's (Ready/NotReady, SchedulingDisabled, roles from labels).
 */
import type { Node, NodeAddress } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { invalidValue, notSupported, required } from '../../validation/field.js';
import { validateLabelName } from '../../validation/qualified_name.js';
import { ageColumn } from '../columns.js';
import { canonicalizeResourceList, validateResourceList } from './resource_list.js';

type NodeObject = Node & KubeObject;

const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const ADDRESS_TYPES = ['ExternalDNS', 'ExternalIP', 'Hostname', 'InternalDNS', 'InternalIP'];
const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** SetDefaults_Node / SetDefaults_NodeStatus: allocatable defaults to capacity; quantities canonical. */
export function defaultNode(node: Node): void {
  const status = (node as NodeObject).status;
  if (!status) return;
  canonicalizeResourceList(status.capacity, 'Node');
  canonicalizeResourceList(status.allocatable, 'Node');
  if (status.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
}

/** ValidateNode's essentials: taints, CIDRs, addresses and resource quantities. */
export function validateNode(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  const spec = FieldPath.root('spec');
  (node.spec?.taints ?? []).forEach((t, i) => {
    const p = spec.child('taints').index(i);
    errs.push(...validateLabelName(t.key, p.child('key')));
    if (!t.effect) errs.push(required(p.child('effect')));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(p.child('effect'), t.effect, TAINT_EFFECTS));
  });
  const cidrs = node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : []);
  cidrs.forEach((cidr, i) => {
    if (!/^[0-9a-fA-F.:]+\/[0-9]{1,3}$/.test(cidr)) errs.push(invalidValue(spec.child('podCIDRs').index(i), cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  const status = FieldPath.root('status');
  (node.status?.addresses ?? []).forEach((a: NodeAddress, i) => {
    if (!ADDRESS_TYPES.includes(a.type)) errs.push(notSupported(status.child('addresses').index(i).child('type'), a.type, ADDRESS_TYPES));
  });
  errs.push(...validateResourceList(node.status?.capacity, status.child('capacity')));
  errs.push(...validateResourceList(node.status?.allocatable, status.child('allocatable')));
  return errs;
}

/** STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled for cordoned nodes. */
export function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** ROLES: from node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted; `<none>`. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

const orUnknown = (s: string | undefined): string => s || '<unknown>';

export const nodes: ResourceType<NodeObject> = {
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  subresources: { status: true, others: ['proxy'] },
  strategy: {
    defaults: defaultNode,
    validate: validateNode,
    validateStatusUpdate: (node) => validateNode(node),
  },
  table: [
    { name: 'Status', type: 'string', description: 'The status of the node', cell: nodeStatus },
    { name: 'Roles', type: 'string', description: 'The roles of the node', cell: nodeRoles },
    ageColumn,
    { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', cell: (n) => n.status?.nodeInfo?.kubeletVersion ?? '' },
    { name: 'Internal-IP', type: 'string', priority: 1, description: 'List of addresses reachable to the node. Queried from cloud provider, if available.', cell: (n) => address(n, 'InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, description: 'List of addresses reachable to the node. Queried from cloud provider, if available.', cell: (n) => address(n, 'ExternalIP') },
    { name: 'OS-Image', type: 'string', priority: 1, description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', cell: (n) => orUnknown(n.status?.nodeInfo?.osImage) },
    { name: 'Kernel-Version', type: 'string', priority: 1, description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", cell: (n) => orUnknown(n.status?.nodeInfo?.kernelVersion) },
    { name: 'Container-Runtime', type: 'string', priority: 1, description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', cell: (n) => orUnknown(n.status?.nodeInfo?.containerRuntimeVersion) },
  ],
  fieldSelectors: { 'spec.unschedulable': (n) => String(n.spec?.unschedulable ?? false) },
};
