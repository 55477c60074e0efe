/**
 * `kts server`'s flags and the ServerConfig they parse into. The flags are declared here (so
 * tests parse exactly what users type) and checked all at once, before anything starts:
 * every problem is reported with the flag and the offending value.
 *
 * Only src/cli uses this module; components take the parts of ServerConfig they need.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { STORE_BACKENDS, type EtcdTlsFiles, type StoreConfig } from '../storage/open_store.js';
import type { CompactionPolicy } from '../storage/sqlite_compaction.js';

/** Everything `kts server` needs to know, validated, with defaults applied. */
export interface ServerConfig {
  /** Absolute; holds db/state.db (sqlite) and, later, certificates and the kubeconfig. */
  dataDir: string;
  /** The IP address the API server listens on. */
  bindAddress: string;
  /** The API server's HTTPS port. */
  httpsPort: number;
  /** This node's name: an RFC 1123 subdomain. */
  nodeName: string;
  /** Run only the control plane: no kubelet or proxy on this machine. */
  disableAgent: boolean;
  store: StoreConfig;
}

/** The flags as commander hands them over (see addServerFlags). */
export interface ServerFlags {
  dataDir?: string;
  bindAddress: string;
  httpsPort: string;
  store: string;
  etcdEndpoints?: string;
  etcdCafile?: string;
  etcdCertfile?: string;
  etcdKeyfile?: string;
  disableAgent: boolean;
  nodeName?: string;
  compactionInterval?: string;
  compactionRetention?: string;
  compactionRetainRevisions?: string;
}

/** What the defaults depend on; injected so tests do not depend on who runs them. */
export interface ServerEnvironment {
  /** Effective user id: root (0) keeps state in /var/lib/kts, others in ~/.kts. */
  uid: number;
  home: string;
  hostname: string;
  /** Relative paths in flags are resolved against this. */
  cwd: string;
}

export const DEFAULT_HTTPS_PORT = 6443;
export const DEFAULT_BIND_ADDRESS = '0.0.0.0';
export const ROOT_DATA_DIR = '/var/lib/kts';
export const DEFAULT_ETCD_PORT = 2379;

/** The sqlite database inside the data dir. */
export function sqlitePath(dataDir: string): string {
  return path.join(dataDir, 'db', 'state.db');
}

export function defaultDataDir(env: ServerEnvironment): string {
  return env.uid === 0 ? ROOT_DATA_DIR : path.join(env.home, '.kts');
}

export function currentEnvironment(): ServerEnvironment {
  return {
    uid: process.geteuid?.() ?? -1,
    home: os.homedir(),
    hostname: os.hostname(),
    cwd: process.cwd(),
  };
}

/** Flags are invalid; `problems` lists each one ("--store: ..."), `message` all of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Declares `kts server`'s flags on `cmd`. */
export function addServerFlags(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', `state directory (default: ${ROOT_DATA_DIR} as root, else ~/.kts)`)
    .option('--bind-address <ip>', 'IP address the API server listens on', DEFAULT_BIND_ADDRESS)
    .option('--https-port <port>', 'port of the API server', String(DEFAULT_HTTPS_PORT))
    .addOption(
      new Option('--store <backend>', `storage backend: ${STORE_BACKENDS.join(' or ')}`).default(STORE_BACKENDS[0]),
    )
    .option('--etcd-endpoints <urls>', 'etcd client URLs, comma-separated (with --store etcd)')
    .option('--etcd-cafile <file>', 'CA certificate to verify etcd with (https endpoints)')
    .option('--etcd-certfile <file>', 'client certificate for etcd (with --etcd-keyfile)')
    .option('--etcd-keyfile <file>', 'client key for etcd (with --etcd-certfile)')
    .option('--disable-agent', 'run only the control plane, no kubelet or proxy on this machine', false)
    .option('--node-name <name>', "this node's name (default: the host name)")
    .option('--compaction-interval <duration>', 'sqlite: how often old history is discarded, e.g. 10s; 0 turns it off')
    .option('--compaction-retention <duration>', 'sqlite: history kept at most this long, e.g. 5m')
    .option('--compaction-retain-revisions <n>', 'sqlite: history kept at most this many revisions');
}

/** Turns flags into a ServerConfig, or throws ConfigError naming every invalid flag. */
export function parseServerConfig(flags: ServerFlags, env: ServerEnvironment): ServerConfig {
  const problems: string[] = [];
  const problem = (flag: string, value: string, why: string): void => {
    problems.push(`--${flag}: invalid value ${JSON.stringify(value)}: ${why}`);
  };

  let dataDir = defaultDataDir(env);
  if (flags.dataDir !== undefined) {
    if (flags.dataDir.trim() === '') problem('data-dir', flags.dataDir, 'must not be empty');
    else dataDir = path.resolve(env.cwd, flags.dataDir);
  }

  if (net.isIP(flags.bindAddress) === 0) {
    problem('bind-address', flags.bindAddress, 'must be an IPv4 or IPv6 address');
  }

  const httpsPort = parsePort(flags.httpsPort);
  if (httpsPort === undefined) problem('https-port', flags.httpsPort, 'must be a port number, 1 to 65535');

  const nodeName = flags.nodeName ?? env.hostname.toLowerCase();
  if (!isDnsSubdomain(nodeName)) {
    const why = 'must be lower-case letters, digits, "-" and ".", starting and ending alphanumeric, at most 253 characters';
    if (flags.nodeName === undefined) {
      problems.push(`the host name ${JSON.stringify(env.hostname)} is not a valid node name: pass --node-name (it ${why})`);
    } else {
      problem('node-name', nodeName, why);
    }
  }

  const store = parseStore(flags, env, dataDir, problems, problem);

  // parseStore returns undefined only after recording a problem.
  if (problems.length > 0 || store === undefined || httpsPort === undefined) throw new ConfigError(problems);
  return { dataDir, bindAddress: flags.bindAddress, httpsPort, nodeName, disableAgent: flags.disableAgent, store };
}

function parseStore(
  flags: ServerFlags,
  env: ServerEnvironment,
  dataDir: string,
  problems: string[],
  problem: (flag: string, value: string, why: string) => void,
): StoreConfig | undefined {
  const tlsFlags: [flag: string, field: keyof EtcdTlsFiles, value: string | undefined][] = [
    ['etcd-cafile', 'caFile', flags.etcdCafile],
    ['etcd-certfile', 'certFile', flags.etcdCertfile],
    ['etcd-keyfile', 'keyFile', flags.etcdKeyfile],
  ];
  const given = tlsFlags.filter(([, , value]) => value !== undefined);
  type Parse = (text: string) => number | undefined;
  const duration: [Parse, string] = [parseDuration, 'a duration such as 30s, 5m or 1h30m'];
  const count: [Parse, string] = [parseCount, 'a whole number'];
  const compactionFlags: [flag: string, field: keyof CompactionPolicy, value: string | undefined, [Parse, string]][] = [
    ['compaction-interval', 'intervalMs', flags.compactionInterval, duration],
    ['compaction-retention', 'retainMs', flags.compactionRetention, duration],
    ['compaction-retain-revisions', 'retainRevisions', flags.compactionRetainRevisions, count],
  ];
  const compactionGiven = compactionFlags.filter(([, , value]) => value !== undefined);

  switch (flags.store) {
    case 'sqlite': {
      const etcdOnly = [...(flags.etcdEndpoints !== undefined ? ['etcd-endpoints'] : []), ...given.map(([f]) => f)];
      if (etcdOnly.length > 0) {
        problems.push(`${etcdOnly.map((f) => `--${f}`).join(', ')}: only used with --store etcd`);
        return undefined;
      }
      if (compactionGiven.length === 0) return { backend: 'sqlite', path: sqlitePath(dataDir) };
      const compaction: Partial<CompactionPolicy> = {};
      for (const [flag, field, value, [parse, expected]] of compactionGiven) {
        if (value === undefined) continue;
        const parsed = parse(value);
        if (parsed === undefined) problem(flag, value, `must be ${expected}`);
        else compaction[field] = parsed;
      }
      return { backend: 'sqlite', path: sqlitePath(dataDir), compaction };
    }
    case 'etcd': {
      if (compactionGiven.length > 0) {
        problems.push(`${compactionGiven.map(([f]) => `--${f}`).join(', ')}: only used with --store sqlite`);
      }
      if (flags.etcdEndpoints === undefined || flags.etcdEndpoints.trim() === '') {
        problems.push('--store etcd needs --etcd-endpoints (for example --etcd-endpoints https://10.0.0.1:2379)');
        return undefined;
      }
      const endpoints: string[] = [];
      for (const raw of flags.etcdEndpoints.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
        const parsed = parseEndpoint(raw);
        if (typeof parsed === 'string') endpoints.push(parsed);
        else problem('etcd-endpoints', raw, parsed.error);
      }
      const schemes = new Set(endpoints.map((e) => new URL(e).protocol));
      if (schemes.size > 1) {
        problems.push(`--etcd-endpoints: mixes http:// and https:// endpoints; use one scheme for all`);
      }
      const tls: EtcdTlsFiles = {};
      for (const [flag, field, value] of given) {
        if (value === undefined) continue;
        const file = path.resolve(env.cwd, value);
        const unreadable = unreadableReason(file);
        if (unreadable !== undefined) problem(flag, value, unreadable);
        tls[field] = file;
      }
      if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
        problems.push('--etcd-certfile and --etcd-keyfile go together: give both or neither');
      }
      if (given.length > 0 && schemes.has('http:')) {
        problems.push(`${given.map(([f]) => `--${f}`).join(', ')}: need https:// etcd endpoints`);
      }
      return given.length > 0 ? { backend: 'etcd', endpoints, tls } : { backend: 'etcd', endpoints };
    }
    default:
      problem('store', flags.store, `must be one of ${STORE_BACKENDS.join(', ')}`);
      return undefined;
  }
}

/**
 * Validates one etcd client URL and returns it normalised (`scheme://host:port`, the port
 * defaulting to etcd's 2379), or the reason it is not acceptable.
 */
export function parseEndpoint(raw: string): string | { error: string } {
  const example = 'must be a URL like https://10.0.0.1:2379';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return { error: example };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: example };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `scheme ${url.protocol.slice(0, -1)} is not supported; use http or https` };
  }
  if (url.hostname === '') return { error: example };
  if (url.username !== '' || url.password !== '') return { error: 'must not carry a user name or password' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return { error: 'must be only scheme, host and port (no path, query or fragment)' };
  }
  // URL drops a port equal to the scheme's default (https://h:443 has port ""), so look at the
  // text itself to tell "no port" from "port 443".
  const authority = raw.slice(raw.indexOf('//') + 2).split(/[/?#]/)[0] ?? '';
  const explicitPort = /:(\d+)$/.exec(authority)?.[1];
  const port = explicitPort === undefined ? DEFAULT_ETCD_PORT : parsePort(explicitPort);
  if (port === undefined) return { error: 'port must be 1 to 65535' };
  return `${url.protocol}//${url.hostname}:${port}`;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations, as Kubernetes flags take them: "0", "500ms", "30s", "1h30m". */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (DURATION_UNITS_MS[unit ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

function parseCount(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*$`);

/** Kubernetes' rule for object names such as a Node's (RFC 1123 subdomain). */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

function unreadableReason(file: string): string | undefined {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile() ? undefined : `${file} is not a regular file`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? String(err)})`;
  }
}
