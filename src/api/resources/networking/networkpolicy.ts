/**
 * networking.k8s.io/v1 NetworkPolicy: which traffic may reach or leave selected pods.
 * Defaults (SetDefaults_NetworkPolicy: policy types, TCP ports), ValidateNetworkPolicySpec's
 * essentials, and printNetworkPolicy's table.
 */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from 'kubernetes-types/networking/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { formatLabelSelector, validateLabelSelector } from '../../labels.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { invalidEach, invalidValue, notSupported, required, tooMany } from '../../validation/field.js';
import { isValidPortName, isValidPortNum } from '../../validation/identifiers.js';
import { ageColumn } from '../columns.js';

type NetworkPolicyObject = NetworkPolicy & KubeObject;

const SPEC = FieldPath.root('spec');
const POLICY_TYPES = ['Egress', 'Ingress'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort. */
export function defaultNetworkPolicy(np: NetworkPolicy): void {
  const spec = ((np as NetworkPolicyObject).spec ??= { podSelector: {} });
  spec.podSelector ??= {};
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) for (const port of rule.ports ?? []) port.protocol ??= 'TCP';
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

function validatePort(port: NetworkPolicyPort, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) errs.push(notSupported(path.child('protocol'), port.protocol, PROTOCOLS));
  const p = port.port;
  if (typeof p === 'number') errs.push(...invalidEach(path.child('port'), p, isValidPortNum(p)));
  else if (typeof p === 'string') errs.push(...invalidEach(path.child('port'), p, isValidPortName(p)));
  if (port.endPort !== undefined) {
    if (typeof p !== 'number') errs.push(required(path.child('port'), 'must be specified when endPort is specified'));
    else if (port.endPort < p) errs.push(invalidValue(path.child('endPort'), port.endPort, 'must be greater than or equal to `port`'));
  }
  return errs;
}

function validatePeer(peer: NetworkPolicyPeer, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const selectors = (peer.podSelector ? 1 : 0) + (peer.namespaceSelector ? 1 : 0);
  if (peer.ipBlock && selectors > 0) errs.push({ type: 'Forbidden', field: path.toString(), detail: 'may not specify both ipBlock and another peer' });
  if (!peer.ipBlock && selectors === 0) errs.push(required(path, 'must specify a peer'));
  if (peer.podSelector) errs.push(...validateLabelSelector(peer.podSelector, path.child('podSelector')));
  if (peer.namespaceSelector) errs.push(...validateLabelSelector(peer.namespaceSelector, path.child('namespaceSelector')));
  if (peer.ipBlock && !peer.ipBlock.cidr) errs.push(required(path.child('ipBlock', 'cidr')));
  return errs;
}

/** ValidateNetworkPolicySpec's essentials. */
export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const spec: NetworkPolicySpec = np.spec ?? { podSelector: {} };
  const errs = validateLabelSelector(spec.podSelector, SPEC.child('podSelector'));
  (spec.ingress ?? []).forEach((rule, i) => {
    const rp = SPEC.child('ingress').index(i);
    (rule.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, rp.child('ports').index(j))));
    (rule.from ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, rp.child('from').index(j))));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const rp = SPEC.child('egress').index(i);
    (rule.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, rp.child('ports').index(j))));
    (rule.to ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, rp.child('to').index(j))));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) errs.push(tooMany(SPEC.child('policyTypes'), types.length, POLICY_TYPES.length));
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(SPEC.child('policyTypes').index(i), t, POLICY_TYPES));
  });
  return errs;
}

export const networkPolicies: ResourceType<NetworkPolicyObject> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  resource: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  tracksGeneration: true,
  strategy: { defaults: defaultNetworkPolicy, validate: validateNetworkPolicy },
  table: [
    {
      name: 'Pod-Selector',
      type: 'string',
      description: "Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.",
      cell: (np) => formatLabelSelector(np.spec?.podSelector ?? {}),
    },
    ageColumn,
  ],
};
