#!/usr/bin/env node
// Generates kts's OpenAPI schema definitions from the Kubernetes types in the `kubernetes-types`
// package: its .d.ts files carry every field's type, whether it is optional, and its description
// as JSDoc. Writes them in Kubernetes' naming (`io.k8s.api.core.v1.Pod`) and in OpenAPI v2 form
// (`$ref: "#/definitions/<name>"`, a description beside the $ref, as kube-apiserver's
// /openapi/v2 has it); src/apiserver/openapi/ turns them into v3 when it builds a document.
//
// Run by `npm run build` and scripts/ensure-deps.sh after tsc:
//
//   node scripts/gen-openapi-definitions.mjs [--out dist/openapi/definitions.json]
//
// What the .d.ts files lose is restored from small fact tables below: integer widths (every
// `number` is an int32 unless listed) and the few floating-point fields. Patch strategies and
// list types are overlaid at load time from src/api/patch/patch_strategies.ts
// (src/apiserver/openapi/patch_extensions.ts), so they stay one table shared with the server.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import console from 'node:console';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const TYPES_DIR = dirname(require.resolve('kubernetes-types/package.json'));
const TYPES_VERSION = JSON.parse(readFileSync(join(TYPES_DIR, 'package.json'), 'utf8')).version;

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** kubernetes-types module path (without .d.ts) → Kubernetes' Go package prefix. */
const PACKAGE_PREFIXES = {
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  version: 'io.k8s.apimachinery.pkg.version',
  'apiextensions/v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
};
function packagePrefix(module) {
  return PACKAGE_PREFIXES[module] ?? `io.k8s.api.${module.replace('/', '.')}`;
}

// Integer widths and number formats, facts from Kubernetes' Go types. Keys are
// `<Type>.<field>` (any package) or `*.<field>` (every type).
const INT64_FIELDS = new Set([
  '*.observedGeneration',
  '*.activeDeadlineSeconds',
  '*.terminationGracePeriodSeconds',
  '*.runAsUser',
  '*.runAsGroup',
  '*.fsGroup',
  '*.supplementalGroups',
  '*.startingDeadlineSeconds',
  '*.gracePeriodSeconds',
  '*.deletionGracePeriodSeconds',
  '*.tolerationSeconds',
  '*.remainingItemCount',
  '*.revision',
  'ObjectMeta.generation',
  'ServiceAccountTokenProjection.expirationSeconds',
  'TokenRequestSpec.expirationSeconds',
  'TokenRequest.expirationSeconds',
  'JSONSchemaProps.maxItems',
  'JSONSchemaProps.maxLength',
  'JSONSchemaProps.maxProperties',
  'JSONSchemaProps.minItems',
  'JSONSchemaProps.minLength',
  'JSONSchemaProps.minProperties',
  'LinuxContainerUser.uid',
  'LinuxContainerUser.gid',
]);
const DOUBLE_FIELDS = new Set(['JSONSchemaProps.maximum', 'JSONSchemaProps.minimum', 'JSONSchemaProps.multipleOf']);

/** Named scalar aliases: their own definitions, as kube-apiserver has them. */
const ALIAS_SCHEMAS = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
};

/** Interfaces with no fields that stand for arbitrary JSON. */
const OPEN_OBJECTS = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
]);
/** Any JSON value at all: no type. */
const ANY_VALUES = new Set(['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON']);

function listTypeFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTypeFiles(path));
    else if (entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

function moduleOf(fileName) {
  return relative(TYPES_DIR, fileName).split(sep).join('/').replace(/\.d\.ts$/, '');
}

function docOf(symbol, checker) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

/** Generates every definition; returns them sorted by name. */
export function generate() {
  const files = listTypeFiles(TYPES_DIR);
  const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const definitions = {};

  /** The definition name a type reference resolves to, or undefined for a non-Kubernetes name. */
  function referencedName(typeName) {
    let symbol = checker.getSymbolAtLocation(typeName);
    if (!symbol) return undefined;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decl = symbol.declarations?.[0];
    if (!decl) return undefined;
    const file = decl.getSourceFile().fileName;
    if (!resolve(file).startsWith(TYPES_DIR)) return undefined;
    return `${packagePrefix(moduleOf(file))}.${symbol.getName()}`;
  }

  function numberSchema(owner, field) {
    if (DOUBLE_FIELDS.has(`${owner}.${field}`)) return { type: 'number', format: 'double' };
    if (INT64_FIELDS.has(`${owner}.${field}`) || INT64_FIELDS.has(`*.${field}`)) return { type: 'integer', format: 'int64' };
    return { type: 'integer', format: 'int32' };
  }

  /** The v2 schema of one type node; `owner` and `field` pick integer widths. */
  function schemaOf(node, owner, field) {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return numberSchema(owner, field);
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.LiteralType:
        return { type: 'string' };
      case ts.SyntaxKind.ParenthesizedType:
        return schemaOf(node.type, owner, field);
      case ts.SyntaxKind.ArrayType:
        return { type: 'array', items: schemaOf(node.elementType, owner, field) };
      case ts.SyntaxKind.UnionType: {
        const kinds = node.types.map((t) => t.kind).sort();
        if (kinds.length === 2 && kinds[0] === ts.SyntaxKind.NumberKeyword && kinds[1] === ts.SyntaxKind.StringKeyword) {
          return { $ref: `#/definitions/${INT_OR_STRING}` };
        }
        throw new Error(`${owner}.${field}: unsupported union type ${node.getText()}`);
      }
      case ts.SyntaxKind.TypeLiteral: {
        const index = node.members.find((m) => m.kind === ts.SyntaxKind.IndexSignature);
        if (index && node.members.length === 1) {
          return { type: 'object', additionalProperties: schemaOf(index.type, owner, field) };
        }
        throw new Error(`${owner}.${field}: unsupported inline object type ${node.getText()}`);
      }
      case ts.SyntaxKind.TypeReference: {
        const name = node.typeName.getText();
        if (name === 'Array' && node.typeArguments?.length === 1) {
          return { type: 'array', items: schemaOf(node.typeArguments[0], owner, field) };
        }
        const ref = referencedName(node.typeName);
        if (!ref) throw new Error(`${owner}.${field}: cannot resolve type ${name}`);
        return { $ref: `#/definitions/${ref}` };
      }
      default:
        throw new Error(`${owner}.${field}: unsupported type ${ts.SyntaxKind[node.kind]} (${node.getText()})`);
    }
  }

  function literalOf(member) {
    return member?.type && ts.isLiteralTypeNode(member.type) && ts.isStringLiteral(member.type.literal)
      ? member.type.literal.text
      : undefined;
  }

  function interfaceSchema(decl, owner) {
    const schema = {};
    const description = docOf(checker.getSymbolAtLocation(decl.name), checker);
    if (description) schema.description = description;
    const properties = {};
    const required = [];
    const byName = new Map();
    for (const member of decl.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const field = member.name.getText().replace(/^"(.*)"$/, '$1');
      byName.set(field, member);
      const prop = schemaOf(member.type, owner, field);
      const doc = docOf(checker.getSymbolAtLocation(member.name), checker);
      // kube-apiserver's v2 puts the description beside a $ref; keys sorted as it does.
      properties[field] = doc ? sortKeys({ ...prop, description: doc }) : prop;
      if (!member.questionToken) required.push(field);
    }
    if (Object.keys(properties).length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required;
    schema.type = 'object';
    const apiVersion = literalOf(byName.get('apiVersion'));
    const kind = literalOf(byName.get('kind'));
    if (apiVersion && kind) {
      const slash = apiVersion.indexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      const version = apiVersion.slice(slash + 1);
      schema['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
    }
    return schema;
  }

  for (const sourceFile of program.getSourceFiles()) {
    if (!resolve(sourceFile.fileName).startsWith(TYPES_DIR)) continue;
    const prefix = packagePrefix(moduleOf(sourceFile.fileName));
    for (const stmt of sourceFile.statements) {
      if (!ts.isInterfaceDeclaration(stmt) && !ts.isTypeAliasDeclaration(stmt)) continue;
      const owner = stmt.name.text;
      const name = `${prefix}.${owner}`;
      const description = docOf(checker.getSymbolAtLocation(stmt.name), checker);
      let schema;
      if (ALIAS_SCHEMAS[name]) {
        schema = { description, ...ALIAS_SCHEMAS[name] };
      } else if (ANY_VALUES.has(name) || ts.isTypeAliasDeclaration(stmt)) {
        // JSONSchemaPropsOrBool and friends: kube-apiserver, too, leaves these untyped.
        schema = { description };
      } else if (OPEN_OBJECTS.has(name)) {
        schema = { description, type: 'object' };
      } else {
        schema = interfaceSchema(stmt, owner);
      }
      if (!schema.description) delete schema.description;
      definitions[name] = schema;
    }
  }
  definitions[INT_OR_STRING] = {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    type: 'string',
  };

  const sorted = {};
  for (const name of Object.keys(definitions).sort()) sorted[name] = definitions[name];
  return sorted;
}

function sortKeys(obj) {
  const out = {};
  for (const key of Object.keys(obj).sort()) out[key] = obj[key];
  return out;
}

function main(argv) {
  let out = join(ROOT, 'dist/openapi/definitions.json');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = resolve(argv[++i]);
    else throw new Error(`gen-openapi-definitions: unknown argument ${argv[i]}`);
  }
  const started = performance.now();
  const definitions = generate();
  const body = JSON.stringify({ source: `kubernetes-types@${TYPES_VERSION}`, definitions });
  mkdirSync(dirname(out), { recursive: true });
  // Written whole, then renamed: a server starting meanwhile never reads half a file.
  writeFileSync(`${out}.tmp`, body);
  renameSync(`${out}.tmp`, out);
  const ms = Math.round(performance.now() - started);
  console.error(
    `gen-openapi-definitions: ${Object.keys(definitions).length} definitions, ${body.length} bytes, ${ms} ms -> ${relative(ROOT, out)}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
