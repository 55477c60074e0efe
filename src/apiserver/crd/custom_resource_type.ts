/**
 * The ResourceType of one served version of a CRD: names and scope from the CRD's accepted
 * names, status and scale subresources, generation tracking, printer columns, and the strategy
 * that prunes, defaults and validates custom resources against the version's structural schema.
 * All versions share storage under `/registry/<group>/<plural>/`; with conversion strategy None
 * only apiVersion differs between them.
 */
import type { CustomResourceDefinitionNames, CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1.js';
import { methodNotAllowed } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceType } from '../../api/registry.js';
import type { CRDObject } from '../../api/resources/apiextensions/customresourcedefinition.js';
import type { JSONSchema } from '../../api/resources/apiextensions/json_schema.js';
import { applyDefaults } from '../../api/resources/apiextensions/schema_defaulting.js';
import { pruneObject } from '../../api/resources/apiextensions/schema_pruning.js';
import { validateAgainstSchema } from '../../api/resources/apiextensions/schema_validation.js';
import { printerColumns } from './printer_columns.js';

export interface CustomResourceTypeOptions {
  crd: CRDObject;
  version: CustomResourceDefinitionVersion;
  /** The names served: the CRD's status.acceptedNames. */
  names: CustomResourceDefinitionNames;
  storageVersion: string;
  /** True once the CRD is being deleted: creates are refused then, as Kubernetes does. */
  terminating: () => boolean;
}

/**
 * What must stay the same for a registered type to be updated in place (rather than replaced,
 * which restarts its store and ends its watches).
 */
export function identityOf(rt: ResourceType): string {
  return [rt.group, rt.version, rt.resource, rt.kind, rt.namespaced, rt.conversion?.storageVersion].join('|');
}

export function customResourceType(options: CustomResourceTypeOptions): ResourceType {
  const { crd, version, names, storageVersion } = options;
  const group = crd.spec.group;
  const servedGV = `${group}/${version.name}`;
  const storedGV = `${group}/${storageVersion}`;
  const schema = version.schema?.openAPIV3Schema as JSONSchema | undefined;
  const sub = version.subresources;
  const validate = (obj: KubeObject) => (schema ? validateAgainstSchema(obj, schema) : []);
  const rt: ResourceType = {
    group,
    version: version.name,
    kind: names.kind,
    resource: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    namespaced: crd.spec.scope === 'Namespaced',
    tracksGeneration: true,
    storageResource: `${group}/${names.plural}`,
    // Conversion None: every version reads and writes the same objects, only apiVersion differs.
    conversion: {
      storageVersion,
      toStorage: (obj) => ({ ...obj, apiVersion: storedGV }),
      fromStorage: (obj) => {
        obj.apiVersion = servedGV;
        return obj;
      },
    },
    strategy: {
      defaults(obj) {
        if (!schema) return;
        pruneObject(obj, schema);
        applyDefaults(obj, schema);
      },
      prepareForCreate(obj) {
        if (options.terminating()) {
          throw methodNotAllowed('create not allowed while custom resource definition is terminating');
        }
        // With the status subresource, status is written only through it.
        if (sub?.status) delete obj.status;
      },
      validate,
      validateStatusUpdate: validate,
    },
    table: printerColumns(version.additionalPrinterColumns),
  };
  if (names.shortNames?.length) rt.shortNames = [...names.shortNames];
  if (names.categories?.length) rt.categories = [...names.categories];
  if (sub?.status || sub?.scale) {
    rt.subresources = {};
    if (sub.status) rt.subresources.status = true;
    if (sub.scale) {
      rt.subresources.scale = { specReplicasPath: sub.scale.specReplicasPath, statusReplicasPath: sub.scale.statusReplicasPath };
      if (sub.scale.labelSelectorPath) rt.subresources.scale.labelSelectorPath = sub.scale.labelSelectorPath;
    }
  }
  return rt;
}
