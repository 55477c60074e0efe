/** Free loopback TCP ports for servers that tests start (etcd, the API server, registries). */
import net from 'node:net';

/**
 * Returns `count` distinct ports that were free on 127.0.0.1 a moment ago. They are held open
 * together while choosing, so they differ; another process may still take one before the
 * caller binds it, so callers that can should retry on "address in use".
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}
