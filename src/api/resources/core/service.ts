/**
 * core/v1 Service: a stable virtual IP and ports in front of pods. Defaults and validation are
 * Kubernetes'; allocating cluster IPs and node ports is the API server's job (it runs after
 * defaults and before validation). On update, allocated values the client left out are kept,
 * as the service REST storage does, so `kubectl replace` of a manifest without clusterIP works.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { formatLabels } from '../../labels.js';
import { nameIsDNS1035Label } from '../../validation/dns.js';
import { ipFamilyOf } from '../../validation/identifiers.js';
import { ageColumn } from '../columns.js';
import { setStatus } from '../status.js';
import { validateServiceSpec, validateServiceSpecUpdate } from './service_validation.js';

export type ServiceObject = Service & KubeObject;

const needsClusterIP = (svc: Service): boolean => svc.spec?.type !== 'ExternalName';
const needsNodePorts = (svc: Service): boolean => svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';

/** SetDefaults_Service. */
export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  for (const port of spec.ports ?? []) {
    port.protocol ??= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (needsNodePorts(svc)) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (needsClusterIP(svc)) {
    spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
    spec.ipFamilyPolicy ??= 'SingleStack';
    if (!spec.ipFamilies?.length) {
      const family = spec.clusterIP && spec.clusterIP !== 'None' ? ipFamilyOf(spec.clusterIP) : undefined;
      spec.ipFamilies = [family ?? 'IPv4'];
    }
  }
}

/** patchAllocatedValues: cluster IPs and node ports the update left out stay as they were. */
function keepAllocatedValues(svc: Service, old: Service): void {
  const spec = svc.spec;
  const prev = old.spec;
  if (!spec || !prev) return;
  if (needsClusterIP(svc) && needsClusterIP(old)) {
    if (!spec.clusterIP && prev.clusterIP) spec.clusterIP = prev.clusterIP;
    if (!spec.clusterIPs?.length && prev.clusterIPs?.length) spec.clusterIPs = [...prev.clusterIPs];
  }
  if (needsNodePorts(svc) && needsNodePorts(old)) {
    for (const port of spec.ports ?? []) {
      if (port.nodePort) continue;
      const match =
        (prev.ports ?? []).find((p) => p.name === port.name && p.port === port.port && p.protocol === port.protocol) ??
        (prev.ports ?? []).find((p) => p.port === port.port && p.protocol === port.protocol);
      if (match?.nodePort) port.nodePort = match.nodePort;
    }
  }
  if (spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort && prev.healthCheckNodePort) {
    spec.healthCheckNodePort = prev.healthCheckNodePort;
  }
}

/** EXTERNAL-IP, as printService's getServiceExternalIP shows it. */
export function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = [
        ...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((s) => s !== '')),
      ].sort();
      const all = [...ingress, ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** PORT(S): `80/TCP`, `80:30080/TCP`, comma-separated; `<none>` without ports. */
export function servicePorts(svc: Service): string {
  const ports = (svc.spec?.ports ?? []).map((p) =>
    p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`,
  );
  return ports.length > 0 ? ports.join(',') : '<none>';
}

export const services: ResourceType<ServiceObject> = {
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: { status: true, others: ['proxy'] },
  validateName: nameIsDNS1035Label,
  strategy: {
    defaults: defaultService,
    prepareForCreate(svc) {
      setStatus(svc, { loadBalancer: {} });
    },
    prepareForUpdate(svc, old) {
      keepAllocatedValues(svc, old);
    },
    validate: validateServiceSpec,
    validateUpdate: validateServiceSpecUpdate,
  },
  table: [
    { name: 'Type', type: 'string', description: 'The type of the service.', cell: (svc) => svc.spec?.type ?? '' },
    {
      name: 'Cluster-IP',
      type: 'string',
      description: 'The cluster IP of the service.',
      cell: (svc) => svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP ?? '<none>',
    },
    { name: 'External-IP', type: 'string', description: 'The external IP of the service.', cell: serviceExternalIP },
    { name: 'Port(s)', type: 'string', description: 'The ports of the service.', cell: servicePorts },
    ageColumn,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      description: 'Route service traffic to pods with label keys and values matching this selector.',
      cell: (svc) => formatLabels(svc.spec?.selector),
    },
  ],
  fieldSelectors: {
    'spec.clusterIP': (svc) => svc.spec?.clusterIP,
    'spec.type': (svc) => svc.spec?.type,
  },
};
