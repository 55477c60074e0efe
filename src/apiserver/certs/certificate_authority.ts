/**
 * The cluster CA and the certificates it signs: a client certificate names a user (CN) and its
 * groups (O), as the API server's x509 authenticator reads them; a serving certificate names
 * the DNS names and IPs a component answers on. Validity follows kubeadm and k3s: ten years
 * for the CA, one year for what it signs (renewed by the owner when it nears expiry).
 *
 * Callers: cluster_pki.ts for the API server's own files; later the node join (kubelet client
 * certificates `system:node:<name>` in `system:nodes`) and kubelet serving certificates.
 */
import { createCertificate, type CertificateAndKey } from './x509.js';

/** The CA's certificate and private key, PEM. Whoever holds the key can mint any user. */
export type CertificateAuthority = CertificateAndKey;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Ten years, as kubeadm and k3s make their CAs. */
export const CA_VALIDITY_MS = 3650 * DAY_MS;
/** One year, as kubeadm and k3s make leaf certificates. */
export const LEAF_VALIDITY_MS = 365 * DAY_MS;
/** Certificates start this much before `now`, so a node whose clock lags a little accepts them. */
export const BACKDATE_MS = 5 * 60 * 1000;

/** Options shared by everything issued here. */
export interface IssueTimes {
  /** Defaults to the current time. */
  now?: Date;
  /** Defaults to LEAF_VALIDITY_MS (CA_VALIDITY_MS for a CA). */
  validityMs?: number;
}

/** Creates a self-signed CA named `commonName` (kts uses `kts-ca@<unix seconds>`, as k3s does). */
export async function createCertificateAuthority(commonName: string, times: IssueTimes = {}): Promise<CertificateAuthority> {
  return createCertificate({ subject: { commonName }, usage: 'ca', ...validity(times, CA_VALIDITY_MS) });
}

/** What a client certificate says about its holder. */
export interface ClientCertificateRequest extends IssueTimes {
  /** The user name: `system:admin`, `system:node:<nodeName>`, `system:kube-scheduler`. */
  commonName: string;
  /** The user's groups: `system:masters`, `system:nodes`. */
  organizations?: readonly string[];
}

/** Issues a client-auth certificate signed by `ca`; the key is new. Throws if commonName is empty. */
export async function issueClientCertificate(ca: CertificateAuthority, request: ClientCertificateRequest): Promise<CertificateAndKey> {
  if (!request.commonName) throw new Error('client certificate: commonName (the user name) must not be empty');
  const subject = { commonName: request.commonName, organizations: request.organizations ?? [] };
  return createCertificate({ subject, usage: 'client', ...validity(request, LEAF_VALIDITY_MS) }, ca);
}

/** Where a server answers. */
export interface ServingCertificateRequest extends IssueTimes {
  commonName: string;
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
}

/** Issues a server-auth certificate signed by `ca`; throws if it would have no SAN (Go ignores CN). */
export async function issueServingCertificate(ca: CertificateAuthority, request: ServingCertificateRequest): Promise<CertificateAndKey> {
  if (request.dnsNames.length + request.ipAddresses.length === 0) {
    throw new Error(`serving certificate ${JSON.stringify(request.commonName)}: needs at least one DNS name or IP address`);
  }
  return createCertificate(
    {
      subject: { commonName: request.commonName },
      usage: 'server',
      dnsNames: request.dnsNames,
      ipAddresses: request.ipAddresses,
      ...validity(request, LEAF_VALIDITY_MS),
    },
    ca,
  );
}

function validity(times: IssueTimes, defaultMs: number): { notBefore: Date; notAfter: Date } {
  const now = times.now ?? new Date();
  const ms = times.validityMs ?? defaultMs;
  if (!(ms > 0)) throw new Error(`certificate validity must be positive, got ${ms} ms`);
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + ms) };
}
