/**
 * autoscaling/v1 HorizontalPodAutoscaler: served by converting to and from the stored
 * autoscaling/v2 form (hpa_conversion.ts). Defaults are v1's (minReplicas 1); validation and
 * the table are v2's, over the converted object, as kube-apiserver validates its internal form.
 */
import type { KubeObject } from '../../object.js';
import type { ResourceType, TableColumn } from '../../registry.js';
import { hpaV1ToV2, hpaV2ToV1, type HPAv1Object, type HPAv2Object } from './hpa_conversion.js';
import { HPA_IDENTITY, hpaColumns, validateHorizontalPodAutoscaler } from './hpa_v2.js';

/** One conversion per object for all the cells of its row. */
const converted = new WeakMap<HPAv1Object, HPAv2Object>();

function asV2(hpa: HPAv1Object): HPAv2Object {
  let v2 = converted.get(hpa);
  if (!v2) {
    v2 = hpaV1ToV2(hpa);
    converted.set(hpa, v2);
  }
  return v2;
}

const columns: readonly TableColumn<HPAv1Object>[] = hpaColumns.map((c) => ({ ...c, cell: (hpa: HPAv1Object, now: number) => c.cell(asV2(hpa), now) }));

export const horizontalPodAutoscalersV1: ResourceType<HPAv1Object> = {
  ...HPA_IDENTITY,
  version: 'v1',
  conversion: {
    storageVersion: 'v2',
    toStorage: (hpa: HPAv1Object): KubeObject => hpaV1ToV2(hpa),
    fromStorage: hpaV2ToV1,
  },
  strategy: {
    defaults(hpa) {
      if (hpa.spec) hpa.spec.minReplicas ??= 1;
    },
    validate: (hpa) => validateHorizontalPodAutoscaler(hpaV1ToV2(hpa)),
  },
  table: columns,
};
