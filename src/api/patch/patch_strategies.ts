/**
 * Patch metadata of the built-in kinds: a hand-written, schema-like tree of the Kubernetes API
 * types, carrying the facts of their Go tags — `patchStrategy`/`patchMergeKey` (strategic merge
 * patch) and `listType`/`listMapKeys`/`mapType`/`structType` (server-side apply).
 *
 * The tree is walked, never indexed by full path: a kind names its root struct (KINDS), a struct
 * names the type of each field (STRUCTS), lists and maps name their element type. So PodSpec's
 * metadata is written once and shared by Pod, Deployment, Job, CronJob and every other kind that
 * embeds a pod template. Fields a struct does not list are `any`: maps merge key by key, lists
 * are replaced whole (what Kubernetes does for a field without tags).
 *
 * Readers: strategic_merge.ts and the server-side apply code (through `resolveType`), and the
 * OpenAPI publisher, which walks KINDS/STRUCTS and emits `patchExtensions()` for each field.
 */

/** The type of a value: a named struct, a scalar, a list, a map, or `any` (untyped JSON). */
export type TypeRef = string | ListRef | MapRef | StructRef;

/** A list, with its strategic-merge and server-side-apply metadata. */
export interface ListRef {
  list: TypeRef;
  /** `merge` merges by patchMergeKey (or as a set, for scalars); absent means replace. */
  patchStrategy?: 'merge' | 'merge,retainKeys' | 'replace';
  patchMergeKey?: string;
  /** Server-side apply's view; derived from patchStrategy/patchMergeKey when absent. */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: readonly string[];
  /** Defaults of list-map keys (a port's protocol is TCP when omitted). */
  keyDefaults?: Readonly<Record<string, string | number>>;
}

/** A map from strings to values of one type (`map[string]string`, resource lists). */
export interface MapRef {
  map: TypeRef;
  /** `atomic`: owned and replaced as a whole by server-side apply (Service selector). */
  mapType?: 'atomic' | 'granular';
}

/** A named struct with a patch strategy of its own (`retainKeys` on DeploymentStrategy). */
export interface StructRef {
  struct: string;
  patchStrategy: 'retainKeys' | 'replace';
}

export interface StructDef {
  fields: Readonly<Record<string, TypeRef>>;
  /** `atomic`: replaced and owned as a whole (LabelSelector). */
  structType?: 'atomic';
}

/** Scalars (strings, numbers, booleans, quantities, times). */
export const SCALAR = 'scalar';
/** Untyped JSON: objects merge key by key, lists are atomic. */
export const ANY = 'any';

// Small builders keep the table below close to the Go tags it transcribes.
const list = (elem: TypeRef, extra: Omit<ListRef, 'list'> = {}): ListRef => ({ list: elem, ...extra });
/** `patchStrategy:"merge" patchMergeKey:key`, an associative list keyed by `keys` (default [key]). */
const mergeList = (elem: TypeRef, key: string, extra: Omit<ListRef, 'list' | 'patchMergeKey'> = {}): ListRef => ({
  list: elem,
  patchStrategy: 'merge',
  patchMergeKey: key,
  ...extra,
});
/** A list of scalars with `patchStrategy:"merge"`: a set (finalizers). */
const mergeSet = (): ListRef => ({ list: SCALAR, patchStrategy: 'merge', listType: 'set' });
const atomicList = (elem: TypeRef = ANY): ListRef => ({ list: elem, listType: 'atomic' });
const map = (values: TypeRef = SCALAR, mapType?: 'atomic'): MapRef => (mapType ? { map: values, mapType } : { map: values });
const conditions = (ssa: 'map' | 'atomic' = 'map'): ListRef =>
  mergeList(ANY, 'type', ssa === 'map' ? { listType: 'map', listMapKeys: ['type'] } : { listType: 'atomic' });

/** Every struct the table knows, by its Go type name. */
export const STRUCTS: Readonly<Record<string, StructDef>> = {
  // meta/v1
  ObjectMeta: {
    fields: {
      labels: map(),
      annotations: map(),
      finalizers: mergeSet(),
      ownerReferences: mergeList(ANY, 'uid', { listType: 'map', listMapKeys: ['uid'] }),
      managedFields: atomicList(),
    },
  },
  LabelSelector: { fields: { matchLabels: map(), matchExpressions: atomicList() }, structType: 'atomic' },

  // core/v1: pods and pod templates
  PodTemplateSpec: { fields: { metadata: 'ObjectMeta', spec: 'PodSpec' } },
  PodSpec: {
    fields: {
      volumes: mergeList('Volume', 'name', { patchStrategy: 'merge,retainKeys' }),
      initContainers: mergeList('Container', 'name'),
      containers: mergeList('Container', 'name'),
      ephemeralContainers: mergeList('Container', 'name'),
      imagePullSecrets: mergeList(ANY, 'name'),
      nodeSelector: map(SCALAR, 'atomic'),
      tolerations: atomicList(),
      hostAliases: mergeList(ANY, 'ip'),
      topologySpreadConstraints: mergeList(ANY, 'topologyKey', {
        listType: 'map',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      }),
      readinessGates: atomicList(),
      schedulingGates: mergeList(ANY, 'name'),
      resourceClaims: mergeList(ANY, 'name', { patchStrategy: 'merge,retainKeys' }),
      overhead: map(),
      securityContext: 'PodSecurityContext',
      affinity: ANY,
      dnsConfig: ANY,
      resources: 'ResourceRequirements',
    },
  },
  PodSecurityContext: { fields: { supplementalGroups: atomicList(SCALAR), sysctls: atomicList() } },
  Container: {
    fields: {
      command: atomicList(SCALAR),
      args: atomicList(SCALAR),
      ports: mergeList(ANY, 'containerPort', {
        listType: 'map',
        listMapKeys: ['containerPort', 'protocol'],
        keyDefaults: { protocol: 'TCP' },
      }),
      envFrom: atomicList(),
      env: mergeList('EnvVar', 'name'),
      resources: 'ResourceRequirements',
      resizePolicy: atomicList(),
      volumeMounts: mergeList(ANY, 'mountPath'),
      volumeDevices: mergeList(ANY, 'devicePath'),
      securityContext: 'SecurityContext',
    },
  },
  EnvVar: { fields: { valueFrom: ANY } },
  ResourceRequirements: {
    fields: { limits: map(), requests: map(), claims: list(ANY, { listType: 'map', listMapKeys: ['name'] }) },
  },
  SecurityContext: { fields: { capabilities: 'Capabilities' } },
  Capabilities: { fields: { add: atomicList(SCALAR), drop: atomicList(SCALAR) } },
  Volume: { fields: {} },
  PodStatus: {
    fields: {
      conditions: conditions(),
      podIPs: mergeList(ANY, 'ip'),
      hostIPs: mergeList(ANY, 'ip'),
      initContainerStatuses: atomicList(),
      containerStatuses: atomicList(),
      ephemeralContainerStatuses: atomicList(),
      resourceClaimStatuses: mergeList(ANY, 'name'),
    },
  },
  Pod: { fields: { metadata: 'ObjectMeta', spec: 'PodSpec', status: 'PodStatus' } },
  PodTemplate: { fields: { metadata: 'ObjectMeta', template: 'PodTemplateSpec' } },
  ReplicationController: {
    fields: {
      metadata: 'ObjectMeta',
      spec: 'ReplicationControllerSpec',
      status: 'ConditionedStatus',
    },
  },
  ReplicationControllerSpec: { fields: { selector: map(SCALAR, 'atomic'), template: 'PodTemplateSpec' } },

  // core/v1: services, endpoints, nodes, namespaces, volumes
  Service: { fields: { metadata: 'ObjectMeta', spec: 'ServiceSpec', status: 'ServiceStatus' } },
  ServiceSpec: {
    fields: {
      ports: mergeList(ANY, 'port', { listType: 'map', listMapKeys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } }),
      selector: map(SCALAR, 'atomic'),
      clusterIPs: atomicList(SCALAR),
      externalIPs: atomicList(SCALAR),
      loadBalancerSourceRanges: atomicList(SCALAR),
      ipFamilies: atomicList(SCALAR),
    },
  },
  ServiceStatus: { fields: { conditions: conditions(), loadBalancer: ANY } },
  Endpoints: { fields: { metadata: 'ObjectMeta', subsets: atomicList() } },
  Node: { fields: { metadata: 'ObjectMeta', spec: 'NodeSpec', status: 'NodeStatus' } },
  NodeSpec: { fields: { podCIDRs: mergeSet(), taints: atomicList() } },
  NodeStatus: {
    fields: {
      capacity: map(),
      allocatable: map(),
      conditions: conditions(),
      addresses: mergeList(ANY, 'type', { listType: 'atomic' }),
      images: atomicList(),
      volumesInUse: atomicList(SCALAR),
      volumesAttached: atomicList(),
    },
  },
  Namespace: { fields: { metadata: 'ObjectMeta', spec: 'NamespaceSpec', status: 'ConditionedStatus' } },
  NamespaceSpec: { fields: { finalizers: atomicList(SCALAR) } },
  PersistentVolumeClaim: {
    fields: { metadata: 'ObjectMeta', spec: 'PersistentVolumeClaimSpec', status: 'PersistentVolumeClaimStatus' },
  },
  PersistentVolumeClaimSpec: { fields: { accessModes: atomicList(SCALAR), selector: 'LabelSelector' } },
  PersistentVolumeClaimStatus: { fields: { accessModes: atomicList(SCALAR), capacity: map(), conditions: conditions() } },
  PersistentVolume: { fields: { metadata: 'ObjectMeta', spec: 'PersistentVolumeSpec' } },
  PersistentVolumeSpec: { fields: { accessModes: atomicList(SCALAR), mountOptions: atomicList(SCALAR), capacity: map() } },
  ConfigMap: { fields: { metadata: 'ObjectMeta', data: map(), binaryData: map() } },
  Secret: { fields: { metadata: 'ObjectMeta', data: map(), stringData: map() } },
  ServiceAccount: { fields: { metadata: 'ObjectMeta', secrets: mergeList(ANY, 'name'), imagePullSecrets: atomicList() } },

  // apps/v1
  Deployment: { fields: { metadata: 'ObjectMeta', spec: 'DeploymentSpec', status: 'ConditionedStatus' } },
  DeploymentSpec: {
    fields: {
      selector: 'LabelSelector',
      template: 'PodTemplateSpec',
      strategy: { struct: 'DeploymentStrategy', patchStrategy: 'retainKeys' },
    },
  },
  DeploymentStrategy: { fields: { rollingUpdate: ANY } },
  ReplicaSet: { fields: { metadata: 'ObjectMeta', spec: 'WorkloadSpec', status: 'ConditionedStatus' } },
  DaemonSet: { fields: { metadata: 'ObjectMeta', spec: 'WorkloadSpec', status: 'ConditionedStatus' } },
  StatefulSet: { fields: { metadata: 'ObjectMeta', spec: 'StatefulSetSpec', status: 'ConditionedStatus' } },
  StatefulSetSpec: {
    fields: { selector: 'LabelSelector', template: 'PodTemplateSpec', volumeClaimTemplates: atomicList() },
  },
  /** ReplicaSetSpec and DaemonSetSpec: a selector and a pod template. */
  WorkloadSpec: { fields: { selector: 'LabelSelector', template: 'PodTemplateSpec' } },
  ControllerRevision: { fields: { metadata: 'ObjectMeta' } },

  // batch/v1
  Job: { fields: { metadata: 'ObjectMeta', spec: 'JobSpec', status: 'JobStatus' } },
  JobSpec: { fields: { selector: 'LabelSelector', template: 'PodTemplateSpec' } },
  JobStatus: { fields: { conditions: conditions('atomic') } },
  CronJob: { fields: { metadata: 'ObjectMeta', spec: 'CronJobSpec', status: 'CronJobStatus' } },
  CronJobSpec: { fields: { jobTemplate: 'JobTemplateSpec' } },
  JobTemplateSpec: { fields: { metadata: 'ObjectMeta', spec: 'JobSpec' } },
  CronJobStatus: { fields: { active: atomicList() } },

  // rbac.authorization.k8s.io/v1: rules and subjects carry no patch strategy (replaced whole)
  Role: { fields: { metadata: 'ObjectMeta', rules: atomicList('PolicyRule') } },
  ClusterRole: { fields: { metadata: 'ObjectMeta', rules: atomicList('PolicyRule'), aggregationRule: ANY } },
  PolicyRule: {
    fields: {
      verbs: atomicList(SCALAR),
      apiGroups: atomicList(SCALAR),
      resources: atomicList(SCALAR),
      resourceNames: atomicList(SCALAR),
      nonResourceURLs: atomicList(SCALAR),
    },
  },
  RoleBinding: { fields: { metadata: 'ObjectMeta', subjects: atomicList(), roleRef: { struct: 'RoleRef', patchStrategy: 'replace' } } },
  RoleRef: { fields: {}, structType: 'atomic' },

  // Kinds whose status is only a list of conditions keyed by type (ReplicaSet, Deployment,
  // DaemonSet, StatefulSet, ReplicationController, Namespace, HPA, PodDisruptionBudget...).
  ConditionedStatus: { fields: { conditions: conditions() } },
  ConditionedObject: { fields: { metadata: 'ObjectMeta', status: 'ConditionedStatus' } },
  HorizontalPodAutoscaler: { fields: { metadata: 'ObjectMeta', spec: 'HorizontalPodAutoscalerSpec', status: 'ConditionedStatus' } },
  HorizontalPodAutoscalerSpec: { fields: { metrics: atomicList() } },
  PodDisruptionBudget: { fields: { metadata: 'ObjectMeta', spec: 'PodDisruptionBudgetSpec', status: 'ConditionedStatus' } },
  PodDisruptionBudgetSpec: { fields: { selector: 'LabelSelector' } },
  Ingress: { fields: { metadata: 'ObjectMeta', spec: 'IngressSpec' } },
  IngressSpec: { fields: { rules: atomicList(), tls: atomicList() } },
  NetworkPolicy: { fields: { metadata: 'ObjectMeta', spec: 'NetworkPolicySpec' } },
  NetworkPolicySpec: { fields: { podSelector: 'LabelSelector', ingress: atomicList(), egress: atomicList(), policyTypes: atomicList(SCALAR) } },
  /** Any other built-in object: ObjectMeta's strategies hold, the rest is untyped. */
  Object: { fields: { metadata: 'ObjectMeta' } },
};

/** The root struct of each built-in kind, keyed `group/Kind` ('' group for core: `/Pod`). */
export const KINDS: Readonly<Record<string, string>> = {
  '/Pod': 'Pod',
  '/PodTemplate': 'PodTemplate',
  '/ReplicationController': 'ReplicationController',
  '/Service': 'Service',
  '/Endpoints': 'Endpoints',
  '/Node': 'Node',
  '/Namespace': 'Namespace',
  '/PersistentVolumeClaim': 'PersistentVolumeClaim',
  '/PersistentVolume': 'PersistentVolume',
  '/ConfigMap': 'ConfigMap',
  '/Secret': 'Secret',
  '/ServiceAccount': 'ServiceAccount',
  'apps/Deployment': 'Deployment',
  'apps/ReplicaSet': 'ReplicaSet',
  'apps/DaemonSet': 'DaemonSet',
  'apps/StatefulSet': 'StatefulSet',
  'apps/ControllerRevision': 'ControllerRevision',
  'batch/Job': 'Job',
  'batch/CronJob': 'CronJob',
  'rbac.authorization.k8s.io/Role': 'Role',
  'rbac.authorization.k8s.io/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding': 'RoleBinding',
  'autoscaling/HorizontalPodAutoscaler': 'HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget': 'PodDisruptionBudget',
  'networking.k8s.io/Ingress': 'Ingress',
  'networking.k8s.io/NetworkPolicy': 'NetworkPolicy',
  'apiregistration.k8s.io/APIService': 'ConditionedObject',
  'certificates.k8s.io/CertificateSigningRequest': 'ConditionedObject',
};

/**
 * API groups served by kube-apiserver itself. Their kinds are Go types, so strategic merge patch
 * works on them even where this table has no row (fields then merge untyped); any other group
 * is a custom resource, for which strategic merge patch is refused.
 */
export const BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/** True when (group, kind) is a built-in kind: strategic merge patch applies to it. */
export function isBuiltinKind(group: string, kind: string): boolean {
  return `${group}/${kind}` in KINDS || BUILTIN_GROUPS.has(group);
}

/** The root type of an object of this kind: its struct, `Object` for other built-ins, `any` otherwise. */
export function rootType(group: string, kind: string): TypeRef {
  return KINDS[`${group}/${kind}`] ?? (BUILTIN_GROUPS.has(group) ? 'Object' : ANY);
}

/** A TypeRef with names looked up: what code that walks values switches on. */
export type ResolvedType =
  | { kind: 'scalar' }
  | { kind: 'any' }
  | { kind: 'struct'; name: string; def: StructDef; patchStrategy?: 'retainKeys' | 'replace' }
  | { kind: 'map'; ref: MapRef }
  | { kind: 'list'; ref: ListRef };

const RESOLVED_SCALAR: ResolvedType = { kind: 'scalar' };
const RESOLVED_ANY: ResolvedType = { kind: 'any' };

export function resolveType(ref: TypeRef): ResolvedType {
  if (typeof ref === 'string') {
    if (ref === SCALAR) return RESOLVED_SCALAR;
    if (ref === ANY) return RESOLVED_ANY;
    const def = STRUCTS[ref];
    return def ? { kind: 'struct', name: ref, def } : RESOLVED_ANY;
  }
  if ('list' in ref) return { kind: 'list', ref };
  if ('map' in ref) return { kind: 'map', ref };
  const def = STRUCTS[ref.struct];
  return def ? { kind: 'struct', name: ref.struct, def, patchStrategy: ref.patchStrategy } : RESOLVED_ANY;
}

/** The type of field/key `name` inside a value of type `parent` (`any` when unknown). */
export function childType(parent: ResolvedType, name: string): ResolvedType {
  switch (parent.kind) {
    case 'struct': {
      const ref = parent.def.fields[name];
      return ref === undefined ? RESOLVED_ANY : resolveType(ref);
    }
    case 'map':
      return resolveType(parent.ref.map);
    default:
      return RESOLVED_ANY;
  }
}

/** The element type of a list type (`any` for untyped lists). */
export function elementType(parent: ResolvedType): ResolvedType {
  return parent.kind === 'list' ? resolveType(parent.ref.list) : RESOLVED_ANY;
}

/** Strategic merge patch's view of a field: its strategy (merge/replace/none) and merge key. */
export interface PatchMeta {
  strategy: 'merge' | 'replace' | '';
  mergeKey: string;
  retainKeys: boolean;
}

export function patchMeta(type: ResolvedType): PatchMeta {
  if (type.kind === 'list') {
    const s = type.ref.patchStrategy ?? '';
    return {
      strategy: s.startsWith('merge') ? 'merge' : s === 'replace' ? 'replace' : '',
      mergeKey: type.ref.patchMergeKey ?? '',
      retainKeys: s.includes('retainKeys'),
    };
  }
  if (type.kind === 'struct' && type.patchStrategy) {
    return { strategy: type.patchStrategy === 'replace' ? 'replace' : '', mergeKey: '', retainKeys: type.patchStrategy === 'retainKeys' };
  }
  return { strategy: '', mergeKey: '', retainKeys: false };
}

/** Server-side apply's view of a list: atomic, a set of scalars, or a map keyed by some fields. */
export function listSemantics(ref: ListRef): { listType: 'atomic' | 'set' | 'map'; keys: readonly string[] } {
  if (ref.listType === 'map') return { listType: 'map', keys: ref.listMapKeys ?? (ref.patchMergeKey ? [ref.patchMergeKey] : []) };
  if (ref.listType) return { listType: ref.listType, keys: [] };
  if (ref.patchStrategy?.startsWith('merge')) {
    return ref.patchMergeKey ? { listType: 'map', keys: [ref.patchMergeKey] } : { listType: 'set', keys: [] };
  }
  return { listType: 'atomic', keys: [] };
}

/**
 * The OpenAPI vendor extensions of a field of type `ref`, as kube-apiserver publishes them
 * (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`,
 * `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`); empty for plain fields.
 */
export function patchExtensions(ref: TypeRef): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (typeof ref === 'string') {
    if (STRUCTS[ref]?.structType === 'atomic') out['x-kubernetes-map-type'] = 'atomic';
    return out;
  }
  if ('list' in ref) {
    if (ref.patchStrategy) out['x-kubernetes-patch-strategy'] = ref.patchStrategy;
    if (ref.patchMergeKey) out['x-kubernetes-patch-merge-key'] = ref.patchMergeKey;
    const { listType, keys } = listSemantics(ref);
    out['x-kubernetes-list-type'] = listType;
    if (listType === 'map') out['x-kubernetes-list-map-keys'] = [...keys];
  } else if ('map' in ref) {
    if (ref.mapType) out['x-kubernetes-map-type'] = ref.mapType;
  } else {
    out['x-kubernetes-patch-strategy'] = ref.patchStrategy;
    if (STRUCTS[ref.struct]?.structType === 'atomic') out['x-kubernetes-map-type'] = 'atomic';
  }
  return out;
}
