/**
 * The `Authorization: Bearer <token>` header, judged by token authenticators in order (static
 * tokens, then service account tokens), as k8s.io/apiserver's bearertoken authenticator does:
 * no header or another scheme is "no credentials"; a bearer token no authenticator accepts is
 * rejected with 401 ("invalid bearer token"), never passed over as anonymous.
 */
import type { IncomingMessage } from 'node:http';
import { StatusError, unauthorized } from '../../api/errors.js';
import type { Authenticator, TokenAuthenticator, UserInfo } from './interfaces.js';

export class BearerTokenAuthenticator implements Authenticator {
  readonly #tokens: readonly TokenAuthenticator[];

  /** `tokens` are asked in order; the first to return a user wins. */
  constructor(tokens: readonly TokenAuthenticator[]) {
    this.#tokens = [...tokens];
  }

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) return undefined;
    const errors: unknown[] = [];
    for (const authenticator of this.#tokens) {
      try {
        const user = await authenticator.authenticateToken(token);
        if (user) return user;
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 0) throw unauthorized('invalid bearer token');
    const cause = errors.length === 1 ? errors[0] : new AggregateError(errors);
    throw new StatusError(unauthorized('invalid bearer token').status, { cause });
  }
}

/** The token of `Bearer <token>` (scheme case-insensitive), or undefined for anything else. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const parts = header.split(' ');
  if (parts.length < 2 || parts[0]?.toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}
