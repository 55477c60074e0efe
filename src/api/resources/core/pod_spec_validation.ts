/**
 * Validation of a PodSpec (pods, pod templates, and templates inside workloads): the
 * essentials Kubernetes enforces, with its paths and messages. Containers must exist, be
 * uniquely named and have images; enums are checked; ports, environment names, volume names
 * and mounts, resource requests against limits, and the scheduling names are checked.
 */
import type { Container, PodSpec, Probe } from 'kubernetes-types/core/v1.js';
import type { FieldError, FieldPath } from '../../errors.js';
import { Quantity } from '../../quantity.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/dns.js';
import { duplicate, invalidEach, invalidValue, notSupported, required, validateNonnegativeField } from '../../validation/field.js';
import { isEnvVarName, isValidPortName, isValidPortNum } from '../../validation/identifiers.js';
import { inclusiveRangeError } from '../../validation/messages.js';
import { validateLabels } from '../../validation/qualified_name.js';
import { validateResourceList } from './resource_list.js';

export const RESTART_POLICIES = ['Always', 'Never', 'OnFailure'] as const;
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TERMINATION_MESSAGE_POLICIES = ['FallbackToLogsOnError', 'File'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const MAX_INT32 = 2147483647;

/** ValidateProtocol-style enum checks: Required when empty, else Unsupported. */
export function validateEnum(value: string | undefined, supported: readonly string[], path: FieldPath): FieldError[] {
  if (!value) return [required(path)];
  return supported.includes(value) ? [] : [notSupported(path, value, supported)];
}

function validateProbe(probe: Probe | undefined, path: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs: FieldError[] = [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => (probe as Record<string, unknown>)[h] !== undefined);
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  else if (handlers.length > 1) errs.push({ type: 'Forbidden', field: path.child(handlers[1]!).toString(), detail: 'may not specify more than 1 handler type' });
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...validateNonnegativeField(probe[f], path.child(f)));
  }
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (port !== undefined) {
    const portPath = path.child(probe.httpGet ? 'httpGet' : 'tcpSocket', 'port');
    if (typeof port === 'number') errs.push(...invalidEach(portPath, port, isValidPortNum(port)));
    else errs.push(...invalidEach(portPath, port, isValidPortName(port)));
  }
  return errs;
}

/** The requests of a container may not exceed its limits. */
function validateResources(c: Container, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const limits = (c.resources?.limits ?? {}) as Record<string, string>;
  const requests = (c.resources?.requests ?? {}) as Record<string, string>;
  errs.push(...validateResourceList(limits, path.child('limits')));
  errs.push(...validateResourceList(requests, path.child('requests')));
  for (const [name, value] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined) continue;
    const req = Quantity.tryParse(value);
    const lim = Quantity.tryParse(limit);
    if (req && lim && req.cmp(lim) > 0) {
      errs.push(invalidValue(path.child('requests'), req.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
    }
  }
  return errs;
}

function validateContainer(c: Container, path: FieldPath, volumes: ReadonlySet<string>, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.image) errs.push(required(path.child('image')));
  errs.push(...validateEnum(c.imagePullPolicy, PULL_POLICIES, path.child('imagePullPolicy')));
  if (c.terminationMessagePolicy !== undefined) {
    errs.push(...validateEnum(c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES, path.child('terminationMessagePolicy')));
  }
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const p = path.child('ports').index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) errs.push(...invalidEach(p.child('name'), port.name, msgs));
      else if (portNames.has(port.name)) errs.push(duplicate(p.child('name'), port.name));
      else portNames.add(port.name);
    }
    if (!port.containerPort) errs.push(required(p.child('containerPort')));
    else errs.push(...invalidEach(p.child('containerPort'), port.containerPort, isValidPortNum(port.containerPort)));
    if (port.hostPort) errs.push(...invalidEach(p.child('hostPort'), port.hostPort, isValidPortNum(port.hostPort)));
    errs.push(...validateEnum(port.protocol, PROTOCOLS, p.child('protocol')));
  });
  (c.env ?? []).forEach((env, i) => {
    const p = path.child('env').index(i).child('name');
    if (!env.name) errs.push(required(p));
    else errs.push(...invalidEach(p, env.name, isEnvVarName(env.name)));
  });
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = path.child('volumeMounts').index(i);
    if (!m.name) errs.push(required(p.child('name')));
    else if (!volumes.has(m.name)) errs.push({ type: 'NotFound', field: p.child('name').toString(), value: m.name });
    if (!m.mountPath) errs.push(required(p.child('mountPath')));
    else if (mountPaths.has(m.mountPath)) errs.push(invalidValue(p.child('mountPath'), m.mountPath, 'must be unique'));
    else mountPaths.add(m.mountPath);
  });
  errs.push(...validateResources(c, path.child('resources')));
  // Init containers may carry probes only when they are sidecars (restartPolicy Always).
  if (init && c.restartPolicy === undefined) {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[probe]) errs.push({ type: 'Forbidden', field: path.child(probe).toString(), detail: 'may not be set for init containers without restartPolicy=Always' });
    }
  } else {
    errs.push(...validateProbe(c.livenessProbe, path.child('livenessProbe')));
    errs.push(...validateProbe(c.readinessProbe, path.child('readinessProbe')));
    errs.push(...validateProbe(c.startupProbe, path.child('startupProbe')));
  }
  if (init && c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
    errs.push(notSupported(path.child('restartPolicy'), c.restartPolicy, ['Always']));
  }
  return errs;
}

/** ValidatePodSpec's essentials, at `path` (`spec`, or `spec.template.spec`). */
export function validatePodSpec(spec: PodSpec | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const s: PodSpec = spec ?? { containers: [] };

  const volumes = new Set<string>();
  (s.volumes ?? []).forEach((v, i) => {
    const p = path.child('volumes').index(i).child('name');
    if (!v.name) errs.push(required(p));
    else if (volumes.has(v.name)) errs.push(duplicate(p, v.name));
    else {
      errs.push(...invalidEach(p, v.name, isDNS1123Label(v.name)));
      volumes.add(v.name);
    }
  });

  const names = new Set<string>();
  const checkName = (c: Container, p: FieldPath): void => {
    if (!c.name) errs.push(required(p));
    else if (names.has(c.name)) errs.push(duplicate(p, c.name));
    else {
      errs.push(...invalidEach(p, c.name, isDNS1123Label(c.name)));
      names.add(c.name);
    }
  };
  (s.initContainers ?? []).forEach((c, i) => {
    const p = path.child('initContainers').index(i);
    checkName(c, p.child('name'));
    errs.push(...validateContainer(c, p, volumes, true));
  });
  if (!s.containers || s.containers.length === 0) errs.push(required(path.child('containers')));
  (s.containers ?? []).forEach((c, i) => {
    const p = path.child('containers').index(i);
    checkName(c, p.child('name'));
    errs.push(...validateContainer(c, p, volumes, false));
  });

  errs.push(...validateEnum(s.restartPolicy, RESTART_POLICIES, path.child('restartPolicy')));
  errs.push(...validateEnum(s.dnsPolicy, DNS_POLICIES, path.child('dnsPolicy')));
  if (s.dnsPolicy === 'None' && !s.dnsConfig) {
    errs.push(required(path.child('dnsConfig'), `must provide \`dnsConfig\` when \`dnsPolicy\` is None`));
  }
  errs.push(...validateLabels(s.nodeSelector, path.child('nodeSelector')));
  if (s.serviceAccountName) errs.push(...invalidEach(path.child('serviceAccountName'), s.serviceAccountName, isDNS1123Subdomain(s.serviceAccountName)));
  if (s.nodeName) errs.push(...invalidEach(path.child('nodeName'), s.nodeName, isDNS1123Subdomain(s.nodeName)));
  if (s.hostname) errs.push(...invalidEach(path.child('hostname'), s.hostname, isDNS1123Label(s.hostname)));
  if (s.subdomain) errs.push(...invalidEach(path.child('subdomain'), s.subdomain, isDNS1123Label(s.subdomain)));
  if (s.priorityClassName) {
    errs.push(...invalidEach(path.child('priorityClassName'), s.priorityClassName, isDNS1123Subdomain(s.priorityClassName)));
  }
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(invalidValue(path.child('activeDeadlineSeconds'), s.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  (s.tolerations ?? []).forEach((t, i) => {
    const p = path.child('tolerations').index(i);
    if (t.operator !== undefined && !TOLERATION_OPERATORS.includes(t.operator)) {
      errs.push(notSupported(p.child('operator'), t.operator, TOLERATION_OPERATORS));
    }
    if (t.operator === 'Exists' && t.value) {
      errs.push(invalidValue(p.child('operator'), t.value, 'value must be empty when `operator` is \'Exists\''));
    }
    if (!t.key && t.operator !== 'Exists') {
      errs.push(invalidValue(p.child('operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(p.child('effect'), t.effect, TAINT_EFFECTS));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(invalidValue(p.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
  });
  return errs;
}
