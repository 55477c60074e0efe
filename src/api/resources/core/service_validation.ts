/**
 * Validation of a Service (ValidateService and ValidateServiceUpdate's essentials): the type
 * and its rules (ExternalName needs a name, NodePorts only where nodes expose them), ports
 * (names, numbers, protocols, target ports, duplicates), cluster IPs and their immutability,
 * session affinity and traffic policies.
 */
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/dns.js';
import { duplicate, forbidden, invalidEach, invalidValue, notSupported, required } from '../../validation/field.js';
import { isValidIP, isValidPortName, isValidPortNum } from '../../validation/identifiers.js';
import { validateLabels } from '../../validation/qualified_name.js';
import { validateEnum } from './pod_spec_validation.js';

const SPEC = FieldPath.root('spec');
export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

/** A headless service: clusterIP None. */
export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

function validatePort(port: ServicePort, i: number, many: boolean, names: Set<string>, type: string): FieldError[] {
  const p = SPEC.child('ports').index(i);
  const errs: FieldError[] = [];
  if (many || port.name) {
    if (!port.name) errs.push(required(p.child('name')));
    else {
      errs.push(...invalidEach(p.child('name'), port.name, isDNS1123Label(port.name)));
      if (names.has(port.name)) errs.push(duplicate(p.child('name'), port.name));
      names.add(port.name);
    }
  }
  errs.push(...invalidEach(p.child('port'), port.port, isValidPortNum(port.port)));
  errs.push(...validateEnum(port.protocol, PROTOCOLS, p.child('protocol')));
  const target = port.targetPort;
  if (typeof target === 'number') errs.push(...invalidEach(p.child('targetPort'), target, isValidPortNum(target)));
  else if (typeof target === 'string') errs.push(...invalidEach(p.child('targetPort'), target, isValidPortName(target)));
  if (port.nodePort) {
    if (type === 'ClusterIP' || type === 'ExternalName') {
      errs.push(forbidden(p.child('nodePort'), `may not be used when \`type\` is '${type}'`));
    } else {
      errs.push(...invalidEach(p.child('nodePort'), port.nodePort, isValidPortNum(port.nodePort)));
    }
  }
  return errs;
}

/** ValidateService's spec part. */
export function validateServiceSpec(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const type = spec.type ?? '';
  errs.push(...validateEnum(spec.type, SERVICE_TYPES, SPEC.child('type')));

  if (type === 'ExternalName') {
    if (!spec.externalName) errs.push(required(SPEC.child('externalName')));
    else errs.push(...invalidEach(SPEC.child('externalName'), spec.externalName, isDNS1123Subdomain(spec.externalName.replace(/\.$/, ''))));
    if (spec.clusterIP) errs.push(invalidValue(SPEC.child('clusterIP'), spec.clusterIP, 'must be empty for ExternalName services'));
  } else if (!spec.ports?.length && !isHeadless(svc)) {
    errs.push(required(SPEC.child('ports')));
  }

  const ports = spec.ports ?? [];
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    errs.push(...validatePort(port, i, ports.length > 1, names, type));
    const key = `${port.port}/${port.protocol ?? ''}`;
    if (seen.has(key)) errs.push(duplicate(SPEC.child('ports').index(i), { port: port.port, protocol: port.protocol }));
    seen.add(key);
  });

  const clusterIPs = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  if (spec.clusterIP && clusterIPs.length > 0 && clusterIPs[0] !== spec.clusterIP) {
    errs.push(invalidValue(SPEC.child('clusterIPs'), clusterIPs, 'first value must match `clusterIP`'));
  }
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None' && i === 0 && clusterIPs.length === 1) return;
    if (ip === 'None') errs.push(invalidValue(SPEC.child('clusterIPs').index(i), ip, 'must be empty when the first value is `None`'));
    else errs.push(...invalidEach(SPEC.child('clusterIPs').index(i), ip, isValidIP(ip)));
  });
  (spec.externalIPs ?? []).forEach((ip, i) => errs.push(...invalidEach(SPEC.child('externalIPs').index(i), ip, isValidIP(ip))));

  errs.push(...validateLabels(spec.selector, SPEC.child('selector')));
  if (spec.sessionAffinity !== undefined) errs.push(...validateEnum(spec.sessionAffinity, AFFINITIES, SPEC.child('sessionAffinity')));
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && timeout !== undefined && (timeout <= 0 || timeout > 86400)) {
    errs.push(invalidValue(SPEC.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds'), timeout, 'must be greater than 0 and less than 86400'));
  }
  if (spec.externalTrafficPolicy !== undefined) {
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(
        invalidValue(SPEC.child('externalTrafficPolicy'), spec.externalTrafficPolicy, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"),
      );
    } else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) {
      errs.push(notSupported(SPEC.child('externalTrafficPolicy'), spec.externalTrafficPolicy, TRAFFIC_POLICIES));
    }
  }
  if (spec.internalTrafficPolicy !== undefined && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported(SPEC.child('internalTrafficPolicy'), spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.ipFamilyPolicy !== undefined && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported(SPEC.child('ipFamilyPolicy'), spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  return errs;
}

/** Cluster IPs may not change once set (except to and from ExternalName). */
export function validateServiceSpecUpdate(svc: Service, old: Service): FieldError[] {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return [];
  if (isHeadless(svc) && isHeadless(old)) return [];
  const next = svc.spec?.clusterIPs ?? [];
  const prev = old.spec?.clusterIPs ?? [];
  const path = SPEC.child('clusterIPs').index(0);
  if (prev.length > 0 && next.length === 0) return [invalidValue(path, next, 'primary clusterIP can not be unset')];
  const common = Math.min(prev.length, next.length);
  for (let i = 0; i < common; i++) {
    if (prev[i] !== next[i]) return [invalidValue(path, next, 'may not change once set')];
  }
  return [];
}
