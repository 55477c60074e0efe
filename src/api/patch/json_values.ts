/**
 * Small helpers over JSON values shared by the patch code: deep equality, Go-like rendering of
 * values in error messages, and the wording of JSON syntax errors.
 */
import { isJsonObject } from '../object.js';

/** Deep equality of two JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Renders a value as Go's `%v` does for decoded JSON: `map[image:nginx name:web]`, `[a b]`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isJsonObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A JSON.parse error worded roughly as Go's encoding/json words it. */
export function describeJsonError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/Unexpected end of JSON input/i.test(text)) return 'unexpected end of JSON input';
  return `invalid JSON: ${text}`;
}
