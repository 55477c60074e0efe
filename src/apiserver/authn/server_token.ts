/**
 * The server token that `kts agent --token` joins with, in k3s's form:
 *
 *   K10<sha256 of the CA certificate PEM, hex>::server:<secret>
 *
 * The hash lets an agent trust the server's CA before it has it (it fetches the CA, hashes the
 * bytes, compares); the secret is what it then sends as its bearer token. A bare secret (no
 * `K10` prefix) is accepted too, as k3s does, trusting the CA on first use.
 *
 * `kts server` calls ensureServerToken() once at start: it takes `--token` if given, else the
 * token saved in `<data-dir>/token`, else makes one, and saves the full form there (0600).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../certs/write_file_atomic.js';
import type { UserInfo } from './interfaces.js';
import { StaticTokenAuthenticator } from './token_file.js';

const PREFIX = 'K10';

/**
 * Who the join secret authenticates as: a Kubernetes bootstrap identity, which may ask for a
 * node's credentials and nothing else (authorization grants that).
 */
export function agentJoinUser(): UserInfo {
  return { username: 'system:bootstrap:kts-server-token', groups: ['system:bootstrappers'] };
}

/** A token's parts; caHash is absent for a bare secret. */
export interface JoinToken {
  caHash?: string;
  secret: string;
}

/** sha256 of the CA certificate PEM bytes, hex: the hash inside a full token. */
export function caCertHash(caCertPem: string): string {
  return crypto.createHash('sha256').update(caCertPem, 'utf8').digest('hex');
}

export function formatJoinToken(caCertPem: string, secret: string): string {
  return `${PREFIX}${caCertHash(caCertPem)}::server:${secret}`;
}

/** Parses a full or bare token; throws on an empty one, white space, or a malformed K10 token. */
export function parseJoinToken(token: string): JoinToken {
  const text = token.trim();
  // The secret travels as `Authorization: Bearer <secret>`: one word.
  if (/\s/.test(text)) throw new Error('join token must not contain white space');
  if (!text.startsWith(PREFIX) || !text.includes('::')) {
    if (!text) throw new Error('join token is empty');
    return { secret: text };
  }
  const [hashPart = '', credentials = ''] = splitOnce(text.slice(PREFIX.length), '::');
  const [user, secret = ''] = splitOnce(credentials, ':');
  if (!/^[0-9a-f]{64}$/.test(hashPart) || user !== 'server' || !secret) {
    throw new Error('join token: want K10<sha256 hex>::server:<secret>');
  }
  return { caHash: hashPart, secret };
}

/** Where `kts server` keeps its join token. */
export function serverTokenPath(dataDir: string): string {
  return path.join(dataDir, 'token');
}

/**
 * Settles the server's join token (see the module comment) and returns it in full and its
 * secret. Throws if a given or saved token carries a CA hash that is not this CA's.
 */
export async function ensureServerToken(options: {
  dataDir: string;
  caCertPem: string;
  /** `--token`; default: the saved one, else a new random secret. */
  token?: string;
}): Promise<{ token: string; secret: string; file: string }> {
  const file = serverTokenPath(options.dataDir);
  let text = options.token;
  let from = '--token';
  if (text === undefined) {
    text = await readIfExists(file);
    from = file;
  }
  let secret: string;
  if (text === undefined) {
    secret = crypto.randomBytes(16).toString('hex');
  } else {
    const parsed = parseJoinToken(text);
    if (parsed.caHash !== undefined && parsed.caHash !== caCertHash(options.caCertPem)) {
      throw new Error(`${from}: the token's CA hash does not match the cluster CA (${caCertHash(options.caCertPem)})`);
    }
    secret = parsed.secret;
  }
  const token = formatJoinToken(options.caCertPem, secret);
  await writeFileAtomic(file, token + '\n', PRIVATE_FILE_MODE);
  return { token, secret, file };
}

/** A token authenticator accepting the join secret as agentJoinUser(). */
export function serverTokenAuthenticator(secret: string): StaticTokenAuthenticator {
  return new StaticTokenAuthenticator([{ token: secret, user: agentJoinUser() }]);
}

function splitOnce(text: string, sep: string): [string, string?] {
  const i = text.indexOf(sep);
  return i === -1 ? [text] : [text.slice(0, i), text.slice(i + sep.length)];
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
