/**
 * networking.k8s.io/v1 Ingress: HTTP routing into Services. ValidateIngress's essentials
 * (rules or a default backend, hosts, paths with their types, backends) and printIngress.
 */
import type { Ingress, IngressBackend } from 'kubernetes-types/networking/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../validation/dns.js';
import { invalidEach, invalidValue, notSupported, required } from '../../validation/field.js';
import { isValidIP, isValidPortName, isValidPortNum } from '../../validation/identifiers.js';
import { ageColumn } from '../columns.js';

type IngressObject = Ingress & KubeObject;

const SPEC = FieldPath.root('spec');
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
/** HOSTS shows this many hosts, then `+ N more...`. */
const SHOWN_HOSTS = 3;

function validateBackend(backend: IngressBackend, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (backend.service && backend.resource) return [invalidValue(path, backend, 'cannot set both resource and service backends')];
  if (!backend.service && !backend.resource) return [invalidValue(path, backend, 'one backend (service or resource) must be specified')];
  if (backend.resource) {
    if (!backend.resource.kind) errs.push(required(path.child('resource', 'kind')));
    if (!backend.resource.name) errs.push(required(path.child('resource', 'name')));
    return errs;
  }
  const service = backend.service;
  if (!service) return errs;
  const sp = path.child('service');
  if (!service.name) errs.push(required(sp.child('name')));
  else errs.push(...invalidEach(sp.child('name'), service.name, isDNS1035Label(service.name)));
  const port = service.port;
  const hasName = !!port?.name;
  const hasNumber = port?.number !== undefined && port.number !== 0;
  if (hasName && hasNumber) errs.push(invalidValue(sp.child('port'), port, 'cannot set both port name & port number'));
  else if (hasName) errs.push(...invalidEach(sp.child('port', 'name'), port?.name, isValidPortName(port?.name ?? '')));
  else if (hasNumber) errs.push(...invalidEach(sp.child('port', 'number'), port?.number, isValidPortNum(port?.number ?? 0)));
  else errs.push(required(sp.child('port'), 'port name or number is required'));
  return errs;
}

/** A rule's or a TLS entry's host: a DNS subdomain, or `*.` and one. */
function validateHost(host: string, path: FieldPath): FieldError[] {
  if (host.startsWith('*.')) {
    const rest = host.slice(2);
    return isDNS1123Subdomain(rest).length === 0 ? [] : [invalidValue(path, host, "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain")];
  }
  return invalidEach(path, host, isDNS1123Subdomain(host));
}

/** ValidateIngressSpec's essentials. */
export function validateIngress(ing: Ingress): FieldError[] {
  const spec = ing.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.defaultBackend && !spec.rules?.length) {
    errs.push(invalidValue(SPEC, spec, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, SPEC.child('defaultBackend')));
  if (spec.ingressClassName) errs.push(...invalidEach(SPEC.child('ingressClassName'), spec.ingressClassName, isDNS1123Subdomain(spec.ingressClassName)));
  (spec.rules ?? []).forEach((rule, i) => {
    const rp = SPEC.child('rules').index(i);
    if (rule.host && isValidIP(rule.host).length === 0) errs.push(invalidValue(rp.child('host'), rule.host, 'must be a DNS name, not an IP address'));
    else if (rule.host) errs.push(...validateHost(rule.host, rp.child('host')));
    if (!rule.http) return;
    const paths = rule.http.paths ?? [];
    if (paths.length === 0) errs.push(required(rp.child('http', 'paths')));
    paths.forEach((p, j) => {
      const pp = rp.child('http', 'paths').index(j);
      if (!p.pathType) errs.push(required(pp.child('pathType'), 'pathType must be specified'));
      else if (!PATH_TYPES.includes(p.pathType)) errs.push(notSupported(pp.child('pathType'), p.pathType, PATH_TYPES));
      else if (p.pathType !== 'ImplementationSpecific' && !(p.path ?? '').startsWith('/')) errs.push(invalidValue(pp.child('path'), p.path ?? '', 'must be an absolute path'));
      else if (p.pathType === 'ImplementationSpecific' && p.path && !p.path.startsWith('/')) errs.push(invalidValue(pp.child('path'), p.path, 'must be an absolute path'));
      errs.push(...validateBackend(p.backend, pp.child('backend')));
    });
  });
  (spec.tls ?? []).forEach((tls, i) => {
    (tls.hosts ?? []).forEach((h, j) => errs.push(...validateHost(h, SPEC.child('tls').index(i).child('hosts').index(j))));
    if (tls.secretName) errs.push(...invalidEach(SPEC.child('tls').index(i).child('secretName'), tls.secretName, isDNS1123Subdomain(tls.secretName)));
  });
  return errs;
}

/** HOSTS (formatHosts): the first hosts of the rules, `*` when none. */
export function ingressHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === SHOWN_HOSTS) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - SHOWN_HOSTS} more...` : hosts.join(',');
}

/** ADDRESS: the load balancer's IPs or host names, sorted and unique. */
export function ingressAddress(ing: Ingress): string {
  const addresses = new Set<string>();
  for (const lb of ing.status?.loadBalancer?.ingress ?? []) {
    if (lb.ip) addresses.add(lb.ip);
    else if (lb.hostname) addresses.add(lb.hostname);
  }
  return [...addresses].sort().join(',');
}

export const ingresses: ResourceType<IngressObject> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  resource: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  tracksGeneration: true,
  subresources: { status: true },
  strategy: {
    validate: validateIngress,
    validateStatusUpdate: (ing) =>
      (ing.status?.loadBalancer?.ingress ?? []).flatMap((lb, i) =>
        lb.ip && isValidIP(lb.ip).length > 0 ? [invalidValue(FieldPath.root('status').child('loadBalancer', 'ingress').index(i).child('ip'), lb.ip, 'must be a valid IP address')] : [],
      ),
  },
  table: [
    {
      name: 'Class',
      type: 'string',
      description: 'The name of the IngressClass resource that should be used for additional configuration',
      cell: (i) => i.spec?.ingressClassName ?? '<none>',
    },
    { name: 'Hosts', type: 'string', description: 'Hosts that incoming requests are matched against before the ingress rule', cell: ingressHosts },
    { name: 'Address', type: 'string', description: 'Address is a list containing ingress points for the load-balancer', cell: ingressAddress },
    { name: 'Ports', type: 'string', description: 'Ports of TLS configurations that open', cell: (i) => (i.spec?.tls?.length ? '80, 443' : '80') },
    ageColumn,
  ],
};
