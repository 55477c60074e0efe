/**
 * Field selectors (`?fieldSelector=spec.nodeName=n1,status.phase!=Running`): parsing with
 * apimachinery's escapes (`\,` `\=` `\\`) and messages, the check of which fields a kind
 * supports (with the error kube-apiserver gives), and matching against an object.
 *
 * The API server calls parseFieldSelector on the query parameter, then
 * checkFieldSelector(selector, rt) once per request, then matches each object with
 * fieldSelectorMatches(selector, obj, rt).
 */
import { badRequest } from './errors.js';
import type { KubeObject } from './object.js';
import type { ResourceType } from './registry.js';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '==' | '!=';
  readonly value: string;
}

/** A parsed field selector: the AND of its terms. An empty one selects everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/** Splits on commas that are not escaped. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** The first operator of a term splits it into field, operator and raw value (Go's splitTerm). */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** UnescapeValue; throws a BadRequest on a bad escape or a bare `,` or `=`. */
export function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let escaped = false;
  for (const ch of value) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${ch}`);
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      // Go prints the rune as its number.
      throw badRequest(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    } else {
      out += ch;
    }
  }
  if (escaped) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** EscapeValue: the inverse of unescapeFieldValue. */
export function escapeFieldValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

/** Parses a field selector; throws a BadRequest StatusError worded as Kubernetes words it. */
export function parseFieldSelector(selector: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort()) {
    if (term === '') continue;
    const r = splitTerm(term);
    if (!r) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    requirements.push({ ...r, value: unescapeFieldValue(r.value) });
  }
  return { requirements };
}

/** The selector's string form (terms sorted, values escaped). */
export function formatFieldSelector(selector: FieldSelector): string {
  return selector.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

/**
 * The fields a kind can be selected by. Kinds that declare their own (the core kinds with
 * field label conversions: pods, nodes, events, ...) reject others with `field label not
 * supported: X`, and cluster-scoped ones among them do not offer metadata.namespace; every
 * other kind offers metadata.name and metadata.namespace and words the rejection as
 * `"X" is not a known field selector: only "metadata.name", "metadata.namespace"`.
 */
export function checkFieldSelector(selector: FieldSelector, rt: Pick<ResourceType, 'fieldSelectors' | 'namespaced'>): void {
  for (const { field } of selector.requirements) {
    if (field === 'metadata.name') continue;
    if (rt.fieldSelectors) {
      if (field === 'metadata.namespace' && rt.namespaced) continue;
      if (Object.prototype.hasOwnProperty.call(rt.fieldSelectors, field)) continue;
      throw badRequest(`field label not supported: ${field}`);
    }
    if (field === 'metadata.namespace') continue;
    throw badRequest(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
}

/** An object's value for a selectable field ('' when it has none). */
export function fieldValue(obj: KubeObject, field: string, rt: Pick<ResourceType, 'fieldSelectors'>): string {
  if (field === 'metadata.name') return obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  const get = rt.fieldSelectors?.[field];
  return get ? (get(obj) ?? '') : '';
}

/** Whether an object satisfies every term of the selector. */
export function fieldSelectorMatches(selector: FieldSelector, obj: KubeObject, rt: Pick<ResourceType, 'fieldSelectors'>): boolean {
  return selector.requirements.every((r) => {
    const value = fieldValue(obj, r.field, rt);
    return r.operator === '!=' ? value !== r.value : value === r.value;
  });
}

/**
 * The value a selector demands for `field` with `=` or `==` (as RequiresExactMatch), for
 * narrowing a list (spec.nodeName for a kubelet's pods).
 */
export function fieldRequiresExactMatch(selector: FieldSelector, field: string): string | undefined {
  return selector.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
}
