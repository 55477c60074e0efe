/**
 * Short constructors for field errors (apimachinery's field.Invalid, field.Required, ...), so
 * validation code reads as Kubernetes' does. Paths are FieldPaths or already-rendered strings.
 */
import type { FieldError } from '../errors.js';
import type { FieldPath } from '../errors.js';

export type PathLike = FieldPath | string;

/** apimachinery's FieldImmutableErrorMsg. */
export const FIELD_IMMUTABLE = 'field is immutable';

export function invalidValue(path: PathLike, value: unknown, detail?: string): FieldError {
  const error: FieldError = { type: 'Invalid', field: String(path), value };
  if (detail) error.detail = detail;
  return error;
}

export function required(path: PathLike, detail?: string): FieldError {
  const error: FieldError = { type: 'Required', field: String(path) };
  if (detail) error.detail = detail;
  return error;
}

export function forbidden(path: PathLike, detail: string): FieldError {
  return { type: 'Forbidden', field: String(path), detail };
}

export function duplicate(path: PathLike, value: unknown): FieldError {
  return { type: 'Duplicate', field: String(path), value };
}

/** field.NotSupported: the detail lists the supported values, each quoted. */
export function notSupported(path: PathLike, value: unknown, supported: readonly string[]): FieldError {
  const error: FieldError = { type: 'NotSupported', field: String(path), value };
  if (supported.length > 0) error.detail = `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`;
  return error;
}

/** field.TooLong: `Too long: may not be more than 262144 bytes`. */
export function tooLong(path: PathLike, maxLength: number): FieldError {
  return {
    type: 'TooLong',
    field: String(path),
    detail: maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long',
  };
}

/** field.TooMany: `Too many: 5: must have at most 4 items`. */
export function tooMany(path: PathLike, actual: number, max: number): FieldError {
  return { type: 'TooMany', field: String(path), detail: `${actual}: must have at most ${max} items` };
}

/** One Invalid error per message of a primitive check (isDNS1123Label and friends). */
export function invalidEach(path: PathLike, value: unknown, messages: readonly string[]): FieldError[] {
  return messages.map((m) => invalidValue(path, value, m));
}

/** Deep equality of JSON values, as apiequality.Semantic.DeepEqual treats API objects. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((v, i) => jsonEqual(v, bs[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

/** ValidateImmutableField: `Invalid value: <new>: field is immutable` when the value changed. */
export function validateImmutableField(newValue: unknown, oldValue: unknown, path: PathLike): FieldError[] {
  return jsonEqual(newValue, oldValue) ? [] : [invalidValue(path, newValue ?? '', FIELD_IMMUTABLE)];
}

/** ValidateNonnegativeField. */
export function validateNonnegativeField(value: number | undefined, path: PathLike): FieldError[] {
  return value !== undefined && value < 0 ? [invalidValue(path, value, 'must be greater than or equal to 0')] : [];
}

/** ValidatePositiveField (k8s' core validation). */
export function validatePositiveField(value: number | undefined, path: PathLike): FieldError[] {
  return value !== undefined && value <= 0 ? [invalidValue(path, value, 'must be greater than zero')] : [];
}
