/**
 * Who is asking: the user a request authenticates as (Kubernetes' user.Info) and the two seams
 * that find it, as in k8s.io/apiserver's authenticator package. A request authenticator looks at
 * the whole request (the TLS client certificate, the Authorization header); a token
 * authenticator only judges a bearer token's value (static tokens, service account JWTs).
 *
 * Contract for both, on every call:
 *   - a user:       the credentials are valid; this is who presented them;
 *   - undefined:    no credentials of this kind were presented (or, for a token authenticator,
 *                   the token is not one of its kind), so another authenticator may try;
 *   - a rejection:  credentials of this kind were presented and are invalid (a certificate from
 *                   another CA, an expired JWT); the rejection is a StatusError 401 Unauthorized
 *                   whose message says why, for the log — the server answers a plain 401.
 * Authenticators never decide about anonymous access; the server does (health endpoints).
 */
import type { IncomingMessage } from 'node:http';

/** The authenticated user (user.Info). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Finds the user of a request from what it carries. See the module comment for the contract. */
export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

/** Judges a bearer token. See the module comment for the contract. */
export interface TokenAuthenticator {
  authenticateToken(token: string): Promise<UserInfo | undefined>;
}

/** Every authenticated user is in this group (added by the union authenticator). */
export const ALL_AUTHENTICATED = 'system:authenticated';
/** Members bypass authorization entirely (the admin certificate's group). */
export const SYSTEM_MASTERS = 'system:masters';
/** Kubelets: CN `system:node:<nodeName>`, O `system:nodes`. */
export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';

/** The user of a request without credentials, when the server lets one through (a fresh copy). */
export function anonymousUser(): UserInfo {
  return { username: 'system:anonymous', groups: ['system:unauthenticated'] };
}
