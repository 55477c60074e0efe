/**
 * A raw HTTPS client for a kts server, authenticated with the admin kubeconfig's client
 * certificate, for tests that need to send exactly the bytes they choose.
 */
import fs from 'node:fs';
import https from 'node:https';
import { parse as parseYaml } from 'yaml';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawClient {
  request(method: string, path: string, body?: string | Buffer, headers?: Record<string, string>): Promise<RawAnswer>;
  close(): void;
}

export function rawClient(kubeconfig: string, port: number): RawClient {
  const config = parseYaml(fs.readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const b64 = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64');
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 16,
    ca: b64(config.clusters[0]?.cluster['certificate-authority-data']),
    cert: b64(config.users[0]?.user['client-certificate-data']),
    key: b64(config.users[0]?.user['client-key-data']),
  });
  return {
    request: (method, path, body, headers = {}) =>
      new Promise((resolve, reject) => {
        const length = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
        const req = https.request({ host: '127.0.0.1', port, method, path, agent, headers: { ...length, ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
