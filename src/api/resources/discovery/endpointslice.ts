/**
 * discovery.k8s.io/v1 EndpointSlice: a slice of a Service's endpoints. Defaults
 * (SetDefaults_EndpointPort), ValidateEndpointSlice's essentials with the immutable address
 * type, and printEndpointSlice's table.
 */
import type { EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { isDNS1123Label } from '../../validation/dns.js';
import { duplicate, invalidEach, invalidValue, notSupported, required, tooMany, validateImmutableField } from '../../validation/field.js';
import { ipFamilyOf, isValidPortNum } from '../../validation/identifiers.js';
import { ageColumn } from '../columns.js';

type EndpointSliceObject = EndpointSlice & KubeObject;

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 20000;
const MAX_ADDRESSES = 100;
const SHOWN = 3;

/** SetDefaults_EndpointPort: an empty name and TCP. */
export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const port of slice.ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}

function validateAddress(address: string, addressType: string, path: FieldPath): FieldError[] {
  if (addressType === 'FQDN') return [];
  return ipFamilyOf(address) === addressType ? [] : [invalidValue(path, address, `must be a valid ${addressType} address`)];
}

function validatePorts(ports: readonly EndpointPort[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (ports.length > MAX_PORTS) errs.push(tooMany(path, ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = path.index(i);
    const name = port.name ?? '';
    if (name) errs.push(...invalidEach(p.child('name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(duplicate(p.child('name'), name));
    names.add(name);
    if (port.protocol === undefined) errs.push(required(p.child('protocol')));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(p.child('protocol'), port.protocol, PROTOCOLS));
    if (port.port !== undefined) errs.push(...invalidEach(p.child('port'), port.port, isValidPortNum(port.port)));
  });
  return errs;
}

/** ValidateEndpointSlice's essentials. */
export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = slice.addressType ?? '';
  if (!addressType) errs.push(required(FieldPath.root('addressType')));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported(FieldPath.root('addressType'), addressType, ADDRESS_TYPES));
  const endpoints = slice.endpoints ?? [];
  const endpointsPath = FieldPath.root('endpoints');
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany(endpointsPath, endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((ep, i) => {
    const addressesPath = endpointsPath.index(i).child('addresses');
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errs.push(required(addressesPath, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(addressesPath, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, addressType, addressesPath.index(j))));
    if (ep.hostname) errs.push(...invalidEach(endpointsPath.index(i).child('hostname'), ep.hostname, isDNS1123Label(ep.hostname)));
  });
  errs.push(...validatePorts(slice.ports ?? [], FieldPath.root('ports')));
  return errs;
}

/** listWithMoreString: the first three, `+ N more...`, `<unset>` when empty. */
function listWithMore(items: readonly string[]): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, SHOWN).join(',');
  return items.length > SHOWN ? `${shown} + ${items.length - SHOWN} more...` : shown;
}

export const endpointSlices: ResourceType<EndpointSliceObject> = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  resource: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  tracksGeneration: true,
  strategy: {
    defaults: defaultEndpointSlice,
    validate: validateEndpointSlice,
    validateUpdate: (s, old) => validateImmutableField(s.addressType, old.addressType, FieldPath.root('addressType')),
  },
  table: [
    { name: 'AddressType', type: 'string', description: 'addressType specifies the type of address carried by this EndpointSlice.', cell: (s) => s.addressType ?? '' },
    {
      name: 'Ports',
      type: 'string',
      description: 'ports specifies the list of network ports exposed by each endpoint in this slice.',
      cell: (s) => listWithMore((s.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')))),
    },
    {
      name: 'Endpoints',
      type: 'string',
      description: 'endpoints is a list of unique endpoints in this slice.',
      cell: (s) => listWithMore((s.endpoints ?? []).flatMap((e) => e.addresses ?? [])),
    },
    ageColumn,
  ],
};
