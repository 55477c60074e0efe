/**
 * Renders one group-version's operations (operations.ts) and component schemas as an OpenAPI
 * 3.0 document shaped like kube-apiserver's `/openapi/v3/<group-version>`: kubectl reads the
 * PATCH operations' parameters (does the kind take `fieldValidation`?) and, for `explain` and
 * client-side apply, the schema whose `x-kubernetes-group-version-kind` names the kind.
 */
import type { Operation, PathItem, Response } from './operations.js';
import type { Parameter } from './parameters.js';
import { type Schema, V3_REF_PREFIX } from './schema.js';

export interface DocumentInfo {
  title: string;
  version: string;
}

/**
 * The v3 document. `schemas` are already in v3 form (schema_v3.ts), keyed by definition name;
 * every definition an operation names must be among them (openapi_service.ts computes the
 * closure). Pure: the same inputs give the same document, key order included.
 */
export function buildV3Document(info: DocumentInfo, paths: readonly PathItem[], schemas: Record<string, Schema>): Record<string, unknown> {
  const outPaths: Record<string, unknown> = {};
  for (const item of paths) {
    const rendered: Record<string, unknown> = {};
    for (const op of item.operations) rendered[op.method] = operation(op);
    rendered.parameters = item.parameters.map(parameter);
    outPaths[item.path] = rendered;
  }
  return {
    openapi: '3.0.0',
    info: { title: info.title, version: info.version },
    paths: outPaths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

function parameter(p: Parameter): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name, in: p.in, description: p.description };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

function ref(definition: string): Schema {
  return { $ref: V3_REF_PREFIX + definition };
}

function operation(op: Operation): Record<string, unknown> {
  const out: Record<string, unknown> = {
    tags: [op.tag],
    description: op.description,
    operationId: op.operationId,
  };
  if (op.parameters.length > 0) out.parameters = op.parameters.map(parameter);
  if (op.body) {
    const content: Record<string, unknown> = {};
    for (const type of op.body.contentTypes) content[type] = { schema: ref(op.body.definition) };
    out.requestBody = op.method === 'delete' ? { content } : { content, required: true };
  }
  const responses: Record<string, unknown> = {};
  for (const r of op.responses) responses[String(r.code)] = response(r, op.produces);
  responses['401'] = { description: 'Unauthorized' };
  out.responses = responses;
  out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

function response(r: Response, produces: readonly string[]): Record<string, unknown> {
  const schema: Schema = r.text ? { type: 'string' } : ref(r.definition ?? '');
  const content: Record<string, unknown> = {};
  for (const type of produces) content[type] = { schema };
  return { description: r.description, content };
}
