// End to end with the real kubectl: it finds kts's /openapi/v3 documents, caches them, and
// prints field descriptions from them. Skipped where /usr/bin/kubectl is missing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Registry } from '../../api/registry.js';
import { OpenAPIService } from './openapi_service.js';
import { startTestingServer, type TestingServer } from './testing_server.js';
import { TEST_RESOURCES } from './testing_resources.js';

const KUBECTL = '/usr/bin/kubectl';
const skip = existsSync(KUBECTL) ? false : `${KUBECTL} not installed`;

let server: TestingServer;

before(async () => {
  const registry = new Registry(TEST_RESOURCES);
  server = await startTestingServer(registry, new OpenAPIService({ registry, version: 'v1.32.0' }));
});

after(async () => {
  await server?.close();
});

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(KUBECTL, ['--kubeconfig', server.kubeconfig, '--cache-dir', server.cacheDir, ...args], {
    timeout: 60_000,
    env: { ...process.env, KUBECONFIG: server.kubeconfig },
  });
  return stdout;
}

test('kubectl explain pod.spec.containers.livenessProbe prints field descriptions', { skip }, async () => {
  const out = await kubectl('explain', 'pod.spec.containers.livenessProbe');
  assert.match(out, /KIND:\s+Pod/);
  assert.match(out, /FIELD: livenessProbe <Probe>/);
  assert.match(out, /Periodic probe of container liveness\. Container will be restarted if the\s+probe fails\./);
  assert.match(out, /failureThreshold\t<integer>\n\s+Minimum consecutive failures for the probe/);
  assert.match(out, /httpGet\t<HTTPGetAction>/);
  assert.ok(server.requests.some((r) => /^GET \/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}&timeout=\w+ -> 200$/.test(r)), server.requests.join('\n'));
});

test('kubectl explain of another group, then a cached document is not fetched again', { skip }, async () => {
  const out = await kubectl('explain', 'deployments.spec.strategy');
  assert.match(out, /GROUP:\s+apps/);
  assert.match(out, /rollingUpdate\t<RollingUpdateDeployment>/);
  const fetched = (): number => server.requests.filter((r) => r.startsWith('GET /openapi/v3/api/v1?')).length;
  const before = fetched();
  assert.match(await kubectl('explain', 'pods.spec.containers.name'), /Name of the container specified as a DNS_LABEL/);
  assert.equal(fetched(), before);
});
