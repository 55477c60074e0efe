/** core/v1 LimitRange: per-namespace defaults and bounds on container and claim resources. */
import type { LimitRange } from 'kubernetes-types/core/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { Quantity } from '../../quantity.js';
import { invalidValue, notSupported } from '../../validation/field.js';
import { canonicalizeResourceList, validateResourceList } from './resource_list.js';

type LimitRangeObject = LimitRange & KubeObject;

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];
const BOUNDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

/** SetDefaults_LimitRangeItem: a Container's default limit is its max; its default request the default, else the min. */
export function defaultLimitRange(lr: LimitRange): void {
  for (const item of lr.spec?.limits ?? []) {
    for (const bound of BOUNDS) canonicalizeResourceList(item[bound], 'LimitRange');
    if (item.type !== 'Container') continue;
    for (const [name, value] of Object.entries(item.max ?? {})) (item.default ??= {})[name] ??= value;
    for (const [name, value] of Object.entries(item.default ?? {})) (item.defaultRequest ??= {})[name] ??= value;
    for (const [name, value] of Object.entries(item.min ?? {})) (item.defaultRequest ??= {})[name] ??= value;
  }
}

/** ValidateLimitRange's essentials: known types, and min <= defaultRequest <= default <= max. */
export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const p = FieldPath.root('spec').child('limits').index(i);
    if (!LIMIT_TYPES.includes(item.type)) errs.push(notSupported(p.child('type'), item.type, LIMIT_TYPES));
    for (const bound of BOUNDS) errs.push(...validateResourceList(item[bound], p.child(bound)));
    const get = (bound: (typeof BOUNDS)[number], name: string): Quantity | undefined => {
      const v = (item[bound])?.[name];
      return v === undefined ? undefined : Quantity.tryParse(v);
    };
    const names = new Set(BOUNDS.flatMap((b) => Object.keys(item[b] ?? {})));
    for (const name of names) {
      const min = get('min', name);
      const max = get('max', name);
      const def = get('default', name);
      const req = get('defaultRequest', name);
      if (min && max && min.cmp(max) > 0) errs.push(invalidValue(p.child('min').key(name), min.toString(), `min value ${min.toString()} is greater than max value ${max.toString()}`));
      if (req && min && min.cmp(req) > 0) errs.push(invalidValue(p.child('defaultRequest').key(name), req.toString(), `min value ${min.toString()} is greater than default request value ${req.toString()}`));
      if (req && max && req.cmp(max) > 0) errs.push(invalidValue(p.child('defaultRequest').key(name), req.toString(), `default request value ${req.toString()} is greater than max value ${max.toString()}`));
      if (def && min && min.cmp(def) > 0) errs.push(invalidValue(p.child('default').key(name), def.toString(), `min value ${min.toString()} is greater than default value ${def.toString()}`));
      if (def && max && def.cmp(max) > 0) errs.push(invalidValue(p.child('default').key(name), def.toString(), `default value ${def.toString()} is greater than max value ${max.toString()}`));
      if (req && def && req.cmp(def) > 0) errs.push(invalidValue(p.child('defaultRequest').key(name), req.toString(), `default request value ${req.toString()} is greater than default limit value ${def.toString()}`));
    }
  });
  return errs;
}

export const limitRanges: ResourceType<LimitRangeObject> = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  resource: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  strategy: { defaults: defaultLimitRange, validate: validateLimitRange },
  table: [
    {
      name: 'Created At',
      type: 'date',
      description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
      cell: (lr) => lr.metadata.creationTimestamp ?? '',
    },
  ],
};
