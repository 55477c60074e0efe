/**
 * List continue tokens: opaque to clients, they carry the revision the first page was read at
 * and the key (relative to the list's prefix) of the last item returned, as kube-apiserver's
 * tokens do (base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"..."}).
 */
import { badRequest } from '../api/errors.js';

const VERSION = 'meta.k8s.io/v1';

export function encodeContinue(resourceVersion: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: VERSION, rv: resourceVersion, start: lastKey })).toString('base64url');
}

export function decodeContinue(token: string): { resourceVersion: number; start: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or JSON');
  }
  const { v, rv, start } = (parsed ?? {}) as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== VERSION) throw badRequest(`continue key is not valid: server does not recognize this encoded key version ${JSON.stringify(v)}`);
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof start !== 'string' || start === '' || start.includes('..') || start.startsWith('/')) {
    throw badRequest('continue key is not valid: the encoded start key is invalid');
  }
  return { resourceVersion: rv, start };
}
