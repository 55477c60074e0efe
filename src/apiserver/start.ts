/**
 * Starts the API server of `kts server`: the cluster PKI and admin kubeconfig in the data dir,
 * authentication, the registry of built-in resources, the HTTPS listener, and the objects a
 * fresh cluster has. Resolves once the API is ready to serve.
 */
import type { Logger } from 'pino';
import { Registry } from '../api/registry.js';
import { BUILTIN_RESOURCES } from '../api/resources/builtin.js';
import type { Store } from '../storage/store.js';
import { createAuthenticator } from './authn/authenticator.js';
import { advertiseAddress, ensureKubernetesService, ensureSystemNamespaces } from './bootstrap.js';
import { writeAdminKubeconfig } from './certs/kubeconfig.js';
import { ensureClusterPki } from './certs/cluster_pki.js';
import { issueClientCertificate } from './certs/certificate_authority.js';
import type { ClientConfig } from '../client/api_client.js';
import { ApiServer } from './server.js';
import { CrdController } from './crd/crd_controller.js';
import { POD_SUBRESOURCE_HANDLERS } from './handlers/pod_subresources.js';
import { handleOpenAPIRequest } from './openapi/openapi_handler.js';
import { OpenAPIService } from './openapi/openapi_service.js';
import { DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR, ServiceAllocation } from './services/service_allocation.js';

export interface StartApiServerOptions {
  store: Store;
  dataDir: string;
  bindAddress: string;
  port: number;
  logger?: Logger;
  /** Stops the API server's own controllers (the CRD controller); they end with the server otherwise. */
  signal?: AbortSignal;
}

export interface RunningApiServer {
  /** Issues client credentials for an in-process component (the controller manager). */
  componentClient: (user: string, groups?: string[]) => Promise<ClientConfig>;
  server: ApiServer;
  kubeconfigPath: string;
}

export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const pki = await ensureClusterPki({ dataDir: options.dataDir });
  const registry = new Registry(BUILTIN_RESOURCES);
  const services = new ServiceAllocation({ serviceCIDR: DEFAULT_SERVICE_CIDR, nodePortRange: DEFAULT_NODE_PORT_RANGE });
  const openapi = new OpenAPIService({ registry });
  const server = new ApiServer({
    subresourceHandlers: POD_SUBRESOURCE_HANDLERS,
    pathHandlers: [
      {
        prefix: '/openapi',
        handle: (req, res, url) => {
          const answer = handleOpenAPIRequest(openapi, {
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
          });
          res.writeHead(answer.status, answer.headers);
          res.end(req.method === 'HEAD' ? undefined : answer.body);
        },
      },
    ],
    storeHooks: (rt) => (rt.group === '' && rt.resource === 'services' ? services : undefined),
    onCachesReady: async (s) => {
      const store = s.storeFor('', 'services');
      if (store) services.restore(store.cache.list(store.keyPrefix(undefined), () => true));
      // Custom resources of the stored CRDs are served before the server listens.
      const crds = s.storeFor('apiextensions.k8s.io', 'customresourcedefinitions');
      if (crds) {
        const controller = new CrdController({ crds, registry, storeFor: (g, r) => s.storeFor(g, r), openapi, logger: options.logger });
        await controller.start(options.signal ?? new AbortController().signal);
      }
    },
    store: options.store,
    registry,
    authenticator: createAuthenticator({ caCertPem: pki.ca.certPem }),
    tls: { cert: pki.serving.certPem, key: pki.serving.keyPem, ca: pki.ca.certPem },
    bindAddress: options.bindAddress,
    port: options.port,
    logger: options.logger,
  });
  await server.start();
  const namespaces = server.storeFor('', 'namespaces');
  if (namespaces) await ensureSystemNamespaces(namespaces);
  const serviceStore = server.storeFor('', 'services');
  const endpointStore = server.storeFor('', 'endpoints');
  if (serviceStore && endpointStore) {
    await ensureKubernetesService(serviceStore, endpointStore, {
      clusterIP: services.addressAt(1),
      endpointIP: advertiseAddress(options.bindAddress),
      port: server.port,
    });
  }
  const kubeconfigPath = await writeAdminKubeconfig({
    dataDir: options.dataDir,
    port: server.port,
    caCertPem: pki.ca.certPem,
    adminCertPem: pki.admin.certPem,
    adminKeyPem: pki.admin.keyPem,
  });
  return {
    server,
    kubeconfigPath,
    componentClient: async (user, groups = []) => {
      const cert = await issueClientCertificate(pki.ca, { commonName: user, organizations: groups });
      return { server: `https://127.0.0.1:${server.port}`, ca: pki.ca.certPem, cert: cert.certPem, key: cert.keyPem, userAgent: user };
    },
  };
}
