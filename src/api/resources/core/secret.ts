/**
 * core/v1 Secret: confidential data, base64 in `data`. `stringData` is merged into `data` on
 * write and never stored; the type defaults to Opaque, is immutable, and built-in types demand
 * their keys.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { required, validateImmutableField } from '../../validation/field.js';
import { ageColumn } from '../columns.js';
import { dataTooLong, decodedLength, MAX_DATA_SIZE, validateDataKeys, validateImmutableData } from './data_keys.js';

type SecretObject = Secret & KubeObject;

const DATA = FieldPath.root('data');

/** The keys each built-in type requires (all of them; basic-auth needs one of its two). */
const REQUIRED_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.key', 'tls.crt'],
};

/** SetDefaults_Secret, and the merge of stringData into data that conversion does. */
export function defaultSecret(secret: Secret): void {
  const s = secret as SecretObject;
  s.type ??= 'Opaque';
  if (s.stringData) {
    s.data ??= {};
    for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(String(v)).toString('base64');
    delete s.stringData;
  }
}

/** ValidateSecret's essentials. */
export function validateSecret(secret: Secret): FieldError[] {
  const errs: FieldError[] = [];
  const total = validateDataKeys(secret.data, DATA, decodedLength, errs);
  const data = secret.data ?? {};
  const type = secret.type ?? 'Opaque';
  for (const key of REQUIRED_KEYS[type] ?? []) if (!(key in data)) errs.push(required(DATA.key(key)));
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(required(DATA.key('username')), required(DATA.key('password')));
  }
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(required(FieldPath.root('metadata').child('annotations').key('kubernetes.io/service-account.name')));
  }
  if (total > MAX_DATA_SIZE) errs.push(dataTooLong(DATA));
  return errs;
}

export const secrets: ResourceType<SecretObject> = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  singular: 'secret',
  namespaced: true,
  strategy: {
    defaults: defaultSecret,
    validate: validateSecret,
    validateUpdate: (secret, old) => [
      ...validateImmutableField(secret.type, old.type, FieldPath.root('type')),
      ...validateImmutableData(secret, old, ['data']),
    ],
  },
  table: [
    { name: 'Type', type: 'string', description: 'The type of the secret', cell: (s) => s.type ?? '' },
    { name: 'Data', type: 'string', description: 'The number of entries in the data', cell: (s) => Object.keys(s.data ?? {}).length },
    ageColumn,
  ],
  fieldSelectors: { type: (s) => s.type },
};
