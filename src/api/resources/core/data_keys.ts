/**
 * What ConfigMaps and Secrets share: key validation of their data maps, the 1 MiB size limit,
 * and `immutable: true` freezing the data.
 */
import { FieldPath, type FieldError } from '../../errors.js';
import { forbidden, invalidEach, invalidValue, jsonEqual, tooLong } from '../../validation/field.js';
import { isConfigMapKey } from '../../validation/identifiers.js';

/** core.MaxSecretSize: the limit on a Secret's or ConfigMap's data. */
export const MAX_DATA_SIZE = 1024 * 1024;

/** Bytes of a base64 value (binaryData, Secret data) once decoded. */
export function decodedLength(base64: string): number {
  return Buffer.from(base64, 'base64').length;
}

/** Keys valid (IsConfigMapKey) at `path[key]`; returns their total size in bytes. */
export function validateDataKeys(
  data: Readonly<Record<string, string>> | undefined,
  path: FieldPath,
  size: (value: string) => number,
  errs: FieldError[],
): number {
  let total = 0;
  for (const [key, value] of Object.entries(data ?? {})) {
    errs.push(...invalidEach(path.key(key), key, isConfigMapKey(key)));
    total += size(String(value));
  }
  return total;
}

/** A key may not sit in both maps. */
export function validateDisjointKeys(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
  aPath: FieldPath,
  bName: string,
): FieldError[] {
  return Object.keys(a ?? {})
    .filter((k) => b !== undefined && Object.prototype.hasOwnProperty.call(b, k))
    .map((k) => invalidValue(aPath.key(k), k, `duplicate of key present in ${bName}`));
}

/** The total-size error, at the whole object (path ''), as Kubernetes reports it for ConfigMaps. */
export function dataTooLong(path: FieldPath | string): FieldError {
  return tooLong(path, MAX_DATA_SIZE);
}

/** Once `immutable` is true, neither it nor the listed fields may change. */
export function validateImmutableData(
  obj: Readonly<Record<string, unknown>>,
  old: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  const message = 'field is immutable when `immutable` is set';
  if (obj.immutable !== true) errs.push(forbidden(FieldPath.root('immutable'), message));
  for (const f of fields) if (!jsonEqual(obj[f], old[f])) errs.push(forbidden(FieldPath.root(f), message));
  return errs;
}
