/**
 * End to end: kubectl's workload commands against `kts server --disable-agent`: create
 * deployment (a protobuf body), scale, set image, expose, describe, explain, get all, and the
 * defaults a real cluster shows. No controllers run yet, so only the API objects are checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useKtsServer } from '../support/e2e.js';

describe('kubectl workload commands against kts server', () => {
  const cluster = useKtsServer();
  const { ok } = cluster;




  test('create deployment gets the defaults of a real cluster', async () => {
    assert.match(await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80']), /deployment.apps\/web created/);
    const d = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json'])) as {
      metadata: { generation: number };
      spec: {
        replicas: number;
        revisionHistoryLimit: number;
        progressDeadlineSeconds: number;
        strategy: { type: string; rollingUpdate: { maxSurge: string; maxUnavailable: string } };
        selector: { matchLabels: Record<string, string> };
        template: { spec: { containers: { imagePullPolicy: string; ports: { protocol: string }[] }[]; restartPolicy: string } };
      };
    };
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    assert.deepEqual(d.spec.selector.matchLabels, { app: 'web' });
    assert.equal(d.spec.template.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(d.spec.template.spec.containers[0]?.ports[0]?.protocol, 'TCP');
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
    assert.equal(d.metadata.generation, 1);
    // No kubelet runs, so none of the pods the controllers make becomes ready.
    assert.match(await ok(['get', 'deployments']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+[02]\s+0\s+\d+s\n$/);
    assert.match(await ok(['get', 'deploy', '-o', 'wide']), /CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+.*nginx\s+nginx:1\.27\s+app=web/);
  });

  test('scale and set image go through the scale subresource and a strategic merge patch', async () => {
    assert.match(await ok(['scale', 'deployment', 'web', '--replicas=3']), /deployment.apps\/web scaled/);
    assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');
    const scale = JSON.parse(await ok(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale'])) as {
      kind: string;
      spec: { replicas: number };
      status: { selector?: string };
    };
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 3);
    assert.match(await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.28']), /deployment.apps\/web image updated/);
    assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.28');
    assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}']), '3');
  });

  test('expose gives a Service with a ClusterIP from the range', async () => {
    assert.match(await ok(['expose', 'deployment', 'web', '--port=80', '--target-port=8080']), /service\/web exposed/);
    const out = await ok(['get', 'svc', 'web']);
    assert.match(out, /^web\s+ClusterIP\s+10\.(9[6-9]|1[01]\d)\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m);
    assert.equal(await ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.selector.app}']), 'web');
    assert.match(await ok(['create', 'service', 'nodeport', 'np', '--tcp=80:8080']), /service\/np created/);
    const nodePort = Number(await ok(['get', 'svc', 'np', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    assert.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort}`);
  });

  test('describe, explain and get all', async () => {
    const described = await ok(['describe', 'deployment', 'web']);
    assert.match(described, /^Name:\s+web$/m);
    assert.match(described, /^Replicas:\s+3 desired/m);
    assert.match(described, /StrategyType:\s+RollingUpdate/);
    const explained = await ok(['explain', 'pod.spec.containers.livenessProbe']);
    assert.match(explained, /FIELD: livenessProbe <Probe>/);
    assert.match(explained, /Periodic probe of container liveness/);
    const all = await ok(['get', 'all']);
    assert.match(all, /service\/kubernetes/);
    assert.match(all, /deployment.apps\/web/);
  });

  test('api-resources lists the workload groups', async () => {
    const resources = await ok(['api-resources']);
    for (const line of [
      /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m,
      /^jobs\s+batch\/v1\s+true\s+Job$/m,
      /^cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob$/m,
      /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m,
      /^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition$/m,
    ]) {
      assert.match(resources, line);
    }
  });
});
