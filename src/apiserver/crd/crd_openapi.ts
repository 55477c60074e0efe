/**
 * The OpenAPI definitions of a CRD version, as kube-apiserver publishes them so that
 * `kubectl explain` and clients see custom resources: the version's schema with apiVersion,
 * kind and metadata (ObjectMeta) filled in, and its List, named by reversed group, version
 * and kind (`com.example.v1.Widget`), each tagged with x-kubernetes-group-version-kind.
 */
import type { JSONSchema } from '../../api/resources/apiextensions/json_schema.js';
import { refTo, type Schema } from '../openapi/schema.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const API_VERSION = {
  type: 'string',
  description:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
};
const KIND = {
  type: 'string',
  description:
    'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

export interface CRDDefinitionNames {
  object: string;
  list: string;
}

/** `com.example.v1.Widget` and `com.example.v1.WidgetList`. */
export function definitionNames(group: string, version: string, kind: string): CRDDefinitionNames {
  const prefix = [...group.split('.').reverse(), version].join('.');
  return { object: `${prefix}.${kind}`, list: `${prefix}.${kind}List` };
}

/** The object and list definitions of one served version. */
export function crdDefinitions(
  gvk: { group: string; version: string; kind: string; plural: string },
  schema: JSONSchema | undefined,
): { names: CRDDefinitionNames; object: Schema; list: Schema } {
  const names = definitionNames(gvk.group, gvk.version, gvk.kind);
  const { properties, ...rest } = structuredClone(schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, ...own } = properties ?? {};
  const object: Schema = {
    ...(rest as Schema),
    type: 'object',
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { ...refTo(`${META}.ObjectMeta`), description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
      ...(own as Record<string, Schema>),
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: gvk.kind, version: gvk.version }],
  };
  const list: Schema = {
    description: `${gvk.kind}List is a list of ${gvk.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: API_VERSION,
      items: { type: 'array', items: refTo(names.object), description: `List of ${gvk.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md` },
      kind: KIND,
      metadata: { ...refTo(`${META}.ListMeta`), description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds' },
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: `${gvk.kind}List`, version: gvk.version }],
  };
  return { names, object, list };
}
