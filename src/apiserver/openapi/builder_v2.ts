/**
 * Renders every group-version's operations (operations.ts) and definitions as one Swagger 2.0
 * document shaped like kube-apiserver's `/openapi/v2` (JSON). Clients that only speak v2 read
 * it; kubectl itself asks v2 for protobuf only, see openapi_handler.ts.
 */
import type { DocumentInfo } from './builder_v3.js';
import type { Operation, PathItem } from './operations.js';
import type { Parameter } from './parameters.js';
import { type Schema, V2_REF_PREFIX } from './schema.js';

/** The v2 document; `definitions` in kts's (v2) form, keyed by name. Pure. */
export function buildV2Document(info: DocumentInfo, paths: readonly PathItem[], definitions: Record<string, Schema>): Record<string, unknown> {
  const outPaths: Record<string, unknown> = {};
  for (const item of paths) {
    const rendered: Record<string, unknown> = {};
    for (const op of item.operations) rendered[op.method] = operation(op);
    rendered.parameters = item.parameters.map(parameter);
    outPaths[item.path] = rendered;
  }
  return {
    swagger: '2.0',
    info: { title: info.title, version: info.version },
    paths: outPaths,
    definitions,
    securityDefinitions: {
      BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' },
    },
    security: [{ BearerToken: [] }],
  };
}

function parameter(p: Parameter): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name, in: p.in, type: p.type, uniqueItems: true, description: p.description };
  if (p.required) out.required = true;
  return out;
}

function operation(op: Operation): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = [];
  if (op.body) {
    parameters.push({ name: 'body', in: 'body', required: op.method !== 'delete', schema: { $ref: V2_REF_PREFIX + op.body.definition } });
  }
  parameters.push(...op.parameters.map(parameter));
  const responses: Record<string, unknown> = {};
  for (const r of op.responses) {
    responses[String(r.code)] = {
      description: r.description,
      schema: r.text ? { type: 'string' } : { $ref: V2_REF_PREFIX + (r.definition ?? '') },
    };
  }
  responses['401'] = { description: 'Unauthorized' };
  const out: Record<string, unknown> = {
    description: op.description,
    consumes: op.body ? [...op.body.contentTypes] : ['*/*'],
    produces: [...op.produces],
    schemes: ['https'],
    tags: [op.tag],
    operationId: op.operationId,
  };
  if (parameters.length > 0) out.parameters = parameters;
  out.responses = responses;
  out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}
