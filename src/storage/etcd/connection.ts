/**
 * The gRPC side of EtcdStore: per etcd endpoint, a unary channel (grpc_unary.ts) and a
 * grpc-js client for the Watch stream; unary calls with a deadline and fail-over between
 * endpoints, and the translation of gRPC failures into StorageError. Only etcd.ts and
 * watch_hub.ts use it.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { StorageError } from '../store.js';
import { GrpcUnaryChannel } from './grpc_unary.js';
import type { UnaryMethod } from './kv_codec.js';
import { watchMethod, type ResponseHeaderMsg, type WatchRequestMsg, type WatchResponseMsg } from './proto.js';

/** Where EtcdStore reports what an operator should know (pino's Logger fits). */
export interface EtcdLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface EtcdTlsFiles {
  /** PEM file of the CA that signed etcd's certificate; absent: the system's roots. */
  caFile?: string;
  /** PEM client certificate and key, for etcd's --client-cert-auth. */
  certFile?: string;
  keyFile?: string;
}

export type WatchStream = grpc.ClientDuplexStream<WatchRequestMsg, WatchResponseMsg>;

interface Member {
  endpoint: string;
  /** Range, Txn, Compact and the Maintenance calls. */
  unary: GrpcUnaryChannel;
  /** The Watch stream only: one long-lived stream, where grpc-js' per-call cost is no matter. */
  client: grpc.Client;
}

const DEFAULT_ETCD_PORT = '2379';

const channelOptions: grpc.ChannelOptions = {
  // Lists and watch batches can be large; etcd itself bounds what it sends.
  'grpc.max_receive_message_length': -1,
  // grpc-js would otherwise wait up to two minutes between reconnects, so a store would stay
  // Unavailable long after etcd is back.
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2000,
  // Notice a dead peer that sends no RST (a host gone, a cable pulled) while a watch is open.
  // etcd's default --grpc-keepalive-min-time is 5s, so pings every 30s are welcome.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
};

export class EtcdConnection {
  private readonly members: Member[];
  /** Index of the member calls go to first; moves on when it fails. */
  private active = 0;
  private closed = false;
  /** The newest etcd revision any response has shown: where a watch "from now" starts. */
  observedRevision = 0;

  constructor(
    readonly endpoints: readonly string[],
    tls: EtcdTlsFiles | undefined,
    private readonly callTimeoutMs: number,
  ) {
    const urls = endpoints.map((endpoint) => new URL(endpoint));
    const files = urls.some((url) => url.protocol === 'https:') ? readTlsFiles(tls ?? {}) : undefined;
    const secure = files && grpc.credentials.createSsl(files.ca ?? null, files.key ?? null, files.cert ?? null);
    this.members = urls.map((url, i) => {
      const endpoint = endpoints[i]!;
      // hostname keeps the brackets of an IPv6 address, as a gRPC target and a URL want them.
      const target = `${url.hostname}:${url.port || DEFAULT_ETCD_PORT}`;
      const https = url.protocol === 'https:';
      const credentials = https && secure ? secure : grpc.credentials.createInsecure();
      return {
        endpoint,
        unary: new GrpcUnaryChannel(`${url.protocol}//${target}`, https ? files : undefined),
        client: new grpc.Client(target, credentials, channelOptions),
      };
    });
  }

  /**
   * Calls a KV method. It fails with Unavailable after callTimeoutMs, or at once when every
   * endpoint's channel is known to be down. Reads (`retry: true`) move on to the next endpoint
   * when one fails; writes do not, since a write that failed in flight may still have been
   * applied, but the next call starts at another endpoint.
   */
  async unary<Req, Res extends { header: ResponseHeaderMsg }>(
    method: UnaryMethod<Req, Res>,
    request: Req,
    retry: boolean,
  ): Promise<Res> {
    if (this.closed) throw this.unavailable('the store is closed');
    const tried = new Set<Member>();
    let failure: StorageError | undefined;
    for (let member = this.pick(tried); member; member = retry ? this.pick(tried) : undefined) {
      tried.add(member);
      try {
        const response = await member.unary.call(method, request, this.callTimeoutMs);
        this.observe(response.header.revision);
        return response;
      } catch (err) {
        failure = toStorageError(err, this.endpoints);
        if (failure.code !== 'Unavailable') throw failure;
        this.failedOver(member);
      }
    }
    throw failure ?? this.unavailable('no endpoint is reachable (connections are failing)');
  }

  /**
   * Calls a per-member method (Maintenance: Status, Defragment) on every member in turn, with
   * its own deadline; fails with the first member's failure.
   */
  async unaryEvery<Req, Res>(
    method: UnaryMethod<Req, Res>,
    request: Req,
    timeoutMs: number,
  ): Promise<{ endpoint: string; response: Res }[]> {
    const answers: { endpoint: string; response: Res }[] = [];
    for (const member of this.members) {
      if (this.closed) throw this.unavailable('the store is closed');
      try {
        const response = await member.unary.call(method, request, timeoutMs);
        answers.push({ endpoint: member.endpoint, response });
      } catch (err) {
        throw toStorageError(err, [member.endpoint]);
      }
    }
    return answers;
  }

  /** Opens a Watch stream on the first endpoint that is not known to be down. */
  openWatchStream(): WatchStream {
    if (this.closed) throw this.unavailable('the store is closed');
    const member = this.pick(new Set()) ?? this.members[this.active]!;
    const m = watchMethod;
    const stream = member.client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize);
    stream.on('error', () => this.failedOver(member));
    return stream;
  }

  observe(revision: number): void {
    if (revision > this.observedRevision) this.observedRevision = revision;
  }

  /** The StorageError for "etcd cannot be reached", naming the endpoints. */
  unavailable(reason: string, cause?: unknown): StorageError {
    return new StorageError('Unavailable', `etcd at ${this.endpoints.join(',')} is unavailable: ${reason}`, { cause });
  }

  close(): void {
    this.closed = true;
    for (const m of this.members) {
      m.unary.close();
      m.client.close();
    }
  }

  /**
   * The member to call next among those not yet tried: the active one, else the next whose
   * last connection attempt did not just fail. Undefined when all are down (or closed), so
   * callers fail at once instead of waiting for a deadline.
   */
  private pick(tried: Set<Member>): Member | undefined {
    if (this.closed) return undefined;
    for (let i = 0; i < this.members.length; i++) {
      const member = this.members[(this.active + i) % this.members.length]!;
      if (tried.has(member) || member.unary.down) continue;
      // Keep the member's Watch channel connected too (grpc-js idles it otherwise), so that a
      // watch opened later does not wait for a connection while its first events are due.
      member.client.getChannel().getConnectivityState(true);
      return member;
    }
    return undefined;
  }

  private failedOver(member: Member): void {
    if (this.members[this.active] === member) this.active = (this.active + 1) % this.members.length;
  }
}

function readTlsFiles(tls: EtcdTlsFiles): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new Error('etcd TLS: certFile and keyFile must be given together');
  }
  const read = (what: string, file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`etcd TLS: cannot read ${what} ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  return { ca: read('caFile', tls.caFile), cert: read('certFile', tls.certFile), key: read('keyFile', tls.keyFile) };
}

/** A gRPC status, from grpc-js (the Watch stream) or grpc_unary.ts (GrpcError). */
function isServiceError(err: unknown): err is Error & { code: grpc.status; details: string } {
  return err instanceof Error && typeof (err as Partial<grpc.ServiceError>).code === 'number';
}

/**
 * Translates a failed etcd call. etcd reports a revision outside history as OUT_OF_RANGE
 * with a fixed message ("mvcc: required revision has been compacted" / "... is a future
 * revision"); anything that is not an answer about the data means etcd is unavailable to us.
 */
export function toStorageError(err: unknown, endpoints: readonly string[]): StorageError {
  if (err instanceof StorageError) return err;
  const where = `etcd at ${endpoints.join(',')}`;
  if (!isServiceError(err)) return new StorageError('Unavailable', `${where} failed: ${String(err)}`, { cause: err });
  const details = err.details || err.message;
  if (err.code === grpc.status.OUT_OF_RANGE && details.includes('compacted')) {
    return new StorageError('Compacted', `${where}: ${details}`, { cause: err });
  }
  if (err.code === grpc.status.OUT_OF_RANGE && details.includes('future revision')) {
    return new StorageError('InvalidRevision', `${where}: ${details}`, { cause: err });
  }
  if (err.code === grpc.status.INVALID_ARGUMENT && details.includes('too large')) {
    return new StorageError('InvalidValue', `${where} refused the request: ${details}`, { cause: err });
  }
  return new StorageError('Unavailable', `${where} is unavailable: ${details}`, { cause: err });
}
