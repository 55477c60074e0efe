/** core/v1 Endpoints: the addresses behind a service, written by the endpoints controller. */
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { invalidEach } from '../../validation/field.js';
import { isDNS1123Label } from '../../validation/dns.js';
import { isValidIP, isValidPortNum } from '../../validation/identifiers.js';
import { ageColumn } from '../columns.js';
import { validateEnum } from './pod_spec_validation.js';

type EndpointsObject = Endpoints & KubeObject;

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** SetDefaults_EndpointPort: protocol TCP. */
function defaultEndpoints(ep: Endpoints): void {
  for (const subset of ep.subsets ?? []) for (const port of subset.ports ?? []) port.protocol ??= 'TCP';
}

/** ValidateEndpoints' essentials: addresses are IPs, ports valid. */
export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((subset, i) => {
    const p = FieldPath.root('subsets').index(i);
    for (const list of ['addresses', 'notReadyAddresses'] as const) {
      (subset[list] ?? []).forEach((a, j) => errs.push(...invalidEach(p.child(list).index(j).child('ip'), a.ip, isValidIP(a.ip))));
    }
    (subset.ports ?? []).forEach((port, j) => {
      const pp = p.child('ports').index(j);
      if (port.name) errs.push(...invalidEach(pp.child('name'), port.name, isDNS1123Label(port.name)));
      errs.push(...invalidEach(pp.child('port'), port.port, isValidPortNum(port.port)));
      errs.push(...validateEnum(port.protocol, PROTOCOLS, pp.child('protocol')));
    });
  });
  return errs;
}

/** ENDPOINTS: the first three `ip:port`s, then `+ N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (entry: string): void => {
    if (list.length === max) more = true;
    else list.push(entry);
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    if (!ss.ports?.length) {
      count += addresses.length;
      for (const a of addresses) add(a.ip);
      continue;
    }
    for (const port of ss.ports) {
      count += addresses.length;
      for (const a of addresses) add(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

export const endpoints: ResourceType<EndpointsObject> = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  resource: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  strategy: { defaults: defaultEndpoints, validate: validateEndpoints },
  table: [
    { name: 'Endpoints', type: 'string', description: 'Endpoints of the service', cell: formatEndpoints },
    ageColumn,
  ],
};
