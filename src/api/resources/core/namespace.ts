/** core/v1 Namespace: the scope of names; cluster-scoped. */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { nameIsDNSLabel } from '../../validation/dns.js';
import { invalidEach, invalidValue } from '../../validation/field.js';
import { isQualifiedName } from '../../validation/qualified_name.js';
import { ageColumn } from '../columns.js';

type NamespaceObject = Namespace & KubeObject;

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** ValidateNamespace's spec part: each finalizer a qualified name, and standard unless prefixed. */
export function validateNamespaceFinalizers(ns: Namespace): FieldError[] {
  const path = FieldPath.root('spec').child('finalizers');
  const errs: FieldError[] = [];
  for (const f of ns.spec?.finalizers ?? []) {
    errs.push(...invalidEach(path, f, isQualifiedName(f)));
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalidValue(path, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export const namespaces: ResourceType<NamespaceObject> = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  subresources: { status: true, others: ['finalize'] },
  validateName: nameIsDNSLabel,
  strategy: {
    validate: validateNamespaceFinalizers,
    defaults(ns) {
      ns.spec ??= {};
      ns.spec.finalizers ??= ['kubernetes'];
    },
    prepareForCreate(ns) {
      ns.status = { phase: 'Active' };
      // Every namespace carries its own name as a label, so selectors can pick namespaces by name.
      ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name ?? '' };
    },
    prepareForUpdate(ns) {
      ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name ?? '' };
    },
    // A namespace stays, Terminating, until the namespace controller has emptied it and
    // removed its spec.finalizers (through the finalize subresource).
    holdsDeletion: (ns) => (ns.spec?.finalizers ?? []).length > 0,
    prepareForDeletion(ns) {
      ns.status = { ...ns.status, phase: 'Terminating' };
    },
  },
  table: [
    { name: 'Status', type: 'string', description: 'The status of the namespace', cell: (ns) => ns.status?.phase ?? '' },
    ageColumn,
  ],
  fieldSelectors: { 'status.phase': (ns) => ns.status?.phase },
};
