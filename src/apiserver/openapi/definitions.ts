/**
 * The built-in schema definitions: what scripts/gen-openapi-definitions.mjs generated from
 * kubernetes-types at build time (dist/openapi/definitions.json), with the facts the .d.ts
 * files do not carry overlaid at load time: patch strategies and list types, from
 * src/api/patch/patch_strategies.ts (patch_extensions.ts). Read by the OpenAPI documents
 * (openapi_service.ts) only, on first use.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyPatchExtensions } from './patch_extensions.js';
import type { Schema } from './schema.js';

/** dist/openapi/definitions.json, beside the compiled dist/src/. */
export const DEFAULT_DEFINITIONS_PATH = fileURLToPath(new URL('../../../openapi/definitions.json', import.meta.url));

export interface LoadDefinitionsOptions {
  /** The generated file; DEFAULT_DEFINITIONS_PATH when absent. */
  path?: string;
}

interface DefinitionsFile {
  source: string;
  definitions: Record<string, Schema>;
}

/**
 * Reads the generated definitions and overlays the patch facts. Synchronous (about 10 ms for
 * ~600 definitions); a missing file throws an Error naming the path and how to produce it.
 * The result is a fresh map the caller owns.
 */
export function loadDefinitions(options: LoadDefinitionsOptions = {}): Map<string, Schema> {
  const path = options.path ?? DEFAULT_DEFINITIONS_PATH;
  let file: DefinitionsFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as DefinitionsFile;
  } catch (err) {
    throw new Error(
      `OpenAPI definitions ${path}: cannot load (${(err as Error).message}); run \`npm run build\` or scripts/ensure-deps.sh`,
      { cause: err },
    );
  }
  const definitions = new Map(Object.entries(file.definitions));
  applyPatchExtensions(definitions);
  return definitions;
}
