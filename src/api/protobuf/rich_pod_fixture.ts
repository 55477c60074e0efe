/**
 * A Pod that uses most of the pod API: volumes of many sources, probes of every kind, lifecycle
 * hooks, security contexts, affinity, spread constraints, DNS config, resource claims, and
 * pointer fields set to zero and false. kubectl_capture.test.ts serves it to
 * `kubectl debug --copy-to`, which decodes it into Go structs and sends it back as protobuf.
 */
export const RICH_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'rich',
    namespace: 'default',
    labels: {
      app: 'rich',
    },
    annotations: {
      a: 'b',
    },
  },
  spec: {
    volumes: [
      { name: 'cm', configMap: { name: 'cfg', items: [{ key: 'k', path: 'p', mode: 256 }], defaultMode: 420, optional: false } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 0 } },
      { name: 'ed', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'hp', hostPath: { path: '/tmp', type: 'DirectoryOrCreate' } },
      { name: 'pvc', persistentVolumeClaim: { claimName: 'data', readOnly: true } },
      { name: 'dapi', downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'main', resource: 'limits.cpu', divisor: '1m' } }] } },
      { name: 'proj', projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 3600, path: 'token' } }, { configMap: { name: 'cfg' } }, { secret: { name: 's', items: [{ key: 'a', path: 'b' }] } }, { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } }], defaultMode: 292 } },
      { name: 'eph', ephemeral: { volumeClaimTemplate: { metadata: { labels: { t: 'x' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast', volumeMode: 'Filesystem' } } } },
      { name: 'csi', csi: { driver: 'd.example', readOnly: true, volumeAttributes: { x: 'y' } } },
      { name: 'nfs', nfs: { server: '1.2.3.4', path: '/export' } },
    ],
    initContainers: [
      { name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], restartPolicy: 'Always', resources: {} },
    ],
    containers: [
      {
        name: 'main',
        image: 'nginx',
        args: [
          '-g',
          'daemon off;',
        ],
        workingDir: '/w',
        ports: [
          { name: 'http', containerPort: 80, protocol: 'TCP' },
          { containerPort: 53, protocol: 'UDP', hostPort: 5353, hostIP: '0.0.0.0' },
        ],
        envFrom: [
          { prefix: 'P_', configMapRef: { name: 'cfg', optional: true } },
          { secretRef: { name: 's' } },
        ],
        env: [
          { name: 'A', value: '1' },
          { name: 'E', value: '' },
          { name: 'B', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          { name: 'C', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: false } } },
          { name: 'D', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } },
          { name: 'M', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        ],
        resources: {
          limits: { cpu: '500m', memory: '128Mi' },
          requests: { cpu: '250m', memory: '64Mi' },
        },
        resizePolicy: [
          { resourceName: 'cpu', restartPolicy: 'NotRequired' },
        ],
        volumeMounts: [
          { name: 'cm', mountPath: '/etc/cfg', readOnly: true, subPath: 'p' },
          { name: 'ed', mountPath: '/cache', mountPropagation: 'None', recursiveReadOnly: 'Disabled' },
        ],
        volumeDevices: [
          { name: 'blk', devicePath: '/dev/xvda' },
        ],
        livenessProbe: {
          httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X', value: 'y' }] },
          initialDelaySeconds: 5,
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
          terminationGracePeriodSeconds: 0,
        },
        readinessProbe: {
          tcpSocket: { port: 80 },
          periodSeconds: 2,
        },
        startupProbe: {
          exec: { command: ['cat', '/ready'] },
          failureThreshold: 30,
        },
        lifecycle: {
          postStart: { exec: { command: ['echo'] } },
          preStop: { sleep: { seconds: 5 } },
        },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'FallbackToLogsOnError',
        imagePullPolicy: 'IfNotPresent',
        securityContext: {
          capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
          privileged: false,
          runAsUser: 1000,
          runAsGroup: 0,
          runAsNonRoot: true,
          readOnlyRootFilesystem: false,
          allowPrivilegeEscalation: false,
          seccompProfile: { type: 'RuntimeDefault' },
          appArmorProfile: { type: 'Localhost', localhostProfile: 'p' },
          seLinuxOptions: { level: 's0:c1' },
        },
        stdin: true,
        tty: true,
      },
      {
        name: 'side',
        image: 'busybox',
        readinessProbe: {
          grpc: { port: 9090, service: '' },
        },
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 0,
    activeDeadlineSeconds: 600,
    dnsPolicy: 'None',
    nodeSelector: {
      disk: 'ssd',
    },
    serviceAccountName: 'sa',
    automountServiceAccountToken: false,
    hostNetwork: false,
    shareProcessNamespace: true,
    securityContext: {
      runAsUser: 0,
      fsGroup: 2000,
      supplementalGroups: [1, 2, 3],
      fsGroupChangePolicy: 'OnRootMismatch',
      sysctls: [{ name: 'net.core.somaxconn', value: '1024' }],
      seccompProfile: { type: 'Localhost', localhostProfile: 'x.json' },
    },
    imagePullSecrets: [
      { name: 'reg' },
    ],
    hostname: 'h',
    subdomain: 'sub',
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['a', 'b'] }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, preference: { matchExpressions: [{ key: 'z', operator: 'Exists' }] } },
        ],
      },
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }, namespaces: ['x'], topologyKey: 'zone', namespaceSelector: {}, matchLabelKeys: ['pod-template-hash'] },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, podAffinityTerm: { topologyKey: 'host' } },
        ],
      },
    },
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute', tolerationSeconds: 0 },
      { operator: 'Exists' },
    ],
    hostAliases: [
      { ip: '1.1.1.1', hostnames: ['one'] },
    ],
    priorityClassName: 'high',
    priority: 0,
    dnsConfig: {
      nameservers: ['8.8.8.8'],
      searches: ['a.local'],
      options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
    },
    readinessGates: [
      { conditionType: 'x/ready' },
    ],
    runtimeClassName: 'runc',
    enableServiceLinks: false,
    preemptionPolicy: 'Never',
    overhead: {
      cpu: '10m',
    },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'rich' } }, minDomains: 2, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore', matchLabelKeys: ['v'] },
    ],
    setHostnameAsFQDN: false,
    os: {
      name: 'linux',
    },
    hostUsers: true,
    resourceClaims: [
      { name: 'gpu', resourceClaimTemplateName: 'gpu-tpl' },
    ],
  },
};
