/**
 * Cron schedules as CronJobs accept them: five fields (minute, hour, day of month, month, day
 * of week) with `*`, `?`, ranges, steps, lists and month/day names, or a descriptor (`@daily`,
 * `@every 1h`). The parse follows robfig/cron's standard parser, which kube-apiserver uses, and
 * its error messages are the ones `kubectl` users see in `spec.schedule: Invalid value`.
 * The parsed form lists the allowed values of each field, for the CronJob controller.
 */

/** The allowed values of each field of a parsed schedule. */
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** True when day of month or day of week was `*` or `?` (cron ORs the two only when both are restricted). */
  daysOfMonthStar: boolean;
  daysOfWeekStar: boolean;
  /** `@every <duration>`: the period in milliseconds instead of fields. */
  everyMs?: number;
}

interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DAYS_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DAYS_OF_WEEK: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Thrown with robfig/cron's wording of the problem. */
export class CronParseError extends Error {
  override name = 'CronParseError';
}

/** Go's `%s` of a []string: `[a b c]`. */
const goList = (items: readonly string[]): string => `[${items.join(' ')}]`;

/** strconv.Atoi then the non-negative check (mustParseInt). */
function parseUint(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronParseError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number.parseInt(expr, 10);
  if (n < 0) throw new CronParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, bounds: Bounds): number {
  const named = bounds.names?.[expr.toLowerCase()];
  return named ?? parseUint(expr);
}

/** One comma-separated part: `*`, `?`, `a`, `a-b`, each optionally `/step`. Returns whether it was a star. */
function parseRange(expr: string, bounds: Bounds, into: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0] ?? '', bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? '', bounds);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseUint(rangeAndStep[1] ?? '');
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = bounds.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronParseError(`too many slashes: ${expr}`);
  }
  if (start < bounds.min) throw new CronParseError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new CronParseError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.add(v);
  return star;
}

function parseField(field: string, bounds: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) star = parseRange(part, bounds, values) || star;
  return { values, star };
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, for `@every`: `1h30m`, `90s`, `1.5h`. */
function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  if (text === '0') return 0;
  if (text.length === 0) throw new CronParseError(`failed to parse duration ${text}: time: invalid duration ""`);
  let ms = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new CronParseError(`failed to parse duration ${text}: time: invalid duration ${JSON.stringify(text)}`);
    ms += Number.parseFloat(m[1] ?? '0') * (DURATION_UNITS[m[2] ?? ''] ?? 0);
    at = re.lastIndex;
  }
  return ms;
}

/**
 * Parses a schedule (robfig/cron ParseStandard). Throws a CronParseError, whose message is
 * what kube-apiserver reports. A leading `TZ=` or `CRON_TZ=` is accepted here; CronJob
 * validation forbids it separately.
 */
export function parseCronSchedule(input: string): CronSchedule {
  if (input.length === 0) throw new CronParseError('empty spec string');
  let spec = input;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const zone = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    if (!isKnownTimeZone(zone)) throw new CronParseError(`provided bad location ${zone}: unknown time zone ${zone}`);
    spec = space < 0 ? '' : spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) {
      const everyMs = parseDuration(spec.slice('@every '.length));
      const all = (b: Bounds): Set<number> => parseField('*', b).values;
      return { minutes: all(MINUTES), hours: all(HOURS), daysOfMonth: all(DAYS_OF_MONTH), months: all(MONTHS), daysOfWeek: all(DAYS_OF_WEEK), daysOfMonthStar: true, daysOfWeekStar: true, everyMs };
    }
    const expanded = DESCRIPTORS[spec];
    if (!expanded) throw new CronParseError(`unrecognized descriptor: ${spec}`);
    spec = expanded;
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: ${goList(fields)}`);
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  const minutes = parseField(minute, MINUTES);
  const hours = parseField(hour, HOURS);
  const daysOfMonth = parseField(dom, DAYS_OF_MONTH);
  const months = parseField(month, MONTHS);
  const daysOfWeek = parseField(dow, DAYS_OF_WEEK);
  return {
    minutes: minutes.values,
    hours: hours.values,
    daysOfMonth: daysOfMonth.values,
    months: months.values,
    daysOfWeek: daysOfWeek.values,
    daysOfMonthStar: daysOfMonth.star,
    daysOfWeekStar: daysOfWeek.star,
  };
}

/** Whether the IANA time zone database (as Node's Intl knows it) has `zone`. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
