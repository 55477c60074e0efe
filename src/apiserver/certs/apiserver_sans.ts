/**
 * The names the API server's serving certificate must carry: every way a client reaches it.
 * Loopback (kubectl on the host), the host's name and addresses (agents and remote kubectl),
 * the `kubernetes` Service's ClusterIP and DNS names (pods), and whatever the user adds
 * (`--tls-san`: a load balancer, a public name). Pure, except hostAddresses() which reads
 * the machine's interfaces.
 */
import net from 'node:net';
import os from 'node:os';
import { canonicalIP } from './x509.js';

/** What the SAN list is computed from. */
export interface ApiServerSanInputs {
  /** The host's name (os.hostname()). */
  hostname: string;
  /** The host's non-loopback addresses (hostAddresses()). */
  hostAddresses: readonly string[];
  /** ClusterIP of the `kubernetes` Service (10.96.0.1). */
  serviceIP: string;
  /** Cluster DNS domain (cluster.local). */
  clusterDomain: string;
  /** Extra names or IPs (each is an IP if net.isIP says so, else a DNS name). */
  extra?: readonly string[];
}

/** Subject alternative names, deduplicated, DNS names lower-cased, IPs canonical. */
export interface SubjectAltNames {
  dnsNames: string[];
  ipAddresses: string[];
}

/** The SANs of the API server's certificate. Throws if serviceIP is not an IP address. */
export function apiServerSans(inputs: ApiServerSanInputs): SubjectAltNames {
  if (!net.isIP(inputs.serviceIP)) throw new Error(`service IP ${JSON.stringify(inputs.serviceIP)} is not an IP address`);
  const domain = inputs.clusterDomain.replace(/^\.+|\.+$/g, '');
  const names = [
    'localhost',
    '127.0.0.1',
    '::1',
    inputs.hostname,
    ...inputs.hostAddresses,
    inputs.serviceIP,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${domain}`,
    ...(inputs.extra ?? []),
  ];
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    if (net.isIP(name)) ips.add(canonicalIP(name));
    else dns.add(name.toLowerCase());
  }
  return { dnsNames: [...dns], ipAddresses: [...ips] };
}

/**
 * Every address of the host's interfaces except loopback and IPv6 link-local (fe80::/10, which
 * needs a zone to be dialled and so never appears in a URL a client uses).
 */
export function hostAddresses(interfaces = os.networkInterfaces()): string[] {
  const out: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const addr of list ?? []) {
      if (addr.internal) continue;
      if (addr.family === 'IPv6' && /^fe[89ab]/i.test(addr.address)) continue;
      out.push(addr.address);
    }
  }
  return out;
}

/** True if `have` carries every name of `want` (extra names in `have` are harmless). */
export function coversSans(have: SubjectAltNames, want: SubjectAltNames): boolean {
  const dns = new Set(have.dnsNames.map((n) => n.toLowerCase()));
  const ips = new Set(have.ipAddresses.map(canonicalIP));
  return want.dnsNames.every((n) => dns.has(n.toLowerCase())) && want.ipAddresses.every((ip) => ips.has(canonicalIP(ip)));
}
