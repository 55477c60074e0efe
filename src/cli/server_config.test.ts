import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Command } from 'commander';
import {
  addServerFlags,
  ConfigError,
  isDnsSubdomain,
  parseEndpoint,
  parseServerConfig,
  type ServerConfig,
  type ServerEnvironment,
  type ServerFlags,
} from './server_config.js';

const user: ServerEnvironment = { uid: 1000, home: '/home/ada', hostname: 'Node-1', cwd: '/work' };
const root: ServerEnvironment = { uid: 0, home: '/root', hostname: 'node-1', cwd: '/' };

/** Parses argv exactly as `kts server` does (the real flag declarations), then validates. */
function parse(argv: string[], env: ServerEnvironment = user): ServerConfig {
  const cmd = addServerFlags(new Command('server'))
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  cmd.parse(argv, { from: 'user' });
  return parseServerConfig(cmd.opts<ServerFlags>(), env);
}

/** The problems parse reports for argv; fails the test when it reports none. */
function problems(argv: string[], env: ServerEnvironment = user): string[] {
  try {
    parse(argv, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail(`expected ${JSON.stringify(argv)} to be rejected`);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-server-config-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const caFile = path.join(tmp, 'ca.crt');
const certFile = path.join(tmp, 'client.crt');
const keyFile = path.join(tmp, 'client.key');
for (const f of [caFile, certFile, keyFile]) fs.writeFileSync(f, 'pem');

describe('kts server flags', () => {
  test('defaults: sqlite under ~/.kts for a user, all interfaces, port 6443', () => {
    assert.deepEqual(parse([]), {
      dataDir: '/home/ada/.kts',
      bindAddress: '0.0.0.0',
      httpsPort: 6443,
      nodeName: 'node-1',
      disableAgent: false,
      store: { backend: 'sqlite', path: '/home/ada/.kts/db/state.db' },
    });
  });

  test('root keeps its state in /var/lib/kts', () => {
    const config = parse([], root);
    assert.equal(config.dataDir, '/var/lib/kts');
    assert.deepEqual(config.store, { backend: 'sqlite', path: '/var/lib/kts/db/state.db' });
  });

  test('every flag is read', () => {
    const config = parse([
      '--data-dir', 'state',
      '--bind-address', '::1',
      '--https-port', '7443',
      '--disable-agent',
      '--node-name', 'cp.example.com',
    ]);
    assert.deepEqual(config, {
      dataDir: '/work/state',
      bindAddress: '::1',
      httpsPort: 7443,
      nodeName: 'cp.example.com',
      disableAgent: true,
      store: { backend: 'sqlite', path: '/work/state/db/state.db' },
    });
  });

  test('--store etcd with endpoints, normalised, default port 2379', () => {
    const config = parse([
      '--store', 'etcd',
      '--etcd-endpoints', 'http://10.0.0.1:2379, http://etcd-2/ ,http://[fd00::3]:12379',
    ]);
    assert.deepEqual(config.store, {
      backend: 'etcd',
      endpoints: ['http://10.0.0.1:2379', 'http://etcd-2:2379', 'http://[fd00::3]:12379'],
    });
  });

  test('etcd over TLS: the certificate files, resolved', () => {
    const config = parse([
      '--store=etcd',
      '--etcd-endpoints=https://etcd:2379',
      `--etcd-cafile=${caFile}`,
      `--etcd-certfile=${path.relative(user.cwd, certFile)}`,
      `--etcd-keyfile=${keyFile}`,
    ]);
    assert.deepEqual(config.store, {
      backend: 'etcd',
      endpoints: ['https://etcd:2379'],
      tls: { caFile, certFile, keyFile },
    });
  });

  test('an unknown --store is named with the choices', () => {
    assert.deepEqual(problems(['--store', 'mysql']), [
      '--store: invalid value "mysql": must be one of sqlite, etcd',
    ]);
  });

  test('--store etcd needs endpoints', () => {
    const [first, ...rest] = problems(['--store', 'etcd']);
    assert.match(first ?? '', /--store etcd needs --etcd-endpoints/);
    assert.deepEqual(rest, []);
  });

  test('malformed endpoints are each reported with their value', () => {
    assert.deepEqual(problems(['--store', 'etcd', '--etcd-endpoints', 'localhost:2379,ftp://x:21,http://h:99999']), [
      '--etcd-endpoints: invalid value "localhost:2379": must be a URL like https://10.0.0.1:2379',
      '--etcd-endpoints: invalid value "ftp://x:21": scheme ftp is not supported; use http or https',
      '--etcd-endpoints: invalid value "http://h:99999": must be a URL like https://10.0.0.1:2379',
    ]);
  });

  test('etcd flags without --store etcd are refused, not ignored', () => {
    assert.deepEqual(problems(['--etcd-endpoints', 'http://e:2379', `--etcd-cafile=${caFile}`]), [
      '--etcd-endpoints, --etcd-cafile: only used with --store etcd',
    ]);
  });

  test('TLS: files must exist, cert and key go together, endpoints must be https', () => {
    const missing = path.join(tmp, 'nope.crt');
    assert.deepEqual(
      problems(['--store', 'etcd', '--etcd-endpoints', 'http://e:2379', '--etcd-certfile', missing]),
      [
        `--etcd-certfile: invalid value "${missing}": ${missing} does not exist`,
        '--etcd-certfile and --etcd-keyfile go together: give both or neither',
        '--etcd-certfile: need https:// etcd endpoints',
      ],
    );
  });

  test('every bad flag is reported at once', () => {
    assert.deepEqual(problems(['--bind-address', 'localhost', '--https-port', '0', '--node-name', 'Bad_Name', '--data-dir', '']), [
      '--data-dir: invalid value "": must not be empty',
      '--bind-address: invalid value "localhost": must be an IPv4 or IPv6 address',
      '--https-port: invalid value "0": must be a port number, 1 to 65535',
      '--node-name: invalid value "Bad_Name": must be lower-case letters, digits, "-" and ".", starting and ending alphanumeric, at most 253 characters',
    ]);
  });

  test('a host name that is no valid node name asks for --node-name', () => {
    const [only] = problems([], { ...user, hostname: 'my_laptop' });
    assert.match(only ?? '', /host name "my_laptop" is not a valid node name: pass --node-name/);
    assert.equal(parse(['--node-name', 'laptop'], { ...user, hostname: 'my_laptop' }).nodeName, 'laptop');
  });
});

describe('parseEndpoint', () => {
  const cases: [input: string, expected: string | RegExp][] = [
    ['http://127.0.0.1:2379', 'http://127.0.0.1:2379'],
    ['https://etcd.local', 'https://etcd.local:2379'],
    ['https://etcd.local:443', 'https://etcd.local:443'],
    ['http://etcd:80/', 'http://etcd:80'],
    ['HTTP://Etcd:2379', 'http://etcd:2379'],
    ['http://[::1]:2379', 'http://[::1]:2379'],
    ['http://e:2379/v3', /no path/],
    ['http://u:p@e:2379', /user name or password/],
    ['e:2379', /must be a URL/],
    ['', /must be a URL/],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${String(expected)}`, () => {
      const got = parseEndpoint(input);
      if (typeof expected === 'string') assert.equal(got, expected);
      else assert.match(typeof got === 'string' ? got : got.error, expected);
    });
  }
});

test('isDnsSubdomain follows Kubernetes object names', () => {
  for (const ok of ['a', 'node-1', 'n1.example.com', 'x'.repeat(253)]) assert.ok(isDnsSubdomain(ok), ok);
  for (const bad of ['', 'A', '-a', 'a-', 'a..b', 'a_b', 'x'.repeat(254)]) assert.ok(!isDnsSubdomain(bad), bad);
});

describe('sqlite compaction flags', () => {
  test('override only what is given; durations in Go form', () => {
    assert.deepEqual(parse(['--compaction-interval', '0', '--compaction-retention', '1h30m', '--compaction-retain-revisions', '500']).store, {
      backend: 'sqlite',
      path: '/home/ada/.kts/db/state.db',
      compaction: { intervalMs: 0, retainMs: 5_400_000, retainRevisions: 500 },
    });
    assert.deepEqual(parse(['--compaction-interval', '1.5s']).store, {
      backend: 'sqlite',
      path: '/home/ada/.kts/db/state.db',
      compaction: { intervalMs: 1500 },
    });
  });

  test('bad values and the etcd backend are refused', () => {
    assert.deepEqual(problems(['--compaction-interval', '10', '--compaction-retain-revisions', '-1']), [
      '--compaction-interval: invalid value "10": must be a duration such as 30s, 5m or 1h30m',
      '--compaction-retain-revisions: invalid value "-1": must be a whole number',
    ]);
    assert.deepEqual(problems(['--store', 'etcd', '--etcd-endpoints', 'http://e:2379', '--compaction-interval', '5m']), [
      '--compaction-interval: only used with --store sqlite',
    ]);
  });
});
