/**
 * The admin kubeconfig, `<data-dir>/kubeconfig.yaml`: what `kubectl --kubeconfig` (and
 * KUBECONFIG=) reads to reach the cluster as system:admin. Everything is embedded (`*-data`,
 * base64 PEM), so the file can be copied to another machine as it is.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { PRIVATE_FILE_MODE, writeFileAtomic } from './write_file_atomic.js';

/** The names inside the file: cluster `kts`, user `admin`, context `kts`. */
export const KUBECONFIG_CLUSTER = 'kts';
export const KUBECONFIG_USER = 'admin';
export const KUBECONFIG_CONTEXT = 'kts';

export interface KubeconfigOptions {
  /** https://127.0.0.1:6443 */
  server: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

/** The kubeconfig (clientcmd v1 Config) as YAML text. */
export function buildKubeconfig(options: KubeconfigOptions): string {
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: KUBECONFIG_CLUSTER, cluster: { server: options.server, 'certificate-authority-data': b64(options.caCertPem) } }],
    users: [
      {
        name: KUBECONFIG_USER,
        user: { 'client-certificate-data': b64(options.clientCertPem), 'client-key-data': b64(options.clientKeyPem) },
      },
    ],
    contexts: [{ name: KUBECONFIG_CONTEXT, context: { cluster: KUBECONFIG_CLUSTER, user: KUBECONFIG_USER } }],
    'current-context': KUBECONFIG_CONTEXT,
    preferences: {},
  };
  return stringify(config, { lineWidth: 0 });
}

/** Where `kts server` writes the admin kubeconfig. */
export function adminKubeconfigPath(dataDir: string): string {
  return path.join(dataDir, 'kubeconfig.yaml');
}

/**
 * Writes the admin kubeconfig for the API server at `https://127.0.0.1:<port>` (mode 0600,
 * atomically, replacing an older one) and returns its path. The data dir must exist.
 */
export async function writeAdminKubeconfig(options: {
  dataDir: string;
  port: number;
  caCertPem: string;
  adminCertPem: string;
  adminKeyPem: string;
}): Promise<string> {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new Error(`kubeconfig: port ${options.port} is not a TCP port`);
  }
  const file = adminKubeconfigPath(options.dataDir);
  const text = buildKubeconfig({
    server: `https://127.0.0.1:${options.port}`,
    caCertPem: options.caCertPem,
    clientCertPem: options.adminCertPem,
    clientKeyPem: options.adminKeyPem,
  });
  await writeFileAtomic(file, text, PRIVATE_FILE_MODE);
  return file;
}
