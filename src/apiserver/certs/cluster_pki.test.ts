import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { apiServerSans, coversSans, hostAddresses } from './apiserver_sans.js';
import { createCertificateAuthority, issueClientCertificate, issueServingCertificate } from './certificate_authority.js';
import { clusterPkiPaths, ensureClusterPki, type ClusterPkiOptions } from './cluster_pki.js';
import { canonicalIP, inspectCertificate, isIssuedBy, keyMatchesCertificate } from './x509.js';

const DAY = 24 * 60 * 60 * 1000;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-pki-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

let n = 0;
function options(extra: Partial<ClusterPkiOptions> = {}): ClusterPkiOptions {
  return { dataDir: path.join(tmpRoot, `d${n++}`), hostname: 'Node-1', hostAddresses: ['192.168.1.10', 'fd00::10'], ...extra };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('ensureClusterPki', () => {
  test('first start makes the CA, serving and admin certificates with private keys 0600', async () => {
    const opts = options();
    const pki = await ensureClusterPki(opts);
    assert.deepEqual(pki.created, ['ca', 'serving', 'admin']);
    const paths = clusterPkiPaths(opts.dataDir);
    assert.deepEqual(pki.paths, paths);
    for (const key of [paths.caKey, paths.servingKey, paths.adminKey]) assert.equal(mode(key), 0o600, key);
    assert.equal(fs.readFileSync(paths.caCert, 'utf8'), pki.ca.certPem);

    const ca = inspectCertificate(pki.ca.certPem);
    assert.ok(ca.isCA);
    assert.match(ca.commonName, /^kts-ca@\d+$/);
    assert.ok(ca.notAfter.getTime() - Date.now() > 3600 * DAY);

    const serving = inspectCertificate(pki.serving.certPem);
    assert.ok(!serving.isCA);
    assert.ok(isIssuedBy(pki.serving.certPem, pki.ca.certPem));
    assert.ok(keyMatchesCertificate(pki.serving.keyPem, pki.serving.certPem));
    for (const dns of ['localhost', 'node-1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']) {
      assert.ok(serving.dnsNames.includes(dns), dns);
    }
    for (const ip of ['127.0.0.1', '::1', '192.168.1.10', 'fd00::10', '10.96.0.1']) assert.ok(serving.ipAddresses.includes(ip), ip);

    const admin = inspectCertificate(pki.admin.certPem);
    assert.equal(admin.commonName, 'system:admin');
    assert.deepEqual(admin.organizations, ['system:masters']);
    assert.ok(isIssuedBy(pki.admin.certPem, pki.ca.certPem));
  });

  test('a later start reuses every file (and tightens a loosened key mode)', async () => {
    const opts = options();
    const first = await ensureClusterPki(opts);
    fs.chmodSync(first.paths.caKey, 0o644);
    const second = await ensureClusterPki(opts);
    assert.deepEqual(second.created, []);
    assert.equal(mode(first.paths.caKey), 0o600);
    assert.equal(second.ca.certPem, first.ca.certPem);
    assert.equal(second.serving.certPem, first.serving.certPem);
    assert.equal(second.admin.keyPem, first.admin.keyPem);
  });

  test('a new SAN or a service IP/domain change renews the serving certificate, never the CA', async () => {
    const opts = options();
    const first = await ensureClusterPki(opts);
    const withSan = await ensureClusterPki({ ...opts, extraSans: ['lb.example.com', '203.0.113.7'] });
    assert.deepEqual(withSan.created, ['serving']);
    assert.equal(withSan.ca.certPem, first.ca.certPem);
    const info = inspectCertificate(withSan.serving.certPem);
    assert.ok(info.dnsNames.includes('lb.example.com') && info.ipAddresses.includes('203.0.113.7'));

    const moved = await ensureClusterPki({ ...opts, serviceIP: '10.43.0.1', clusterDomain: 'corp.internal' });
    assert.deepEqual(moved.created, ['serving']);
    const movedInfo = inspectCertificate(moved.serving.certPem);
    assert.ok(movedInfo.ipAddresses.includes('10.43.0.1'));
    assert.ok(movedInfo.dnsNames.includes('kubernetes.default.svc.corp.internal'));
    assert.equal(moved.ca.certPem, first.ca.certPem);
  });

  test('leaf certificates expiring within 90 days are renewed; the CA is kept', async () => {
    const opts = options();
    const first = await ensureClusterPki(opts);
    const later = await ensureClusterPki({ ...opts, now: new Date(Date.now() + 300 * DAY) });
    assert.deepEqual(later.created, ['serving', 'admin']);
    assert.equal(later.ca.keyPem, first.ca.keyPem);
    assert.ok(isIssuedBy(later.serving.certPem, first.ca.certPem));
  });

  test('a leaf not signed by the CA, or with a foreign key, is replaced', async () => {
    const opts = options();
    const first = await ensureClusterPki(opts);
    const other = await createCertificateAuthority('other');
    const foreign = await issueClientCertificate(other, { commonName: 'system:admin', organizations: ['system:masters'] });
    fs.writeFileSync(first.paths.adminCert, foreign.certPem);
    fs.writeFileSync(first.paths.adminKey, foreign.keyPem);
    fs.writeFileSync(first.paths.servingKey, first.admin.keyPem);
    const second = await ensureClusterPki(opts);
    assert.deepEqual(second.created, ['serving', 'admin']);
    assert.ok(isIssuedBy(second.admin.certPem, first.ca.certPem));
    assert.ok(keyMatchesCertificate(second.serving.keyPem, second.serving.certPem));
  });

  test('refuses to replace a CA that is half there or mismatched', async () => {
    const opts = options();
    const first = await ensureClusterPki(opts);
    fs.rmSync(first.paths.caKey);
    await assert.rejects(ensureClusterPki(opts), /one exists without the other/);
    fs.writeFileSync(first.paths.caKey, first.admin.keyPem);
    await assert.rejects(ensureClusterPki(opts), /is not the key of/);
    assert.equal(fs.readFileSync(first.paths.caCert, 'utf8'), first.ca.certPem);
  });
});

describe('apiServerSans', () => {
  test('dedups, lower-cases names, canonicalises IPs and tells IPs from names', () => {
    const sans = apiServerSans({
      hostname: 'Node-1',
      hostAddresses: ['10.0.0.5', '0:0:0:0:0:0:0:1'],
      serviceIP: '10.96.0.1',
      clusterDomain: 'cluster.local.',
      extra: [' LB.Example.com ', '10.0.0.5', ''],
    });
    assert.deepEqual(sans.ipAddresses, ['127.0.0.1', '::1', '10.0.0.5', '10.96.0.1']);
    assert.deepEqual(sans.dnsNames, [
      'localhost',
      'node-1',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'lb.example.com',
    ]);
    assert.ok(coversSans(sans, { dnsNames: ['NODE-1'], ipAddresses: ['::0001'] }));
    assert.ok(!coversSans(sans, { dnsNames: [], ipAddresses: ['10.0.0.6'] }));
    assert.throws(() => apiServerSans({ hostname: 'h', hostAddresses: [], serviceIP: 'nope', clusterDomain: 'cluster.local' }), /not an IP/);
  });

  test('hostAddresses skips loopback and IPv6 link-local', () => {
    const addrs = hostAddresses({
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: null }],
      eth0: [
        { address: '192.168.1.10', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: null },
        { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '', internal: false, cidr: null, scopeid: 2 },
        { address: '2001:db8::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '', internal: false, cidr: null, scopeid: 0 },
      ],
    });
    assert.deepEqual(addrs, ['192.168.1.10', '2001:db8::1']);
  });

  test('canonicalIP', () => {
    assert.equal(canonicalIP('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonicalIP('2001:DB8:0::1'), '2001:db8::1');
    assert.equal(canonicalIP('10.0.0.1'), '10.0.0.1');
  });
});

describe('issuing', () => {
  test('node client certificates and component serving certificates', async () => {
    const ca = await createCertificateAuthority('test-ca');
    const kubelet = await issueClientCertificate(ca, { commonName: 'system:node:node-1', organizations: ['system:nodes'] });
    const info = inspectCertificate(kubelet.certPem);
    assert.equal(info.commonName, 'system:node:node-1');
    assert.deepEqual(info.organizations, ['system:nodes']);
    assert.ok(isIssuedBy(kubelet.certPem, ca.certPem));

    const serving = await issueServingCertificate(ca, { commonName: 'node-1', dnsNames: ['node-1'], ipAddresses: ['192.168.1.10'] });
    assert.deepEqual(inspectCertificate(serving.certPem).ipAddresses, ['192.168.1.10']);
    await assert.rejects(issueServingCertificate(ca, { commonName: 'x', dnsNames: [], ipAddresses: [] }), /at least one/);
    await assert.rejects(issueClientCertificate(ca, { commonName: '' }), /must not be empty/);
  });
});
