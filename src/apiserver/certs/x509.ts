/**
 * The one module that knows the X.509 library (@peculiar/x509 over Node's WebCrypto): it makes
 * keys and certificates and reads certificates back. Everything else in kts handles PEM strings.
 *
 * New keys are ECDSA P-256 (milliseconds to generate; Go's TLS, hence kubectl, and Node's
 * OpenSSL accept them). Existing keys may also be RSA, so a CA brought by the user can sign.
 * Private keys are written as PKCS#8 ("PRIVATE KEY"), which Go's tls.X509KeyPair reads.
 *
 * Callers: src/apiserver/certs (the cluster PKI) and, later, whatever issues node certificates.
 */
// @peculiar/x509 2.x resolves its parts through tsyringe, which needs the Reflect metadata
// polyfill loaded first; this import must stay above the library's.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import crypto from 'node:crypto';
import net from 'node:net';

x509.cryptoProvider.set(crypto.webcrypto);
const subtle = crypto.webcrypto.subtle;
type CryptoKey = crypto.webcrypto.CryptoKey;
type Algorithm = crypto.webcrypto.Algorithm | crypto.webcrypto.EcdsaParams;

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** What a certificate may be used for; decides key usage, extended key usage and CA flag. */
export type CertificateUsage = 'ca' | 'client' | 'server';

/** A subject: Kubernetes reads the user from CN and the groups from O. */
export interface DistinguishedName {
  commonName: string;
  organizations?: readonly string[];
}

/** What to put in a new certificate. */
export interface CertificateSpec {
  subject: DistinguishedName;
  usage: CertificateUsage;
  notBefore: Date;
  notAfter: Date;
  /** Subject alternative names; only meaningful for 'server' (and allowed for any usage). */
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** A certificate with its private key, both PEM. */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** What kts reads back from a certificate. */
export interface CertificateInfo {
  commonName: string;
  organizations: string[];
  /** Lower-cased. */
  dnsNames: string[];
  /** Canonical text (see canonicalIP). */
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  serialNumber: string;
}

/**
 * Makes a new P-256 key and a certificate for it, signed by `issuer` or, without one,
 * self-signed (a root CA). Throws if the issuer's key cannot sign (unsupported key type).
 */
export async function createCertificate(spec: CertificateSpec, issuer?: CertificateAndKey): Promise<CertificateAndKey> {
  const keys = await subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const subject = distinguishedName(spec.subject);
  let issuerName: x509.JsonName | string = subject;
  let signingKey = keys.privateKey;
  let signingAlgorithm: Algorithm = { ...EC_P256, hash: 'SHA-256' };
  let authorityKeySource: CryptoKey | x509.X509Certificate = keys.publicKey;
  if (issuer) {
    const issuerCert = new x509.X509Certificate(issuer.certPem);
    issuerName = issuerCert.subject;
    ({ key: signingKey, algorithm: signingAlgorithm } = await importSigningKey(issuer.keyPem));
    authorityKeySource = issuerCert;
  }
  const extensions: x509.Extension[] = [
    ...usageExtensions(spec.usage),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await authorityKeyIdentifier(authorityKeySource),
  ];
  const names: x509.JsonGeneralNames = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    issuer: issuerName,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm,
    extensions,
  });
  const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n' };
}

/** Reads the parts of a PEM certificate kts cares about. Throws on malformed PEM/DER. */
export function inspectCertificate(certPem: string): CertificateInfo {
  const cert = new x509.X509Certificate(certPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san ? san.names.toJSON() : [];
  return {
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    organizations: cert.subjectName.getField('O'),
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value.toLowerCase()),
    ipAddresses: names.filter((n) => n.type === 'ip').map((n) => canonicalIP(n.value)),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    isCA: cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    serialNumber: cert.serialNumber,
  };
}

/** True if `certPem` names `caCertPem` as its issuer and carries a valid signature by its key. */
export function isIssuedBy(certPem: string, caCertPem: string): boolean {
  try {
    const cert = new crypto.X509Certificate(certPem);
    const ca = new crypto.X509Certificate(caCertPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** True if the private key belongs to the certificate. */
export function keyMatchesCertificate(keyPem: string, certPem: string): boolean {
  try {
    return new crypto.X509Certificate(certPem).checkPrivateKey(crypto.createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** One text form per IP address (`::1`, not `0:0:0:0:0:0:0:1`), so SAN sets compare. */
export function canonicalIP(ip: string): string {
  if (net.isIPv6(ip)) return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  return ip;
}

function distinguishedName(dn: DistinguishedName): x509.JsonName {
  const name: x509.JsonName = [{ CN: [dn.commonName] }];
  for (const o of dn.organizations ?? []) name.push({ O: [o] });
  return name;
}

function usageExtensions(usage: CertificateUsage): x509.Extension[] {
  const { KeyUsageFlags: K, ExtendedKeyUsage: E } = x509;
  switch (usage) {
    case 'ca':
      return [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(K.keyCertSign | K.cRLSign | K.digitalSignature, true),
      ];
    case 'client':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(K.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([E.clientAuth]),
      ];
    case 'server':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(K.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([E.serverAuth]),
      ];
  }
}

async function authorityKeyIdentifier(source: CryptoKey | x509.X509Certificate): Promise<x509.Extension> {
  if (source instanceof x509.X509Certificate) {
    const ski = source.getExtension(x509.SubjectKeyIdentifierExtension);
    if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId);
    return x509.AuthorityKeyIdentifierExtension.create(source.publicKey);
  }
  return x509.AuthorityKeyIdentifierExtension.create(source);
}

/** A PEM private key (PKCS#1, SEC1 or PKCS#8) as a WebCrypto signing key, with its algorithm. */
async function importSigningKey(keyPem: string): Promise<{ key: CryptoKey; algorithm: Algorithm }> {
  const keyObject = crypto.createPrivateKey(keyPem);
  const der = keyObject.export({ type: 'pkcs8', format: 'der' });
  if (keyObject.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[
      keyObject.asymmetricKeyDetails?.namedCurve ?? ''
    ];
    if (!curve) throw new Error(`unsupported EC curve ${keyObject.asymmetricKeyDetails?.namedCurve} of the signing key`);
    const algorithm = { name: 'ECDSA', namedCurve: curve, hash: curve === 'P-256' ? 'SHA-256' : 'SHA-384' };
    return { key: await subtle.importKey('pkcs8', der, algorithm, false, ['sign']), algorithm };
  }
  if (keyObject.asymmetricKeyType === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { key: await subtle.importKey('pkcs8', der, algorithm, false, ['sign']), algorithm };
  }
  throw new Error(`unsupported signing key type ${keyObject.asymmetricKeyType}: want EC or RSA`);
}

/** 16 random bytes with the top bit clear: a positive serial, as RFC 5280 and Go require. */
function randomSerialNumber(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}
