/** Persistent volume helpers shared by PVs and PVCs: access modes as tables abbreviate them, storage classes. */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

const ABBREVIATIONS: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** GetAccessModesAsString: `RWO,ROX,RWX,RWOP` in that order, each once. */
export function accessModesString(modes: readonly string[] | undefined): string {
  return ABBREVIATIONS.filter(([mode]) => modes?.includes(mode)).map(([, short]) => short).join(',');
}

/** The storage class: the beta annotation wins over spec.storageClassName. */
export function storageClassOf(meta: ObjectMeta | undefined, storageClassName: string | undefined): string {
  return meta?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? storageClassName ?? '';
}
