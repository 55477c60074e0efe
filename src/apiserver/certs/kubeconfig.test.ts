import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { ensureClusterPki } from './cluster_pki.js';
import { adminKubeconfigPath, writeAdminKubeconfig } from './kubeconfig.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-kubeconfig-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface Kubeconfig {
  'current-context': string;
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
}

test('the admin kubeconfig embeds the CA and the admin credentials, mode 0600', async () => {
  const pki = await ensureClusterPki({ dataDir, hostAddresses: [] });
  const file = await writeAdminKubeconfig({
    dataDir,
    port: 6443,
    caCertPem: pki.ca.certPem,
    adminCertPem: pki.admin.certPem,
    adminKeyPem: pki.admin.keyPem,
  });
  assert.equal(file, adminKubeconfigPath(dataDir));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const config = parse(fs.readFileSync(file, 'utf8')) as Kubeconfig;
  const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  assert.equal(config['current-context'], 'kts');
  assert.deepEqual(config.contexts, [{ name: 'kts', context: { cluster: 'kts', user: 'admin' } }]);
  assert.equal(config.clusters[0]?.name, 'kts');
  assert.equal(config.clusters[0]?.cluster.server, 'https://127.0.0.1:6443');
  assert.equal(unb64(config.clusters[0]?.cluster['certificate-authority-data'] ?? ''), pki.ca.certPem);
  assert.equal(config.users[0]?.name, 'admin');
  assert.equal(unb64(config.users[0]?.user['client-certificate-data'] ?? ''), pki.admin.certPem);
  assert.match(unb64(config.users[0]?.user['client-key-data'] ?? ''), /^-----BEGIN PRIVATE KEY-----\n/);
  await assert.rejects(writeAdminKubeconfig({ dataDir, port: 0, caCertPem: '', adminCertPem: '', adminKeyPem: '' }), /not a TCP port/);
});
