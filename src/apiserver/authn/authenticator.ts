/**
 * The API server's authenticator, assembled from the table of methods kts supports, tried in
 * kube-apiserver's order: client certificates, then bearer tokens (static tokens and the
 * server's join token, then service account tokens). The server calls authenticate() on every
 * request; see interfaces.ts for what the answers mean. Anonymous access is the server's call.
 */
import type { Authenticator, TokenAuthenticator } from './interfaces.js';
import { BearerTokenAuthenticator } from './bearer_token.js';
import { StaticTokenAuthenticator, type StaticToken } from './token_file.js';
import { UnionAuthenticator } from './union.js';
import { X509Authenticator } from './x509.js';

export interface AuthenticatorOptions {
  /** The cluster CA: client certificates it signed authenticate as CN, groups O. */
  caCertPem: string;
  /** Static bearer tokens (`<data-dir>/tokens`, see token_file.ts). */
  tokens?: readonly StaticToken[];
  /** More token authenticators tried after the static tokens: the join token (server_token.ts). */
  tokenAuthenticators?: readonly TokenAuthenticator[];
  /** Service account tokens (JWTs signed by the service account key); tried last. */
  serviceAccountTokens?: TokenAuthenticator;
}

/** Builds the union authenticator. Throws if caCertPem does not parse. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const tokenAuthenticators: TokenAuthenticator[] = [
    ...(options.tokens?.length ? [new StaticTokenAuthenticator(options.tokens)] : []),
    ...(options.tokenAuthenticators ?? []),
    ...(options.serviceAccountTokens ? [options.serviceAccountTokens] : []),
  ];
  // The bearer authenticator stays even with no tokens: an unknown token is a 401, not anonymous.
  return new UnionAuthenticator([
    new X509Authenticator({ caCertPem: options.caCertPem }),
    new BearerTokenAuthenticator(tokenAuthenticators),
  ]);
}
