/**
 * Client certificate authentication, as kube-apiserver's x509 authenticator: a certificate
 * signed by the cluster CA names the user in its CN and the groups in its O entries.
 *
 * The HTTPS server must request certificates without failing the handshake
 * (`requestCert: true, rejectUnauthorized: false, ca: <cluster CA>`), so requests without
 * one can still present a token. OpenSSL then has verified the chain, dates and purpose
 * (`socket.authorized`); this module also checks that the certificate was issued by *this* CA,
 * so the server may trust more CAs in `ca` (say, a front proxy's) without them minting users.
 * The result is cached per TLS connection: a connection has one peer certificate.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { unauthorized } from '../../api/errors.js';
import type { Authenticator, UserInfo } from './interfaces.js';

const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/** A user, or the error that rejected the certificate, or null: no certificate / no CN. */
type Outcome = UserInfo | Error | null;

export class X509Authenticator implements Authenticator {
  readonly #ca: crypto.X509Certificate;
  readonly #cache = new WeakMap<object, Outcome>();

  /** `caCertPem`: the CA whose client certificates name users. Throws if it does not parse. */
  constructor(options: { caCertPem: string }) {
    this.#ca = new crypto.X509Certificate(options.caCertPem);
  }

  authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const socket = req.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== 'function') return Promise.resolve(undefined);
    let outcome = this.#cache.get(socket);
    if (outcome === undefined) {
      outcome = this.#judge(socket as TLSSocket);
      this.#cache.set(socket, outcome);
    }
    if (outcome instanceof Error) return Promise.reject(outcome);
    return Promise.resolve(outcome ? copyUser(outcome) : undefined);
  }

  #judge(socket: TLSSocket): Outcome {
    const peer: PeerCertificate | null = socket.getPeerCertificate(false);
    if (!peer?.raw) return null;
    if (!socket.authorized) {
      return unauthorized(`x509: client certificate ${describe(peer)} rejected: ${String(socket.authorizationError)}`);
    }
    const cert = new crypto.X509Certificate(peer.raw);
    if (!cert.checkIssued(this.#ca) || !cert.verify(this.#ca.publicKey)) {
      return unauthorized(`x509: client certificate ${describe(peer)} is not issued by the cluster CA`);
    }
    // As Go's x509 verification: without an extended key usage extension, any use is allowed.
    if (cert.keyUsage !== undefined && !cert.keyUsage.includes(CLIENT_AUTH_OID)) {
      return unauthorized(`x509: certificate ${describe(peer)} is not for client authentication`);
    }
    const username = first(peer.subject?.CN);
    if (!username) return null;
    return { username, groups: all(peer.subject?.O) };
  }
}

function copyUser(user: UserInfo): UserInfo {
  return { ...user, groups: [...user.groups] };
}

// Node gives a repeated attribute (O=a, O=b) as an array.
function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describe(peer: PeerCertificate): string {
  return `CN=${JSON.stringify(first(peer.subject?.CN) ?? '')} (serial ${peer.serialNumber})`;
}
