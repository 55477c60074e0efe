/**
 * Converts kts's definitions (OpenAPI v2 form, see schema.ts) into OpenAPI v3 component
 * schemas as kube-apiserver writes them: references point into `#/components/schemas/`, a
 * reference with siblings (a field's description) becomes `allOf: [{$ref}]` beside them, and
 * IntOrString / Quantity become `oneOf` their JSON types.
 */
import { type Schema, V2_REF_PREFIX, V3_REF_PREFIX } from './schema.js';

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** The v3 form of one definition. Does not change `schema`. */
export function definitionToV3(name: string, schema: Schema): Schema {
  if (name === INT_OR_STRING) {
    return {
      description: schema.description,
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    };
  }
  if (name === QUANTITY) {
    return { description: schema.description, oneOf: [{ type: 'string' }, { type: 'number' }] };
  }
  return schemaToV3(schema);
}

/** The v3 form of a schema: references rewritten, everywhere inside it. */
export function schemaToV3(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case '$ref':
        break;
      case 'properties':
        out.properties = mapValues(value as Record<string, Schema>, schemaToV3);
        break;
      case 'items':
      case 'not':
        out[key] = schemaToV3(value as Schema);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'object' ? schemaToV3(value as Schema) : (value as boolean);
        break;
      case 'allOf':
      case 'oneOf':
      case 'anyOf':
        out[key] = (value as Schema[]).map(schemaToV3);
        break;
      default:
        out[key] = value;
    }
  }
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref.startsWith(V2_REF_PREFIX)
      ? V3_REF_PREFIX + schema.$ref.slice(V2_REF_PREFIX.length)
      : schema.$ref;
    // A v3 $ref may not have siblings; kube-apiserver wraps it in allOf when it has any.
    if (Object.keys(out).length === 0) return { $ref: ref };
    return { allOf: [{ $ref: ref }], ...out };
  }
  return out;
}

function mapValues(record: Record<string, Schema>, fn: (s: Schema) => Schema): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value);
  return out;
}
