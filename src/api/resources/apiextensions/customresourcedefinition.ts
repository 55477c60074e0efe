/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: cluster-scoped, with status, short name
 * `crd`. Defaulting and validation as kube-apiserver's CRD strategy; deletion is held back by
 * the `customresourcecleanup.apiextensions.k8s.io` finalizer (added when deletion starts, as
 * Kubernetes does) until the API server's CRD controller (src/apiserver/crd/) has removed the
 * custom resources. The controller also serves the custom resources themselves.
 */
import type { CustomResourceDefinitionCondition } from 'kubernetes-types/apiextensions/v1.js';
import type { ResourceType } from '../../registry.js';
import { rfc3339 } from '../../time.js';
import { validateCRD, validateCRDUpdate, type CRDObject } from './crd_validation.js';

export type { CRDObject } from './crd_validation.js';

/** The finalizer that holds a deleted CRD until its custom resources are gone. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** SetDefaults_CustomResourceDefinition(Spec) of apiextensions/v1. */
export function defaultCRD(crd: CRDObject): void {
  const spec = crd.spec;
  if (!spec) return;
  const names = spec.names;
  if (names?.kind) {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
  for (const version of spec.versions ?? []) {
    // served and storage are plain bools in Go: absent reads as false.
    version.served ??= false;
    version.storage ??= false;
  }
}

/** The version marked as storage, if exactly one is. */
export function storageVersionOf(crd: CRDObject): string | undefined {
  const marked = (crd.spec?.versions ?? []).filter((v) => v.storage);
  return marked.length === 1 ? marked[0]?.name : undefined;
}

/** Adds the storage version to status.storedVersions (it is never removed automatically). */
function recordStoredVersion(crd: CRDObject): void {
  const storage = storageVersionOf(crd);
  if (!storage) return;
  const stored = crd.status?.storedVersions ?? [];
  if (stored.includes(storage)) return;
  crd.status = { ...crd.status, storedVersions: [...stored, storage] };
}

/** Sets (or replaces) a status condition, keeping its transition time when the status is unchanged. */
export function setCRDCondition(crd: CRDObject, condition: CustomResourceDefinitionCondition, now: number): void {
  const conditions = [...(crd.status?.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === condition.type);
  const old = i >= 0 ? conditions[i] : undefined;
  const lastTransitionTime = old && old.status === condition.status ? old.lastTransitionTime : rfc3339(now);
  const next = { ...condition, lastTransitionTime };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
  crd.status = { ...crd.status, conditions };
}

export function crdCondition(crd: CRDObject, type: string): CustomResourceDefinitionCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

export const customResourceDefinitions: ResourceType<CRDObject> = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: { status: true },
  tracksGeneration: true,
  strategy: {
    defaults: defaultCRD,
    prepareForCreate(crd) {
      crd.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
      recordStoredVersion(crd);
    },
    prepareForUpdate(crd) {
      recordStoredVersion(crd);
    },
    validate: validateCRD,
    validateUpdate: validateCRDUpdate,
    validateStatusUpdate: (crd) => validateCRD(crd).filter((e) => e.field.startsWith('status.')),
    // Deletion first marks the CRD and adds the cleanup finalizer; the CRD controller removes
    // the custom resources, then the finalizer, and the CRD goes.
    holdsDeletion: (crd) => !crd.metadata.deletionTimestamp || (crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER),
    prepareForDeletion(crd) {
      const meta = crd.metadata;
      if (!meta.deletionTimestamp && !(meta.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) {
        meta.finalizers = [...(meta.finalizers ?? []), CRD_CLEANUP_FINALIZER];
      }
      if (!crdCondition(crd, 'Terminating')) {
        setCRDCondition(
          crd,
          {
            type: 'Terminating',
            status: 'True',
            reason: 'InstanceDeletionPending',
            message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
          },
          Date.now(),
        );
      }
    },
  },
  table: [
    {
      name: 'Created At',
      type: 'date',
      description:
        'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      cell: (crd) => crd.metadata.creationTimestamp ?? null,
    },
  ],
};
