/**
 * The authenticator behind a real TLS server made the way the API server is made
 * (requestCert, rejectUnauthorized false, the cluster CA), with Node's https client and, when
 * it is installed, the real kubectl talking to it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { isStatusError } from '../../api/errors.js';
import { createCertificateAuthority, issueClientCertificate } from '../certs/certificate_authority.js';
import { ensureClusterPki, type ClusterPki } from '../certs/cluster_pki.js';
import { writeAdminKubeconfig } from '../certs/kubeconfig.js';
import type { CertificateAndKey } from '../certs/x509.js';
import { createAuthenticator } from './authenticator.js';
import { anonymousUser, type Authenticator, type UserInfo } from './interfaces.js';
import { ensureServerToken, serverTokenAuthenticator } from './server_token.js';

const KUBECTL = '/usr/bin/kubectl';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-authn-'));

let pki: ClusterPki;
let authenticator: Authenticator;
let server: https.Server;
let port: number;
let joinSecret: string;

/** What the tiny server answers: 200 and the user, or the Status of a 401. */
interface Answer {
  status: number;
  body: { user?: UserInfo; reason?: string; message?: string };
}

before(async () => {
  pki = await ensureClusterPki({ dataDir, hostAddresses: [] });
  joinSecret = (await ensureServerToken({ dataDir, caCertPem: pki.ca.certPem })).secret;
  authenticator = createAuthenticator({
    caCertPem: pki.ca.certPem,
    tokens: [{ token: 'static-token-1', user: { username: 'alice', uid: '42', groups: ['devs'] } }],
    tokenAuthenticators: [serverTokenAuthenticator(joinSecret)],
  });
  server = https.createServer(
    { cert: pki.serving.certPem, key: pki.serving.keyPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      authenticator.authenticate(req).then(
        (user) => {
          // The server's own decision, as kts's will be: health endpoints are open to anonymous.
          if (!user && req.url !== '/healthz') return reply(res, 401, { kind: 'Status', reason: 'Unauthorized', code: 401 });
          if (req.url === '/hello') return reply(res, 200, { hello: user?.username });
          reply(res, 200, { user: user ?? anonymousUser() });
        },
        (err: unknown) => {
          if (isStatusError(err)) return reply(res, err.code, err.status);
          reply(res, 500, { message: String(err) });
        },
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function reply(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** GETs `urlPath` with the cluster CA trusted, and the client certificate / headers given. */
function get(
  urlPath: string,
  options: { client?: CertificateAndKey; headers?: Record<string, string>; servername?: string; host?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: options.host ?? '127.0.0.1',
        port,
        path: urlPath,
        ca: pki.ca.certPem,
        cert: options.client?.certPem,
        key: options.client?.keyPem,
        servername: options.servername,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('authentication over TLS', () => {
  test('the admin certificate authenticates as system:admin in system:masters', async () => {
    const answer = await get('/whoami', { client: pki.admin });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.user, { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
  });

  test('a kubelet certificate from the cluster CA authenticates as its node', async () => {
    const kubelet = await issueClientCertificate(pki.ca, { commonName: 'system:node:node-1', organizations: ['system:nodes'] });
    const answer = await get('/whoami', { client: kubelet });
    assert.deepEqual(answer.body.user, { username: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'] });
  });

  test('no credentials: not authenticated; the server lets anonymous reach only what it chooses', async () => {
    assert.equal((await get('/whoami')).status, 401);
    const health = await get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body.user, anonymousUser());
  });

  test('a certificate from another CA is rejected with 401, not taken for anonymous', async () => {
    const other = await createCertificateAuthority('other-ca');
    const forged = await issueClientCertificate(other, { commonName: 'system:admin', organizations: ['system:masters'] });
    const answer = await get('/healthz', { client: forged });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.reason, 'Unauthorized');
    assert.equal(answer.body.message, 'Unauthorized');
  });

  test('a serving certificate cannot be used as a client certificate', async () => {
    const answer = await get('/whoami', { client: pki.serving });
    assert.equal(answer.status, 401);
  });

  test('bearer tokens: static tokens and the join secret; unknown tokens are 401', async () => {
    const alice = await get('/whoami', { headers: { authorization: 'Bearer static-token-1' } });
    assert.deepEqual(alice.body.user, { username: 'alice', uid: '42', groups: ['devs', 'system:authenticated'] });
    const agent = await get('/whoami', { headers: { authorization: `Bearer ${joinSecret}` } });
    assert.deepEqual(agent.body.user, {
      username: 'system:bootstrap:kts-server-token',
      groups: ['system:bootstrappers', 'system:authenticated'],
    });
    assert.equal((await get('/healthz', { headers: { authorization: 'Bearer wrong' } })).status, 401);
    // Another scheme is no credentials at all.
    assert.equal((await get('/healthz', { headers: { authorization: 'Basic YTpi' } })).status, 200);
  });

  test('the serving certificate verifies for 127.0.0.1, localhost and kubernetes.default.svc only', async () => {
    assert.equal((await get('/healthz')).status, 200);
    assert.equal((await get('/healthz', { host: 'localhost' })).status, 200);
    assert.equal((await get('/healthz', { servername: 'kubernetes.default.svc' })).status, 200);
    assert.equal((await get('/healthz', { servername: 'kubernetes.default.svc.cluster.local' })).status, 200);
    await assert.rejects(get('/healthz', { servername: 'evil.example.com' }), /ERR_TLS_CERT_ALTNAME_INVALID|does not match/);
  });

  test('kubectl authenticates with the admin kubeconfig', { skip: !fs.existsSync(KUBECTL) && `${KUBECTL} not installed` }, async () => {
    const kubeconfig = await writeAdminKubeconfig({
      dataDir,
      port,
      caCertPem: pki.ca.certPem,
      adminCertPem: pki.admin.certPem,
      adminKeyPem: pki.admin.keyPem,
    });
    const { stdout } = await promisify(execFile)(KUBECTL, ['--kubeconfig', kubeconfig, 'get', '--raw', '/hello'], {
      env: { ...process.env, KUBECONFIG: '', HOME: dataDir },
      timeout: 30_000,
    });
    assert.deepEqual(JSON.parse(stdout), { hello: 'system:admin' });
  });
});
