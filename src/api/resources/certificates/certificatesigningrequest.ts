/**
 * certificates.k8s.io/v1 CertificateSigningRequest: a request for a signed certificate. The
 * spec is fixed after creation (updates keep the stored one, as the registry strategy does);
 * approval goes through the `approval` subresource, issuance through `status`. The requesting
 * user's identity (username, uid, groups, extra) is the API server's to fill in, not this file's.
 */
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { deepCopy, type KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { invalidEach, invalidValue, notSupported, required } from '../../validation/field.js';
import { isDNS1123Subdomain } from '../../validation/dns.js';
import { ageColumn, humanDuration } from '../columns.js';

type CertificateSigningRequestObject = CertificateSigningRequest & KubeObject;

const SPEC = FieldPath.root('spec');
const MIN_EXPIRATION_SECONDS = 600;
export const KEY_USAGES = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];

/** The request is base64 of PEM; it must hold a CERTIFICATE REQUEST block. */
function validateRequest(request: string | undefined): FieldError[] {
  const path = SPEC.child('request');
  if (!request) return [required(path)];
  const pem = Buffer.from(request, 'base64').toString('latin1');
  return pem.includes('-----BEGIN CERTIFICATE REQUEST-----') ? [] : [invalidValue(path, request, 'PEM block type must be CERTIFICATE REQUEST')];
}

/** ValidateSignerName: `example.com/signer-name`. */
function validateSignerName(name: string | undefined): FieldError[] {
  const path = SPEC.child('signerName');
  if (!name) return [required(path)];
  const [domain = '', ...rest] = name.split('/');
  if (rest.length === 0 || rest.join('/') === '') {
    return [invalidValue(path, name, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  }
  return invalidEach(path, name, isDNS1123Subdomain(domain));
}

/** ValidateCertificateRequest's essentials. */
export function validateCertificateSigningRequest(csr: CertificateSigningRequest): FieldError[] {
  const spec = csr.spec;
  const errs = [...validateRequest(spec?.request), ...validateSignerName(spec?.signerName)];
  if (!spec?.usages?.length) errs.push(required(SPEC.child('usages'), 'usages must be provided'));
  (spec?.usages ?? []).forEach((u, i) => {
    if (!KEY_USAGES.includes(u)) errs.push(notSupported(SPEC.child('usages').index(i), u, KEY_USAGES));
  });
  const expiration = spec?.expirationSeconds;
  if (expiration !== undefined && expiration < MIN_EXPIRATION_SECONDS) {
    errs.push(invalidValue(SPEC.child('expirationSeconds'), expiration, `may not specify a duration less than ${MIN_EXPIRATION_SECONDS} seconds (10 minutes)`));
  }
  return errs;
}

/** Approved and Denied exclude each other; a condition has a type and a status. */
export function validateCertificateSigningRequestStatus(csr: CertificateSigningRequest): FieldError[] {
  const conditions = csr.status?.conditions ?? [];
  const path = FieldPath.root('status').child('conditions');
  const errs: FieldError[] = [];
  conditions.forEach((c, i) => {
    if (!c.type) errs.push(required(path.index(i).child('type')));
    if (!['True', 'False', 'Unknown'].includes(c.status)) errs.push(notSupported(path.index(i).child('status'), c.status, ['False', 'True', 'Unknown']));
  });
  const has = (type: string): boolean => conditions.some((c) => c.type === type);
  if (has('Approved') && has('Denied')) errs.push(invalidValue(path, conditions, 'Approved and Denied conditions are mutually exclusive'));
  return errs;
}

/** CONDITION: Denied, Approved or Pending, then `,Failed` and `,Issued`. */
export function csrConditionCell(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

export const certificateSigningRequests: ResourceType<CertificateSigningRequestObject> = {
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  resource: 'certificatesigningrequests',
  singular: 'certificatesigningrequest',
  namespaced: false,
  shortNames: ['csr'],
  subresources: { status: true, others: ['approval'] },
  strategy: {
    prepareForUpdate(csr, old) {
      csr.spec = deepCopy(old.spec);
    },
    validate: validateCertificateSigningRequest,
    validateStatusUpdate: validateCertificateSigningRequestStatus,
  },
  table: [
    ageColumn,
    {
      name: 'SignerName',
      type: 'string',
      description: 'Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`.',
      cell: (csr) => csr.spec?.signerName || '<none>',
    },
    {
      name: 'Requestor',
      type: 'string',
      description: 'Base64-encoded PKCS#10 CSR data',
      cell: (csr) => csr.spec?.username ?? '',
    },
    {
      name: 'RequestedDuration',
      type: 'string',
      description: 'expirationSeconds is the requested duration of validity of the issued certificate.',
      cell: (csr) => (csr.spec?.expirationSeconds === undefined ? '<none>' : humanDuration(csr.spec.expirationSeconds * 1000)),
    },
    {
      name: 'Condition',
      type: 'string',
      description: 'Conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".',
      cell: csrConditionCell,
    },
  ],
};

