/**
 * The small JSONPath subset CRD printer columns use (client-go's jsonpath for "simple" paths):
 * fields (`.spec.replicas`, `['a.b']`), indexes (`[0]`, `[-1]`), wildcards (`[*]`, `.*`) and
 * equality filters (`[?(@.type=="Ready")]`, `!=`, or a bare `[?(@.x)]` for presence).
 * Optionally wrapped in `{...}`. Parsed once per column; evaluation is allocation-light.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: Step[]; op: '==' | '!=' | 'exists'; literal?: unknown };

/** A parsed path: call it on an object for every value it reaches, in document order. */
export interface JsonPath {
  readonly source: string;
  readonly find: (value: unknown) => unknown[];
}

/** Parses a simple JSONPath; throws an Error saying what is wrong. */
export function parseJsonPath(source: string): JsonPath {
  let text = source.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (!text.startsWith('.') && !text.startsWith('[')) throw new Error(`must be a simple json path starting with .`);
  const steps = parseSteps(text, 0, text.length);
  return { source, find: (value) => evaluate(steps, [value]) };
}

function parseSteps(text: string, start: number, end: number): Step[] {
  const steps: Step[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '*') {
        steps.push({ kind: 'all' });
        i++;
        continue;
      }
      let j = i;
      while (j < end && text[j] !== '.' && text[j] !== '[') j++;
      if (j === i) {
        if (i >= end) break; // a trailing '.' (as in `.`) names the value itself
        throw new Error(`invalid path at ${i}: empty field name`);
      }
      steps.push({ kind: 'field', name: text.slice(i, j) });
      i = j;
    } else if (c === '[') {
      const close = matchingBracket(text, i, end);
      steps.push(parseBracket(text.slice(i + 1, close).trim()));
      i = close + 1;
    } else {
      throw new Error(`invalid path at ${i}: unexpected ${JSON.stringify(c)}`);
    }
  }
  return steps;
}

function matchingBracket(text: string, open: number, end: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new Error(`unclosed [ at ${open}`);
}

function parseBracket(inner: string): Step {
  if (inner === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2] as string };
  const filter = /^\?\(\s*@(\S*?)\s*(?:(==|!=)\s*(.+?))?\s*\)$/.exec(inner);
  if (!filter) throw new Error(`unsupported expression [${inner}]`);
  const path = filter[1] ? parseSteps(filter[1], 0, filter[1].length) : [];
  if (!filter[2]) return { kind: 'filter', path, op: 'exists' };
  return { kind: 'filter', path, op: filter[2] as '==' | '!=', literal: parseLiteral(filter[3] as string) };
}

function parseLiteral(text: string): unknown {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return quoted[2];
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'nil' || text === 'null') return null;
  const n = Number(text);
  if (!Number.isNaN(n)) return n;
  throw new Error(`unsupported literal ${text}`);
}

function evaluate(steps: readonly Step[], start: unknown[]): unknown[] {
  let current = start;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      switch (step.kind) {
        case 'field':
          if (!Array.isArray(value) && Object.hasOwn(value, step.name)) next.push((value as Record<string, unknown>)[step.name]);
          break;
        case 'index':
          if (Array.isArray(value)) {
            const i = step.index < 0 ? value.length + step.index : step.index;
            if (i >= 0 && i < value.length) next.push(value[i]);
          }
          break;
        case 'all':
          next.push(...children(value));
          break;
        case 'filter':
          for (const item of children(value)) {
            if (filterMatches(step, item)) next.push(item);
          }
          break;
      }
    }
    current = next;
  }
  return current;
}

/** The elements of an array, or the values of an object. */
function children(value: object): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : Object.values(value as Record<string, unknown>);
}

function filterMatches(step: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  const found = evaluate(step.path, [item]);
  if (step.op === 'exists') return found.length > 0;
  const equal = found.length > 0 && found[0] === step.literal;
  return step.op === '==' ? equal : !equal;
}
