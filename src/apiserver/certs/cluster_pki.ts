/**
 * The API server's certificates on disk, in `<data-dir>/tls/` (names as kubeadm uses them):
 *
 *   ca.crt, ca.key                 the cluster CA; made once, never replaced by kts
 *   apiserver.crt, apiserver.key   the serving certificate for port 6443
 *   admin.crt, admin.key           the admin client certificate: CN system:admin, O system:masters
 *                                  (k3s's names; kubeadm's super-admin is also in system:masters)
 *
 * ensureClusterPki() is called by `kts server` at every start: it makes what is missing and
 * reuses the rest. A leaf certificate is made anew when it is not signed by the CA, does not match
 * its key, expires within RENEW_BEFORE_MS, or (serving) lacks one of today's SANs: hosts gain
 * addresses, and users add `--tls-san`. Keys are written with mode 0600, atomically.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { apiServerSans, coversSans, hostAddresses, type SubjectAltNames } from './apiserver_sans.js';
import {
  createCertificateAuthority,
  issueClientCertificate,
  issueServingCertificate,
  type CertificateAuthority,
} from './certificate_authority.js';
import { PRIVATE_FILE_MODE, PUBLIC_FILE_MODE, writeFileAtomic } from './write_file_atomic.js';
import { inspectCertificate, isIssuedBy, keyMatchesCertificate, type CertificateAndKey, type CertificateInfo } from './x509.js';

/** Leaf certificates are renewed when they expire within 90 days, as k3s does. */
export const RENEW_BEFORE_MS = 90 * 24 * 60 * 60 * 1000;

export const DEFAULT_SERVICE_IP = '10.96.0.1';
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** The admin user: k3s's client-admin certificate. */
export const ADMIN_USER = { commonName: 'system:admin', organizations: ['system:masters'] } as const;

export interface ClusterPkiOptions {
  /** The server's data dir; files go to `<dataDir>/tls/`. */
  dataDir: string;
  /** ClusterIP of the `kubernetes` Service; default 10.96.0.1. */
  serviceIP?: string;
  /** Default cluster.local. */
  clusterDomain?: string;
  /** Extra SANs for the serving certificate (`--tls-san`): IPs or DNS names. */
  extraSans?: readonly string[];
  /** Default os.hostname(); injectable for tests. */
  hostname?: string;
  /** Default: the host's non-loopback addresses (hostAddresses()); injectable for tests. */
  hostAddresses?: readonly string[];
  /** The time certificates are issued at and checked against; default now. */
  now?: Date;
}

/** Where each file lives. */
export interface ClusterPkiPaths {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
}

/** The PKI as the server uses it: PEMs to hand to https.createServer and the kubeconfig. */
export interface ClusterPki {
  ca: CertificateAuthority;
  serving: CertificateAndKey;
  admin: CertificateAndKey;
  /** The SANs the serving certificate was checked (or made) for. */
  servingSans: SubjectAltNames;
  paths: ClusterPkiPaths;
  /** What this call wrote: empty on a start that reused everything. */
  created: Array<'ca' | 'serving' | 'admin'>;
}

export function clusterPkiPaths(dataDir: string): ClusterPkiPaths {
  const dir = path.join(dataDir, 'tls');
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    servingCert: path.join(dir, 'apiserver.crt'),
    servingKey: path.join(dir, 'apiserver.key'),
    adminCert: path.join(dir, 'admin.crt'),
    adminKey: path.join(dir, 'admin.key'),
  };
}

/**
 * Makes or reuses the cluster's CA, serving and admin certificates (see the module comment).
 * Throws, without writing anything, if exactly one of ca.crt/ca.key exists or they do not
 * belong together: replacing a CA would lock out every node and kubeconfig, so a person decides.
 */
export async function ensureClusterPki(options: ClusterPkiOptions): Promise<ClusterPki> {
  const now = options.now ?? new Date();
  const paths = clusterPkiPaths(options.dataDir);
  await fs.mkdir(paths.dir, { recursive: true, mode: 0o755 });
  const created: ClusterPki['created'] = [];

  let ca = await readPair(paths.caCert, paths.caKey);
  if (ca === 'partial') throw new Error(`${paths.caCert} and ${paths.caKey}: one exists without the other; restore both or remove both`);
  if (ca) {
    if (!keyMatchesCertificate(ca.keyPem, ca.certPem)) throw new Error(`${paths.caKey} is not the key of ${paths.caCert}`);
    if (!inspectCertificate(ca.certPem).isCA) throw new Error(`${paths.caCert} is not a CA certificate`);
  } else {
    ca = await createCertificateAuthority(`kts-ca@${Math.floor(now.getTime() / 1000)}`, { now });
    await writePair(paths.caCert, paths.caKey, ca);
    created.push('ca');
  }

  const servingSans = apiServerSans({
    hostname: options.hostname ?? os.hostname(),
    hostAddresses: options.hostAddresses ?? hostAddresses(),
    serviceIP: options.serviceIP ?? DEFAULT_SERVICE_IP,
    clusterDomain: options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
    extra: options.extraSans ?? [],
  });
  let serving = await readPair(paths.servingCert, paths.servingKey);
  if (!usable(serving, ca, now, (info) => coversSans(info, servingSans))) {
    serving = await issueServingCertificate(ca, { commonName: 'kube-apiserver', ...servingSans, now });
    await writePair(paths.servingCert, paths.servingKey, serving);
    created.push('serving');
  }

  let admin = await readPair(paths.adminCert, paths.adminKey);
  const isAdmin = (info: CertificateInfo) =>
    info.commonName === ADMIN_USER.commonName && sameSet(info.organizations, ADMIN_USER.organizations);
  if (!usable(admin, ca, now, isAdmin)) {
    admin = await issueClientCertificate(ca, { ...ADMIN_USER, now });
    await writePair(paths.adminCert, paths.adminKey, admin);
    created.push('admin');
  }

  return { ca, serving, admin, servingSans, paths, created };
}

/** A leaf pair kts can keep: signed by `ca`, key matches, not expiring soon, and `fits`. */
function usable(
  pair: CertificateAndKey | 'partial' | undefined,
  ca: CertificateAuthority,
  now: Date,
  fits: (info: CertificateInfo) => boolean,
): pair is CertificateAndKey {
  if (!pair || pair === 'partial') return false;
  let info: CertificateInfo;
  try {
    info = inspectCertificate(pair.certPem);
  } catch {
    return false;
  }
  return (
    isIssuedBy(pair.certPem, ca.certPem) &&
    keyMatchesCertificate(pair.keyPem, pair.certPem) &&
    info.notBefore.getTime() <= now.getTime() &&
    info.notAfter.getTime() - now.getTime() > RENEW_BEFORE_MS &&
    fits(info)
  );
}

/** Both files, undefined if neither exists, 'partial' if only one does. */
async function readPair(certFile: string, keyFile: string): Promise<CertificateAndKey | 'partial' | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfExists(certFile), readIfExists(keyFile)]);
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined || keyPem === undefined) return 'partial';
  // A key restored from a backup may have lost its mode; a key must never be world-readable.
  await fs.chmod(keyFile, PRIVATE_FILE_MODE);
  return { certPem, keyPem };
}

async function writePair(certFile: string, keyFile: string, pair: CertificateAndKey): Promise<void> {
  // Key first: a crash in between leaves a cert without a matching key, which the next start replaces.
  await writeFileAtomic(keyFile, pair.keyPem, PRIVATE_FILE_MODE);
  await writeFileAtomic(certFile, pair.certPem, PUBLIC_FILE_MODE);
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
