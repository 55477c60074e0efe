/** core/v1 PersistentVolume: a piece of storage in the cluster; cluster-scoped. */
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { rfc3339 } from '../../time.js';
import { forbidden, notSupported, required } from '../../validation/field.js';
import { ageColumn } from '../columns.js';
import { setStatus } from '../status.js';
import { ACCESS_MODES, accessModesString, storageClassOf } from './access_modes.js';
import { canonicalizeResourceList, validateResourceList } from './resource_list.js';

type PersistentVolumeObject = PersistentVolume & KubeObject;

const SPEC = FieldPath.root('spec');
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
/** Spec fields that are not volume sources. */
const NON_SOURCE_FIELDS = new Set([
  'accessModes', 'capacity', 'claimRef', 'mountOptions', 'nodeAffinity', 'persistentVolumeReclaimPolicy',
  'storageClassName', 'volumeMode', 'volumeAttributesClassName',
]);

/** SetDefaults_PersistentVolume. */
export function defaultPersistentVolume(pv: PersistentVolume): void {
  const spec = ((pv as PersistentVolumeObject).spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  canonicalizeResourceList(spec.capacity, 'PersistentVolume');
}

/** ValidatePersistentVolume's essentials. */
export function validatePersistentVolume(pv: PersistentVolume): FieldError[] {
  const spec = pv.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.accessModes?.length) errs.push(required(SPEC.child('accessModes')));
  for (const mode of spec.accessModes ?? []) if (!ACCESS_MODES.includes(mode)) errs.push(notSupported(SPEC.child('accessModes'), mode, ACCESS_MODES));
  if (!spec.capacity || Object.keys(spec.capacity).length === 0) errs.push(required(SPEC.child('capacity')));
  else if (!('storage' in spec.capacity)) errs.push(notSupported(SPEC.child('capacity'), Object.keys(spec.capacity)[0], ['storage']));
  errs.push(...validateResourceList(spec.capacity, SPEC.child('capacity')));
  if (spec.persistentVolumeReclaimPolicy && !RECLAIM_POLICIES.includes(spec.persistentVolumeReclaimPolicy)) {
    errs.push(notSupported(SPEC.child('persistentVolumeReclaimPolicy'), spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
  }
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported(SPEC.child('volumeMode'), spec.volumeMode, VOLUME_MODES));
  const sources = Object.keys(spec).filter((k) => !NON_SOURCE_FIELDS.has(k));
  if (sources.length === 0) errs.push(required(SPEC, 'must specify a volume type'));
  else if (sources.length > 1) errs.push(forbidden(SPEC.child(sources[1]!), 'may not specify more than 1 volume type'));
  return errs;
}

export const persistentVolumes: ResourceType<PersistentVolumeObject> = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  resource: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  subresources: { status: true },
  strategy: {
    defaults: defaultPersistentVolume,
    prepareForCreate(pv) {
      setStatus(pv, { phase: 'Pending', lastPhaseTransitionTime: rfc3339(Date.now()) });
    },
    validate: validatePersistentVolume,
  },
  table: [
    { name: 'Capacity', type: 'string', description: 'capacity is the description of the persistent volume\'s resources and capacity.', cell: (pv) => pv.spec?.capacity?.storage ?? '0' },
    { name: 'Access Modes', type: 'string', description: 'accessModes contains all ways the volume can be mounted.', cell: (pv) => accessModesString(pv.spec?.accessModes) },
    { name: 'Reclaim Policy', type: 'string', description: 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.', cell: (pv) => pv.spec?.persistentVolumeReclaimPolicy ?? '' },
    { name: 'Status', type: 'string', description: 'phase indicates if a volume is available, bound to a claim, or released by a claim.', cell: (pv) => (pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '')) },
    { name: 'Claim', type: 'string', description: 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.', cell: (pv) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '') },
    { name: 'StorageClass', type: 'string', description: 'storageClassName is the name of StorageClass to which this persistent volume belongs.', cell: (pv) => storageClassOf(pv.metadata, pv.spec?.storageClassName) },
    { name: 'VolumeAttributesClass', type: 'string', description: 'Name of VolumeAttributesClass to which this persistent volume belongs.', cell: (pv) => pv.spec?.volumeAttributesClassName ?? '<unset>' },
    { name: 'Reason', type: 'string', description: 'reason is a brief CamelCase string that describes any failure.', cell: (pv) => pv.status?.reason ?? '' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', priority: 1, description: 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', cell: (pv) => pv.spec?.volumeMode ?? '<unset>' },
  ],
};
