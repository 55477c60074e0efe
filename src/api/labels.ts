/**
 * Label selectors: the query-string syntax (`app=web,tier!=db,env in (a,b),!legacy`) parsed
 * the way apimachinery's labels.Parse does, with its error messages; matching; conversion from
 * metav1.LabelSelector objects (matchLabels / matchExpressions); and the string forms
 * Kubernetes prints (selector.String(), FormatLabelSelector, FormatLabels).
 *
 * The API server parses `?labelSelector=` with parseLabelSelector (a BadRequest StatusError on
 * bad input); controllers convert spec.selector with selectorFromLabelSelector.
 */
import type { LabelSelector as LabelSelectorObject, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import { badRequest, fieldErrorMessage, type FieldError, type FieldPath } from './errors.js';
import { forbidden, invalidEach, invalidValue, required } from './validation/field.js';
import { isQualifiedName, isValidLabelValue, validateLabelName, validateLabels } from './validation/qualified_name.js';

/** selection.Operator. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

export type Labels = Readonly<Record<string, string>>;

/** One term of a selector: key, operator and (sorted, for in/notin) values. */
export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** The Go rendering of a field error whose path is nil (`<nil>: Invalid value: ...`). */
function renderFieldError(e: FieldError): string {
  return fieldErrorMessage({ ...e, field: e.field || '<nil>' });
}

/** Builds a requirement with NewRequirement's checks; returns the problems instead of throwing. */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement | FieldError[] {
  const errs: FieldError[] = [];
  const keyMsgs = isQualifiedName(key);
  if (keyMsgs.length > 0) errs.push(invalidValue('key', key, keyMsgs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalidValue('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidValue('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalidValue('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalidValue('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!/^[+-]?[0-9]+$/.test(v)) {
          errs.push(invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0) errs.push(invalidValue(`values[${i}][${key}]`, v, msgs.join('; ')));
  });
  return errs.length > 0 ? errs : { key, operator, values };
}

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?[0-9]+$/.test(value!) || r.values.length !== 1) return false;
      const have = BigInt(value!);
      const want = BigInt(r.values[0]!);
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

function requirementString(r: Requirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
  switch (r.operator) {
    case 'in':
      return `${r.key} in (${values})`;
    case 'notin':
      return `${r.key} notin (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

/** A parsed selector: the AND of its requirements, kept sorted by key. Immutable. */
export class Selector {
  private constructor(
    readonly requirements: readonly Requirement[],
    /** True for the selector that matches nothing (a nil metav1.LabelSelector). */
    private readonly nothing = false,
  ) {}

  private static readonly EVERYTHING = new Selector([]);
  private static readonly NOTHING = new Selector([], true);

  static everything(): Selector {
    return Selector.EVERYTHING;
  }

  static nothing(): Selector {
    return Selector.NOTHING;
  }

  static of(requirements: readonly Requirement[]): Selector {
    return new Selector([...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  matches(labels: Labels | undefined): boolean {
    if (this.nothing) return false;
    const ls = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, ls));
  }

  /** True when the selector does not restrict anything. */
  empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  /** The value a selector demands for `key` (`key=v` or `key in (v)`), for index lookups. */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((req) => req.key === key);
    if (!r || !['=', '==', 'in'].includes(r.operator) || r.values.length !== 1) return undefined;
    return r.values[0];
  }

  /** selector.String(): requirements joined by commas; `''` for everything and nothing. */
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

// ---- the query-string syntax: lexer and parser, following labels.Parse ----

type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

const LITERAL_TOKENS: ReadonlyMap<string, Token> = new Map<string, Token>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);

interface Scanned {
  token: Token;
  literal: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch);

function lex(input: string): Scanned[] {
  const items: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos]!)) pos++;
    if (pos >= input.length) {
      items.push({ token: 'end', literal: '' });
      return items;
    }
    if (isSpecialSymbol(input[pos]!)) {
      // The longest run of symbols that is still an operator.
      let buffer = '';
      let last: Scanned | undefined;
      while (pos < input.length && isSpecialSymbol(input[pos]!)) {
        buffer += input[pos];
        const token = LITERAL_TOKENS.get(buffer);
        if (token) {
          last = { token, literal: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { token: 'error', literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    const start = pos;
    while (pos < input.length && !isSpecialSymbol(input[pos]!) && !isWhitespace(input[pos]!)) pos++;
    const word = input.slice(start, pos);
    const keyword = LITERAL_TOKENS.get(word);
    items.push({ token: keyword ?? 'identifier', literal: word });
  }
}

class ParseError extends Error {}

/** The recursive-descent parser of labels.Parse; `in` and `notin` are identifiers where values are expected. */
class Parser {
  private position = 0;

  constructor(private readonly items: Scanned[]) {}

  private peek(values: boolean): Scanned {
    const item = this.items[Math.min(this.position, this.items.length - 1)]!;
    return values && (item.token === 'in' || item.token === 'notin') ? { token: 'identifier', literal: item.literal } : item;
  }

  private next(values: boolean): Scanned {
    const item = this.peek(values);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { token, literal } = this.peek(true);
      if (token === 'end') return requirements;
      if (token !== 'identifier' && token !== '!') {
        throw new ParseError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.parseRequirement());
      const after = this.next(true);
      if (after.token === 'end') return requirements;
      if (after.token !== ',') throw new ParseError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.peek(true);
      if (following.token !== 'identifier' && following.token !== '!') {
        throw new ParseError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    try {
      return this.parseRequirementUnwrapped();
    } catch (err) {
      if (err instanceof ParseError) throw new ParseError(`unable to parse requirement: ${err.message}`);
      throw err;
    }
  }

  private parseRequirementUnwrapped(): Requirement {
    let operator: Operator | undefined;
    let item = this.next(true);
    if (item.token === '!') {
      operator = '!';
      item = this.next(true);
    }
    if (item.token !== 'identifier') throw new ParseError(`found '${item.literal}', expected: identifier`);
    const key = item.literal;
    const keyMsgs = isQualifiedName(key);
    if (keyMsgs.length > 0) throw new ParseError(renderFieldError(invalidValue('', key, keyMsgs.join('; '))));
    const following = this.peek(true).token;
    if (following === 'end' || following === ',') operator ??= 'exists';
    if (operator === 'exists' || operator === '!') return this.build(key, operator, []);

    const op = this.next(false);
    switch (op.token) {
      case 'in':
      case 'notin':
        return this.build(key, op.token, this.parseValues());
      case '=':
      case '==':
      case '!=':
        return this.build(key, op.token, this.parseExactValue());
      case '>':
        return this.build(key, 'gt', this.parseExactValue());
      case '<':
        return this.build(key, 'lt', this.parseExactValue());
      default:
        throw new ParseError(`found '${op.literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private build(key: string, operator: Operator, values: string[]): Requirement {
    const result = newRequirement(key, operator, values);
    if (!Array.isArray(result)) return result;
    const messages = result.map(renderFieldError);
    throw new ParseError(messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`);
  }

  /** `(a,b,,c)`: a sorted set, where empty entries stand for the empty value. */
  private parseValues(): string[] {
    const open = this.next(true);
    if (open.token !== '(') throw new ParseError(`found '${open.literal}' expected: '('`);
    const first = this.peek(true);
    if (first.token === ')') {
      this.next(true);
      return [''];
    }
    if (first.token !== 'identifier' && first.token !== ',') {
      throw new ParseError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    for (;;) {
      const item = this.next(true);
      if (item.token === 'identifier') {
        values.add(item.literal);
        const after = this.peek(true);
        if (after.token === ',') continue;
        if (after.token === ')') break;
        throw new ParseError(`found '${after.literal}', expected: ',' or ')'`);
      } else if (item.token === ',') {
        if (values.size === 0) values.add('');
        const after = this.peek(true);
        if (after.token === ')') {
          values.add('');
          break;
        }
        if (after.token === ',') values.add('');
      } else {
        throw new ParseError(`found '${item.literal}', expected: ',', or identifier`);
      }
    }
    const close = this.next(true);
    if (close.token !== ')') throw new ParseError(`found '${first.literal}', expected: ')'`);
    return [...values].sort();
  }

  private parseExactValue(): string[] {
    const ahead = this.peek(true);
    if (ahead.token === 'end' || ahead.token === ',') return [''];
    const item = this.next(true);
    if (item.token === 'identifier') return [item.literal];
    throw new ParseError(`found '${item.literal}', expected: identifier`);
  }
}

/**
 * Parses a label selector in the query-string syntax. An empty string selects everything.
 * Throws a BadRequest StatusError worded as kube-apiserver words it.
 */
export function parseLabelSelector(input: string): Selector {
  try {
    return Selector.of(new Parser(lex(input)).parse());
  } catch (err) {
    if (err instanceof ParseError) throw badRequest(err.message);
    throw err;
  }
}

/** SelectorFromSet: `k=v` for every entry (no validation); empty or absent selects everything. */
export function selectorFromSet(set: Labels | undefined): Selector {
  return Selector.of(Object.entries(set ?? {}).map(([key, value]) => ({ key, operator: '=' as const, values: [value] })));
}

const EXPRESSION_OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * LabelSelectorAsSelector: an absent selector matches nothing, an empty one everything. Throws
 * an Error (not a StatusError: callers decide) on an invalid selector.
 */
export function selectorFromLabelSelector(sel: LabelSelectorObject | null | undefined): Selector {
  if (!sel) return Selector.nothing();
  const matchLabels = Object.entries(sel.matchLabels ?? {});
  const expressions = sel.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return Selector.everything();
  const requirements: Requirement[] = [];
  const add = (key: string, op: Operator, values: readonly string[]): void => {
    const r = newRequirement(key, op, values);
    if (Array.isArray(r)) {
      const messages = r.map(renderFieldError);
      throw new Error(messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`);
    }
    requirements.push(r);
  };
  for (const [key, value] of matchLabels) add(key, '=', [value]);
  for (const expr of expressions) {
    const op = EXPRESSION_OPERATORS[expr.operator];
    if (!op) throw new Error(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    add(expr.key, op, [...(expr.values ?? [])]);
  }
  return Selector.of(requirements);
}

/** FormatLabelSelector: the selector's string, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelectorObject | null | undefined): string {
  let text: string;
  try {
    text = selectorFromLabelSelector(sel).toString();
  } catch {
    return '<error>';
  }
  return text.length === 0 ? '<none>' : text;
}

/** labels.FormatLabels: `k=v` pairs sorted by key and joined by commas, `<none>` when empty. */
export function formatLabels(labels: Labels | undefined): string {
  const text = selectorFromSet(labels).toString();
  return text.length === 0 ? '<none>' : text;
}

/**
 * The metav1.LabelSelector equivalent of a selector, when it has one (SelectorToLabelSelector
 * has no `!=`, `gt` or `lt`): `=`/`==` become matchLabels, the rest matchExpressions.
 */
export function labelSelectorFromSelector(selector: Selector): LabelSelectorObject {
  const out: LabelSelectorObject = {};
  const ops: Partial<Record<Operator, string>> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
  for (const r of selector.requirements) {
    if (r.operator === '=' || r.operator === '==') {
      (out.matchLabels ??= {})[r.key] = r.values[0] ?? '';
      continue;
    }
    const operator = ops[r.operator];
    if (!operator) throw new Error(`operator ${JSON.stringify(r.operator)} cannot be converted into the old label selector format`);
    const expr: LabelSelectorRequirement = { key: r.key, operator };
    if (r.values.length > 0) expr.values = [...r.values];
    (out.matchExpressions ??= []).push(expr);
  }
  return out;
}

/** ValidateLabelSelector (metav1 validation) of a selector object at `path`. */
export function validateLabelSelector(sel: LabelSelectorObject | null | undefined, path: FieldPath): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = [...validateLabels(sel.matchLabels, path.child('matchLabels'))];
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = path.child('matchExpressions').index(i);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        break;
      default:
        errs.push(invalidValue(p.child('operator'), expr.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key, p.child('key')));
    values.forEach((v, j) => errs.push(...invalidEach(p.child('values').index(j), v, isValidLabelValue(v))));
  });
  return errs;
}
