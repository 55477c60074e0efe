/** core/v1 PersistentVolumeClaim: a request for storage, bound to a PersistentVolume. */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { deepCopy, type KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { forbidden, jsonEqual, notSupported, required } from '../../validation/field.js';
import { ageColumn } from '../columns.js';
import { setStatus } from '../status.js';
import { ACCESS_MODES, accessModesString, storageClassOf } from './access_modes.js';
import { canonicalizeResourceList, validateResourceList } from './resource_list.js';

type PersistentVolumeClaimObject = PersistentVolumeClaim & KubeObject;

const SPEC = FieldPath.root('spec');
const VOLUME_MODES = ['Block', 'Filesystem'];

/** SetDefaults_PersistentVolumeClaim. */
export function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  const spec = ((pvc as PersistentVolumeClaimObject).spec ??= {});
  spec.volumeMode ??= 'Filesystem';
  canonicalizeResourceList(spec.resources?.requests, 'PersistentVolumeClaim');
  canonicalizeResourceList(spec.resources?.limits, 'PersistentVolumeClaim');
}

/** ValidatePersistentVolumeClaimSpec's essentials. */
export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim): FieldError[] {
  const spec = pvc.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.accessModes?.length) errs.push(required(SPEC.child('accessModes'), 'at least 1 access mode is required'));
  for (const mode of spec.accessModes ?? []) if (!ACCESS_MODES.includes(mode)) errs.push(notSupported(SPEC.child('accessModes'), mode, ACCESS_MODES));
  if (!spec.resources?.requests?.storage) errs.push(required(SPEC.child('resources').key('storage')));
  errs.push(...validateResourceList(spec.resources?.requests, SPEC.child('resources', 'requests')));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported(SPEC.child('volumeMode'), spec.volumeMode, VOLUME_MODES));
  return errs;
}

/** The spec is immutable, except the storage request (expansion) and binding an unbound claim. */
export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const next = deepCopy(pvc.spec ?? {});
  const prev = old.spec ?? {};
  if (next.resources && prev.resources) next.resources.requests = prev.resources.requests;
  if (!prev.volumeName) next.volumeName = prev.volumeName;
  next.volumeAttributesClassName = prev.volumeAttributesClassName;
  if (jsonEqual(next, prev)) return [];
  return [forbidden(SPEC, 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims')];
}

export const persistentVolumeClaims: ResourceType<PersistentVolumeClaimObject> = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  resource: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: { status: true },
  strategy: {
    defaults: defaultPersistentVolumeClaim,
    prepareForCreate(pvc) {
      setStatus(pvc, { phase: 'Pending' });
    },
    validate: validatePersistentVolumeClaim,
    validateUpdate: validatePersistentVolumeClaimUpdate,
  },
  table: [
    { name: 'Status', type: 'string', description: 'phase represents the current phase of PersistentVolumeClaim.', cell: (pvc) => (pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '')) },
    { name: 'Volume', type: 'string', description: 'volumeName is the binding reference to the PersistentVolume backing this claim.', cell: (pvc) => pvc.spec?.volumeName ?? '' },
    { name: 'Capacity', type: 'string', description: 'capacity represents the actual resources of the underlying volume.', cell: (pvc) => (pvc.spec?.volumeName ? (pvc.status?.capacity?.storage ?? '0') : '') },
    { name: 'Access Modes', type: 'string', description: 'accessModes contains the actual access modes the volume backing the PVC has.', cell: (pvc) => (pvc.spec?.volumeName ? accessModesString(pvc.status?.accessModes) : '') },
    { name: 'StorageClass', type: 'string', description: 'storageClassName is the name of the StorageClass required by the claim.', cell: (pvc) => storageClassOf(pvc.metadata, pvc.spec?.storageClassName) },
    { name: 'VolumeAttributesClass', type: 'string', description: 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.', cell: (pvc) => pvc.status?.currentVolumeAttributesClassName ?? '<unset>' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', priority: 1, description: 'volumeMode defines what type of volume is required by the claim.', cell: (pvc) => pvc.spec?.volumeMode ?? '<unset>' },
  ],
};
