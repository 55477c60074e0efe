/** core/v1 Namespace: the scope of names; cluster-scoped. */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { ageColumn } from '../columns.js';

type NamespaceObject = Namespace & KubeObject;

export const namespaces: ResourceType<NamespaceObject> = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  subresources: { status: true, others: ['finalize'] },
  strategy: {
    defaults(ns) {
      ns.spec ??= {};
      ns.spec.finalizers ??= ['kubernetes'];
    },
    prepareForCreate(ns) {
      ns.status = { phase: 'Active' };
    },
  },
  table: [
    { name: 'Status', type: 'string', description: 'The status of the namespace', cell: (ns) => ns.status?.phase ?? '' },
    ageColumn,
  ],
  fieldSelectors: { 'status.phase': (ns) => ns.status?.phase },
};
