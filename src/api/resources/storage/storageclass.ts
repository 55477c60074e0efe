/**
 * storage.k8s.io/v1 StorageClass: how volumes of a class are provisioned. Defaults (reclaim
 * Delete, binding Immediate), ValidateStorageClass's essentials, the fields that never change
 * (provisioner, parameters, reclaimPolicy, volumeBindingMode), and printStorageClass, whose
 * NAME cell marks the default class, hence its own Name column.
 */
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { forbidden, invalidEach, jsonEqual, notSupported, required, validateImmutableField } from '../../validation/field.js';
import { isQualifiedName } from '../../validation/qualified_name.js';
import { ageColumn } from '../columns.js';

type StorageClassObject = StorageClass & KubeObject;

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** SetDefaults_StorageClass. */
export function defaultStorageClass(sc: StorageClass): void {
  const obj = sc as StorageClassObject;
  obj.reclaimPolicy ??= 'Delete';
  obj.volumeBindingMode ??= 'Immediate';
}

/** ValidateStorageClass's essentials. */
export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = sc.provisioner;
  if (!provisioner) errs.push(required(FieldPath.root('provisioner')));
  else errs.push(...invalidEach(FieldPath.root('provisioner'), provisioner, isQualifiedName(provisioner.toLowerCase())));
  if (sc.reclaimPolicy !== undefined && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) {
    errs.push(notSupported(FieldPath.root('reclaimPolicy'), sc.reclaimPolicy, RECLAIM_POLICIES));
  }
  if (sc.volumeBindingMode === undefined) errs.push(required(FieldPath.root('volumeBindingMode')));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode)) errs.push(notSupported(FieldPath.root('volumeBindingMode'), sc.volumeBindingMode, BINDING_MODES));
  return errs;
}

/** ValidateStorageClassUpdate. */
export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (!jsonEqual(sc.parameters ?? {}, old.parameters ?? {})) errs.push(forbidden(FieldPath.root('parameters'), 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(forbidden(FieldPath.root('provisioner'), 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(forbidden(FieldPath.root('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutableField(sc.volumeBindingMode, old.volumeBindingMode, FieldPath.root('volumeBindingMode')));
  return errs;
}

/** IsDefaultAnnotation: either annotation set to "true". */
export function isDefaultStorageClass(sc: StorageClass): boolean {
  return DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === 'true');
}

export const storageClasses: ResourceType<StorageClassObject> = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  resource: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  strategy: { defaults: defaultStorageClass, validate: validateStorageClass, validateUpdate: validateStorageClassUpdate },
  table: [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description:
        'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
      cell: (sc) => `${sc.metadata.name ?? ''}${isDefaultStorageClass(sc) ? ' (default)' : ''}`,
    },
    { name: 'Provisioner', type: 'string', description: 'provisioner indicates the type of the provisioner.', cell: (sc) => sc.provisioner ?? '' },
    {
      name: 'ReclaimPolicy',
      type: 'string',
      description: 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
      cell: (sc) => sc.reclaimPolicy ?? 'Delete',
    },
    {
      name: 'VolumeBindingMode',
      type: 'string',
      description: 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
      cell: (sc) => sc.volumeBindingMode ?? 'Immediate',
    },
    {
      name: 'AllowVolumeExpansion',
      type: 'string',
      description: 'allowVolumeExpansion shows whether the storage class allow volume expand.',
      cell: (sc) => sc.allowVolumeExpansion ?? false,
    },
    ageColumn,
  ],
};
