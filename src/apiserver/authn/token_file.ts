/**
 * Static bearer tokens: kube-apiserver's `--token-auth-file` format, which kts reads from
 * `<data-dir>/tokens` when it exists, and the server's join token (server_token.ts).
 *
 * File format, one token a line (CSV; `#` starts a comment line):
 *
 *   token,user,uid,"group1,group2"
 *
 * The uid and groups columns may be empty or left out. Tokens are held by their SHA-256, so
 * lookups compare hashes, not secrets.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { TokenAuthenticator, UserInfo } from './interfaces.js';

/** A token and the user it stands for. */
export interface StaticToken {
  token: string;
  user: UserInfo;
}

export class StaticTokenAuthenticator implements TokenAuthenticator {
  readonly #users = new Map<string, UserInfo>();

  /** A token listed twice stands for the last user given, as in kube-apiserver. */
  constructor(tokens: readonly StaticToken[]) {
    for (const { token, user } of tokens) {
      if (!token) throw new Error(`static token for user ${JSON.stringify(user.username)}: empty token`);
      this.#users.set(digest(token), user);
    }
  }

  authenticateToken(token: string): Promise<UserInfo | undefined> {
    const user = this.#users.get(digest(token));
    return Promise.resolve(user ? { ...user, groups: [...user.groups] } : undefined);
  }
}

/**
 * Parses a token file's text; `source` names it in errors. Throws on a line with fewer than
 * three columns or an empty token or user, with the line number.
 */
export function parseTokenFile(text: string, source: string): StaticToken[] {
  const tokens: StaticToken[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const where = `${source}:${i + 1}`;
    const fields = splitCsvLine(line, where);
    if (fields.length < 3) throw new Error(`${where}: want token,user,uid[,"groups"], got ${fields.length} columns`);
    const [token = '', username = '', uid = '', groups = ''] = fields;
    if (!token || !username) throw new Error(`${where}: token and user must not be empty`);
    const user: UserInfo = { username, groups: groups.split(',').map((g) => g.trim()).filter(Boolean) };
    if (uid) user.uid = uid;
    tokens.push({ token, user });
  });
  return tokens;
}

/** Reads and parses a token file; undefined if it does not exist. */
export async function readTokenFile(file: string): Promise<StaticToken[] | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseTokenFile(text, file);
}

/** Splits one CSV line (RFC 4180 quoting, `""` for a quote inside quotes); leading spaces trimmed. */
function splitCsvLine(line: string, where: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`${where}: unterminated quoted field`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new Error(`${where}: unexpected text after a quoted field`);
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end === -1 ? line.length : end);
      i = end === -1 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

function digest(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
