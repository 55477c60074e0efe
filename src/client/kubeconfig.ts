/** Reads a kubeconfig's current context into a ClientConfig (embedded data or files). */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ClientConfig } from './api_client.js';

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string } }[];
  users?: {
    name: string;
    user: {
      'client-certificate-data'?: string;
      'client-key-data'?: string;
      'client-certificate'?: string;
      'client-key'?: string;
      token?: string;
    };
  }[];
}

export function clientConfigFromKubeconfig(file: string): ClientConfig {
  const config = parseYaml(fs.readFileSync(file, 'utf8')) as Kubeconfig;
  const context = config.contexts?.find((c) => c.name === config['current-context'])?.context;
  const cluster = config.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context?.user)?.user;
  if (!cluster || !user) throw new Error(`kubeconfig ${file}: its current context names no cluster or user`);
  const dir = path.dirname(file);
  const pem = (data: string | undefined, ref: string | undefined): string | undefined =>
    data ? Buffer.from(data, 'base64').toString('utf8') : ref ? fs.readFileSync(path.resolve(dir, ref), 'utf8') : undefined;
  return {
    server: cluster.server,
    ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority']) ?? '',
    cert: pem(user['client-certificate-data'], user['client-certificate']),
    key: pem(user['client-key-data'], user['client-key']),
    token: user.token,
  };
}
