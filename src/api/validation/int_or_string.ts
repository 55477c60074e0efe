/**
 * IntOrString fields that hold a count or a percentage (maxSurge, maxUnavailable,
 * minAvailable): validation with Kubernetes' messages, and the value they stand for.
 */
import type { FieldError } from '../errors.js';
import { invalidValue, validateNonnegativeField, type PathLike } from './field.js';
import { isValidPercent } from './identifiers.js';

export type IntOrString = number | string;

/** The number of a `NN%` string, or undefined when the value is not a percentage. */
export function percentValue(value: IntOrString): number | undefined {
  if (typeof value !== 'string' || isValidPercent(value).length > 0) return undefined;
  return Number.parseInt(value.slice(0, -1), 10);
}

/** ValidatePositiveIntOrPercent: a non-negative integer or a `NN%` string. */
export function validatePositiveIntOrPercent(value: IntOrString, path: PathLike): FieldError[] {
  if (typeof value === 'string') return isValidPercent(value).map((msg) => invalidValue(path, value, msg));
  if (typeof value === 'number' && Number.isInteger(value)) return validateNonnegativeField(value, path);
  return [invalidValue(path, value, "must be an integer or percentage (e.g '5%')")];
}

/** IsNotMoreThan100Percent. */
export function validateNotMoreThan100Percent(value: IntOrString, path: PathLike): FieldError[] {
  const percent = percentValue(value);
  return percent !== undefined && percent > 100 ? [invalidValue(path, String(value), 'must not be greater than 100%')] : [];
}

/**
 * GetScaledValueFromIntOrPercent: an integer as is; a percentage of `total`, rounded up or
 * down. Throws on a string that is not a percentage.
 */
export function scaledValueFromIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const percent = percentValue(value);
  if (percent === undefined) throw new Error(`invalid value for IntOrString: invalid value "${value}"`);
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
