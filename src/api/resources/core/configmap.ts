/** core/v1 ConfigMap: non-confidential configuration data as key-value pairs. */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { ageColumn } from '../columns.js';
import { dataTooLong, decodedLength, MAX_DATA_SIZE, validateDataKeys, validateDisjointKeys, validateImmutableData } from './data_keys.js';

type ConfigMapObject = ConfigMap & KubeObject;

/** ValidateConfigMap: keys, no key in both data and binaryData, at most 1 MiB in all. */
export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  const data = FieldPath.root('data');
  const binaryData = FieldPath.root('binaryData');
  let total = validateDataKeys(cm.data, data, (v) => Buffer.byteLength(v), errs);
  errs.push(...validateDisjointKeys(cm.data, cm.binaryData, data, 'binaryData'));
  total += validateDataKeys(cm.binaryData, binaryData, decodedLength, errs);
  errs.push(...validateDisjointKeys(cm.binaryData, cm.data, binaryData, 'data'));
  if (total > MAX_DATA_SIZE) errs.push(dataTooLong(''));
  return errs;
}

export const configMaps: ResourceType<ConfigMapObject> = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  strategy: {
    validate: validateConfigMap,
    validateUpdate: (cm, old) => validateImmutableData(cm, old, ['data', 'binaryData']),
  },
  table: [
    {
      name: 'Data',
      type: 'integer',
      description: 'Number of data items (data and binaryData).',
      cell: (cm) => Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    },
    ageColumn,
  ],
};
