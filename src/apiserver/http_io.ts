/**
 * Reading request bodies and writing responses: the bytes side of the API server. Bodies are
 * capped (413 past the limit, as kube-apiserver's 3 MiB), decoded from JSON or YAML into a
 * JSON object (400 when malformed), and every error leaves as a Kubernetes Status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import {
  StatusError,
  badRequest,
  internalError,
  requestEntityTooLarge,
  unsupportedMediaType,
  type Status,
} from '../api/errors.js';
import { isJsonObject, type JsonObject } from '../api/object.js';
import { decodeProtobufObject } from '../api/protobuf/decode.js';

/** kube-apiserver's limit on a request body. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the whole body; 413 once it passes `limit` (the rest is not read). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(requestEntityTooLarge(`the request body is ${declared} bytes, over the limit of ${limit}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(requestEntityTooLarge(`the request body is over the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

/** The media type of a request body, without parameters. */
export function contentType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Decodes a JSON or YAML body into a JSON object; 400 when it is not one, 415 for other types. */
export function decodeObject(body: Buffer, mediaType: string): JsonObject {
  if (mediaType === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(body);
  const text = decodeUtf8(body);
  let value: unknown;
  if (mediaType === '' || mediaType === 'application/json' || mediaType === '*/*') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw badRequest(`couldn't decode the request body as JSON: ${(err as Error).message}`);
    }
  } else if (mediaType === 'application/yaml' || mediaType === 'application/x-yaml' || mediaType === 'text/yaml') {
    value = parseYamlDocument(text);
  } else {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  if (!isJsonObject(value)) throw badRequest('the request body must be a JSON object');
  return value;
}

/** Parses one YAML document into plain JSON values; 400 when it is not valid YAML. */
export function parseYamlDocument(text: string): unknown {
  try {
    // maxAliasCount bounds "billion laughs" alias expansion.
    return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (err) {
    throw badRequest(`couldn't decode the request body as YAML: ${(err as Error).message}`);
  }
}

/** UTF-8 text of a body; 400 for bytes that are not UTF-8 or JSON nested too deeply. */
export function decodeUtf8(body: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw badRequest('the request body is not valid UTF-8');
  }
  checkNesting(text);
  return text;
}

/**
 * Deepest bracket nesting a body may have. Real objects stay far below it; hostile ones would
 * otherwise exhaust the stack of every recursive walk (validation, patching, comparison).
 */
export const MAX_NESTING = 1000;

/** Counts JSON bracket depth outside strings in one pass; 400 past MAX_NESTING. */
function checkNesting(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_NESTING) throw badRequest(`the request body is nested more than ${MAX_NESTING} levels deep`);
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

export function writeJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function writeStatus(res: ServerResponse, status: Status): void {
  writeJson(res, status.code, status);
}

/** Answers with `err` as a Status; anything that is not a StatusError is a 500. */
export function writeError(res: ServerResponse, err: unknown): void {
  const status = err instanceof StatusError ? err.status : internalError(err instanceof Error ? err.message : String(err)).status;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeStatus(res, status);
}
