/**
 * Unary gRPC calls to one etcd member over node:http2: one HTTP/2 session, a request per call
 * (HEADERS, then one DATA frame with the length-prefixed message), the answer's status from
 * its grpc-status / grpc-message trailers. connection.ts keeps one per endpoint.
 *
 * Why not @grpc/grpc-js, which the Watch stream still uses: for unary calls its per-call
 * machinery (call stacks of filters and interceptors, metadata objects, status objects,
 * deadline bookkeeping, retry throttling) cost about three quarters of the store's CPU per
 * write, which on a 2-core machine shared with etcd capped writes well below what etcd
 * sustains. What a unary call to etcd needs is small: a deadline, status mapping, reconnect
 * with back-off, TLS. No compression is offered, so etcd sends none.
 */
import http2 from 'node:http2';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls, { type SecureContextOptions } from 'node:tls';
import type { UnaryMethod } from './kv_codec.js';
import { WireReader, WireWriter } from './wire.js';

/** gRPC status codes this transport produces or tells apart (grpc's status.proto). */
export const GrpcCode = { DeadlineExceeded: 4, Internal: 13, Unavailable: 14 } as const;

/** A call that ended without a response: etcd's status, or the transport's. */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${details}`);
    this.name = 'GrpcError';
  }
}

const RECONNECT_INITIAL_MS = 100;
const RECONNECT_MAX_MS = 2_000;
/** After a call's deadline passes, how long a ping may take before the session counts as dead. */
const PING_TIMEOUT_MS = 10_000;
/** Lists can be large: let etcd send a few MiB before it waits for a window update. */
const STREAM_WINDOW = 4 << 20;
const SESSION_WINDOW = 16 << 20;

const { NGHTTP2_CANCEL } = http2.constants;
const writer = new WireWriter();

export class GrpcUnaryChannel {
  private session: http2.ClientHttp2Session | undefined;
  /** When the last connection attempt failed: calls fail fast until then. */
  private downUntil = 0;
  private backoffMs = RECONNECT_INITIAL_MS;
  private closed = false;
  /** Why the session failed last, to name in the failure of the calls it took down. */
  private lastError: string | undefined;
  /** A liveness ping is out (see checkAlive). */
  private pinging = false;
  /** Request headers by method path and timeout, built once. */
  private readonly headers = new Map<string, Map<number, http2.OutgoingHttpHeaders>>();

  /**
   * @param authority `http://host:port` or `https://host:port`.
   * @param tls CA and client certificate for https.
   */
  constructor(
    private readonly authority: string,
    private readonly tls: SecureContextOptions | undefined,
  ) {}

  /** Whether the last attempt to connect failed and its back-off has not passed yet. */
  get down(): boolean {
    return this.session === undefined && Date.now() < this.downUntil;
  }

  call<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, timeoutMs: number): Promise<Res> {
    return new Promise((resolve, reject) => {
      // What throws here (a closed channel) rejects the promise.
      method.encode(writer.begin(), request);
      const frame = writer.finish();
      const session = this.connected();
      let settled = false;
      let status: string | undefined;
      let message: string | undefined;
      let body: Buffer | undefined;
      let chunks: Buffer[] | undefined;
      let stream: http2.ClientHttp2Stream;
      try {
        stream = session.request(this.requestHeaders(method.path, timeoutMs));
      } catch (err) {
        this.dropSession(session);
        reject(asError(err));
        return;
      }
      const settle = (err: Error | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) return reject(err);
        try {
          resolve(decodeFrame(method, body, chunks));
        } catch (e) {
          reject(asError(e));
        }
      };
      const timer = setTimeout(() => {
        stream.close(NGHTTP2_CANCEL);
        this.checkAlive(session);
        settle(new GrpcError(GrpcCode.DeadlineExceeded, `deadline of ${timeoutMs}ms exceeded`));
      }, timeoutMs);
      const takeStatus = (headers: http2.IncomingHttpHeaders) => {
        const s = headers['grpc-status'];
        if (s !== undefined) {
          status = s as string;
          const m = headers['grpc-message'];
          message = m === undefined ? '' : percentDecoded(m as string);
        }
      };
      stream.on('response', (headers) => {
        const httpStatus = headers[':status'];
        if (httpStatus !== 200) message = `HTTP status ${httpStatus}`;
        takeStatus(headers); // a call that fails at once answers with headers only
      });
      stream.on('trailers', takeStatus);
      stream.on('data', (chunk: Buffer) => {
        if (body === undefined) body = chunk;
        else (chunks ??= [body]).push(chunk);
      });
      let failure: string | undefined;
      stream.on('error', (err: Error) => (failure = err.message)); // 'close' reports it
      stream.on('close', () => {
        if (status === '0') return settle(undefined);
        if (status !== undefined) return settle(new GrpcError(Number(status), message ?? ''));
        const why = this.lastError ?? failure ?? (stream.rstCode ? `reset with code ${stream.rstCode}` : 'connection lost');
        settle(new GrpcError(GrpcCode.Unavailable, message ?? `the call ended without a status: ${why}`));
      });
      stream.end(frame);
    });
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }

  /** The live session, or a new one (HTTP/2 queues requests until it is connected). */
  private connected(): http2.ClientHttp2Session {
    const current = this.session;
    if (current && !current.closed && !current.destroyed) return current;
    if (this.closed) throw new GrpcError(GrpcCode.Unavailable, 'the channel is closed');
    const session = http2.connect(this.authority, {
      createConnection: (url: URL) => this.socket(url),
      settings: { initialWindowSize: STREAM_WINDOW, enablePush: false },
      // Node's default (10 MB) refuses new streams when a thousand writers are in flight.
      maxSessionMemory: 1 << 30,
    });
    this.session = session;
    // Pending calls hold their deadline timers, which keep the process alive; an idle
    // connection must not.
    session.unref();
    session.once('connect', () => {
      this.lastError = undefined;
      this.backoffMs = RECONNECT_INITIAL_MS;
      session.setLocalWindowSize(SESSION_WINDOW);
    });
    session.on('error', (err: Error) => {
      this.lastError = err.message;
      if (!session.connecting) return;
      this.downUntil = Date.now() + this.backoffMs;
      this.backoffMs = Math.min(RECONNECT_MAX_MS, this.backoffMs * 2);
    });
    // etcd going away: the next call connects again. After a GOAWAY (a clean stop) node:http2
    // lets the calls in flight finish and then closes the session.
    session.once('goaway', () => {
      if (this.session === session) this.session = undefined;
    });
    session.once('close', () => this.dropSession(session));
    return session;
  }

  /** The TCP (or TLS) connection of a session; as node:http2 would make it, without Nagle's delay. */
  private socket(url: URL): Duplex {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port);
    // Requests and answers are small: Nagle's algorithm would only hold them back.
    if (!this.tls) return net.connect({ host, port, noDelay: true });
    const socket = tls.connect({
      ...this.tls,
      host,
      port,
      ALPNProtocols: ['h2'],
      // TLS forbids an IP address as server name; the certificate is checked against it anyway.
      servername: net.isIP(host) ? undefined : host,
    });
    socket.setNoDelay(true);
    return socket;
  }

  private dropSession(session: http2.ClientHttp2Session): void {
    if (this.session === session) this.session = undefined;
    if (!session.destroyed) session.destroy();
  }

  /**
   * A deadline passed: etcd may be slow, or the peer gone without a word (a host down, a
   * cable pulled). A ping tells which; a session that cannot answer one is dropped, so the
   * next call connects afresh instead of waiting on a dead connection.
   */
  private checkAlive(session: http2.ClientHttp2Session): void {
    if (session.destroyed || this.pinging) return;
    this.pinging = true;
    const timer = setTimeout(() => this.dropSession(session), PING_TIMEOUT_MS);
    timer.unref();
    const sent = session.ping((err) => {
      this.pinging = false;
      clearTimeout(timer);
      if (err) this.dropSession(session);
    });
    if (!sent) {
      this.pinging = false;
      clearTimeout(timer);
    }
  }

  private requestHeaders(path: string, timeoutMs: number): http2.OutgoingHttpHeaders {
    let byTimeout = this.headers.get(path);
    if (!byTimeout) this.headers.set(path, (byTimeout = new Map<number, http2.OutgoingHttpHeaders>()));
    let headers = byTimeout.get(timeoutMs);
    if (!headers) {
      headers = {
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/grpc',
        te: 'trailers',
        // etcd gives up on the call at the same deadline (gRPC's "m": milliseconds, 8 digits).
        'grpc-timeout': `${Math.min(timeoutMs, 99_999_999)}m`,
      };
      byTimeout.set(timeoutMs, headers);
    }
    return headers;
  }
}


/** The one message of a unary response: a 5-byte frame header (flag, length) and the message. */
function decodeFrame<Res>(method: UnaryMethod<unknown, Res>, body: Buffer | undefined, chunks: Buffer[] | undefined): Res {
  const data = chunks ? Buffer.concat(chunks) : body;
  if (data === undefined || data.length < 5) throw new GrpcError(GrpcCode.Internal, 'response without a message');
  if (data[0] !== 0) throw new GrpcError(GrpcCode.Internal, 'compressed response, though none was offered');
  const length = data.readUInt32BE(1);
  if (data.length !== 5 + length) throw new GrpcError(GrpcCode.Internal, `response of ${data.length - 5} bytes, framed as ${length}`);
  return method.decode(new WireReader(data, 5));
}

/** grpc-message is percent-encoded; a malformed one is shown as it came. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
