/** core/v1 ConfigMap: non-confidential configuration data as key-value pairs. */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { ageColumn } from '../columns.js';

type ConfigMapObject = ConfigMap & KubeObject;

export const configMaps: ResourceType<ConfigMapObject> = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
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
