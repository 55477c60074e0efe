/**
 * resource.Quantity: the fixed-point numbers of resource requests, limits, capacities and
 * quotas (`100m`, `1Gi`, `2e3`, `1.5`). Parsing keeps the exact value (rounded up to
 * nano-units, as Kubernetes does) and the format the suffix implies; `toString` is the
 * canonical form the API server stores and returns (`0.5` → `500m`, `1.5Gi` → `1536Mi`,
 * `1000` → `1k`, `2e3` stays `2e3`). Used by defaulting, validation, the scheduler and quotas.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** The messages of apimachinery's ErrFormatWrong, ErrNumeric and ErrSuffix. */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_NUMERIC_ERROR = "unable to parse quantity's numeric part";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

/** Values are kept to nano precision; finer ones round up (away from zero). */
const MIN_SCALE = -9;

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** Splits a quantity string into number and suffix, as apimachinery's parseQuantityString does. */
function splitQuantity(str: string): { number: string; suffix: string } {
  let pos = 0;
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < str.length && str[pos] === '0') pos++;
  if (pos >= str.length) return { number: str, suffix: '' };
  while (pos < str.length && str[pos]! >= '0' && str[pos]! <= '9') pos++;
  if (str[pos] === '.') {
    pos++;
    while (pos < str.length && str[pos]! >= '0' && str[pos]! <= '9') pos++;
  }
  const number = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos]!)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < str.length && str[pos]! >= '0' && str[pos]! <= '9') pos++;
  if (pos < str.length) throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
  return { number, suffix: str.slice(suffixStart) };
}

/** A parsed quantity: `mantissa × 10^scale`, with the format its suffix implied. Immutable. */
export class Quantity {
  private constructor(
    /** The integer mantissa. */
    readonly mantissa: bigint,
    /** The power of ten the mantissa is scaled by (>= -9). */
    readonly scale: number,
    readonly format: QuantityFormat,
  ) {}

  /** Parses a quantity string (or a JSON number, which Kubernetes also accepts); throws QuantityParseError. */
  static parse(input: string | number): Quantity {
    const str = typeof input === 'number' ? String(input) : input;
    if (str.length === 0) throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
    const { number, suffix } = splitQuantity(str);

    let format: QuantityFormat;
    let base10Exponent = 0;
    let base2Exponent = 0;
    if (suffix in DECIMAL_SUFFIXES) {
      format = 'DecimalSI';
      base10Exponent = DECIMAL_SUFFIXES[suffix]!;
    } else if (suffix in BINARY_SUFFIXES) {
      format = 'BinarySI';
      base2Exponent = BINARY_SUFFIXES[suffix]!;
    } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[-+]?[0-9]+$/.test(suffix.slice(1))) {
      format = 'DecimalExponent';
      base10Exponent = Number.parseInt(suffix.slice(1), 10);
    } else {
      throw new QuantityParseError(QUANTITY_SUFFIX_ERROR);
    }

    const match = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(number);
    if (!match) throw new QuantityParseError(QUANTITY_NUMERIC_ERROR);
    const negative = match[1] === '-';
    const whole = match[2] ?? '';
    const fraction = match[3] ?? '';
    if (whole === '' && fraction === '' && number.includes('.')) throw new QuantityParseError(QUANTITY_NUMERIC_ERROR);
    let mantissa = BigInt(`${whole}${fraction}` || '0') * 2n ** BigInt(base2Exponent);
    let scale = base10Exponent - fraction.length;
    if (scale < MIN_SCALE) {
      const divisor = pow10(MIN_SCALE - scale);
      mantissa = (mantissa + divisor - 1n) / divisor;
      scale = MIN_SCALE;
    }
    return new Quantity(negative ? -mantissa : mantissa, scale, format);
  }

  /** Like parse, but undefined instead of an error. */
  static tryParse(input: string | number): Quantity | undefined {
    try {
      return Quantity.parse(input);
    } catch {
      return undefined;
    }
  }

  /** A quantity of whole units in the given format (`Quantity.fromInteger(3n)` is `3`). */
  static fromInteger(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), 0, format);
  }

  /** A quantity of milli-units (`Quantity.fromMilli(1500)` is `1500m`). */
  static fromMilli(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli), -3, format);
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.mantissa < 0n ? -1 : this.mantissa > 0n ? 1 : 0;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  cmp(other: Quantity): -1 | 0 | 1 {
    const s = Math.min(this.scale, other.scale);
    const a = this.mantissa * pow10(this.scale - s);
    const b = other.mantissa * pow10(other.scale - s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  add(other: Quantity): Quantity {
    const s = Math.min(this.scale, other.scale);
    return new Quantity(this.mantissa * pow10(this.scale - s) + other.mantissa * pow10(other.scale - s), s, this.format);
  }

  sub(other: Quantity): Quantity {
    return this.add(other.neg());
  }

  neg(): Quantity {
    return new Quantity(-this.mantissa, this.scale, this.format);
  }

  /** The value scaled to 10^scale units, rounded up (away from zero), as AsScale/ScaledValue do. */
  scaledValue(scale: number): bigint {
    if (this.scale >= scale) return this.mantissa * pow10(this.scale - scale);
    const divisor = pow10(scale - this.scale);
    const q = abs(this.mantissa) / divisor;
    const rounded = abs(this.mantissa) % divisor === 0n ? q : q + 1n;
    return this.mantissa < 0n ? -rounded : rounded;
  }

  /** Value(): whole units, rounded up. */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** MilliValue(): thousandths, rounded up (CPU is counted this way). */
  milliValue(): bigint {
    return this.scaledValue(-3);
  }

  /** The value as a (possibly inexact) float, for display and ratios. */
  toNumber(): number {
    return Number(this.mantissa) * 10 ** this.scale;
  }

  /** The canonical string, as Quantity.String() writes it. */
  toString(): string {
    if (this.mantissa === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const inSmallRange = this.cmp(Quantity.fromInteger(-1024)) > 0 && this.cmp(Quantity.fromInteger(1024)) < 0;
      // Below 1024, or not whole, a binary suffix would round or confuse: show it decimally.
      if (inSmallRange || !this.isWhole()) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let value = this.value();
      let exponent = 0;
      while (value !== 0n && value % 1024n === 0n && exponent < 60) {
        value /= 1024n;
        exponent += 10;
      }
      return `${value}${BINARY_BY_EXPONENT.get(exponent) ?? ''}`;
    }
    // Remove factors of ten, then lower the exponent to a multiple of three.
    let mantissa = this.mantissa;
    let exponent = this.scale;
    while (mantissa % 10n === 0n) {
      mantissa /= 10n;
      exponent++;
    }
    const rem = ((exponent % 3) + 3) % 3;
    if (rem !== 0) {
      mantissa *= pow10(rem);
      exponent -= rem;
    }
    if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
    const suffix = DECIMAL_BY_EXPONENT.get(exponent);
    return suffix === undefined ? `${mantissa}e${exponent}` : `${mantissa}${suffix}`;
  }

  toJSON(): string {
    return this.toString();
  }

  private isWhole(): boolean {
    return this.scale >= 0 || this.mantissa % pow10(-this.scale) === 0n;
  }
}

/** Parses and compares two quantity strings. */
export function compareQuantities(a: string | number, b: string | number): -1 | 0 | 1 {
  return Quantity.parse(a).cmp(Quantity.parse(b));
}

/** The canonical form of a quantity string: what the API server stores for it. */
export function canonicalQuantity(value: string | number): string {
  return Quantity.parse(value).toString();
}
