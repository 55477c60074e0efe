/**
 * Defaults of a PodSpec, as kube-apiserver's core/v1 defaulting functions set them (pods,
 * pod templates, and the templates inside workloads): restart and DNS policies, grace period,
 * scheduler, per-container pull policy and termination message, port protocols, probe timings,
 * volume sources and modes, requests taken from limits, and canonical quantities.
 * (Service account, tolerations and priority come from admission plugins, not from here.)
 */
import type { Container, PodSpec, Probe, Volume } from 'kubernetes-types/core/v1.js';
import { canonicalizeResourceList } from './resource_list.js';

/** Always for `:latest` or an untagged image, else IfNotPresent (digests count as tags). */
export function defaultImagePullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

/**
 * SetDefaults_Container; with `requestsFromLimits` (pods, not templates) also what
 * SetDefaults_Pod does per container.
 */
export function defaultContainer(c: Container, kind: string, hostNetwork: boolean, requestsFromLimits: boolean): void {
  c.imagePullPolicy ??= defaultImagePullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  canonicalizeResourceList(c.resources.limits, kind);
  canonicalizeResourceList(c.resources.requests, kind);
  // Requests default to limits for every resource that has a limit but no request.
  const limits = c.resources.limits;
  if (requestsFromLimits && limits && Object.keys(limits).length > 0) {
    c.resources.requests ??= {};
    for (const [name, value] of Object.entries(limits)) c.resources.requests[name] ??= value;
  }
  for (const port of c.ports ?? []) {
    port.protocol ??= 'TCP';
    if (hostNetwork && port.hostPort === undefined) port.hostPort = port.containerPort;
  }
  for (const env of c.env ?? []) {
    if (env.valueFrom?.fieldRef) env.valueFrom.fieldRef.apiVersion ??= 'v1';
    if (env.valueFrom?.resourceFieldRef?.divisor !== undefined) {
      env.valueFrom.resourceFieldRef.divisor = String(env.valueFrom.resourceFieldRef.divisor);
    }
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

const DEFAULT_MODE = 0o644;

/** SetDefaults_Volume and the per-source defaults (modes 0644, emptyDir when no source). */
export function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (v.secret) v.secret.defaultMode ??= DEFAULT_MODE;
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_MODE;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
  }
  if (v.projected) v.projected.defaultMode ??= DEFAULT_MODE;
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.iscsi) v.iscsi.iscsiInterface ??= 'default';
  if (v.rbd) {
    v.rbd.pool ??= 'rbd';
    v.rbd.user ??= 'admin';
    v.rbd.keyring ??= '/etc/ceph/keyring';
  }
}

/**
 * SetDefaults_PodSpec plus the container and volume defaults; `kind` names the object in
 * errors. `pod` adds what only Pods get (SetDefaults_Pod): enableServiceLinks and requests
 * defaulted from limits.
 */
export function defaultPodSpec(spec: PodSpec, kind: string, pod = false): void {
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  if (pod) spec.enableServiceLinks ??= true;
  // The deprecated aliases are kept in step with their replacements, as conversion does.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, kind, hostNetwork, pod);
  for (const c of spec.containers ?? []) defaultContainer(c, kind, hostNetwork, pod);
  for (const c of spec.ephemeralContainers ?? []) {
    c.imagePullPolicy ??= defaultImagePullPolicy(c.image);
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
  }
  for (const v of spec.volumes ?? []) defaultVolume(v);
  canonicalizeResourceList(spec.overhead, kind);
}
