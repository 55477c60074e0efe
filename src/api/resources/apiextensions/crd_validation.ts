/**
 * Validation of apiextensions.k8s.io/v1 CustomResourceDefinitions (ValidateCustomResourceDefinition
 * and its update form), with Kubernetes' messages: the name `<plural>.<group>`, the group, the
 * scope, the names, exactly one storage version, a structural schema per version, subresources,
 * printer columns and conversion. The CRD declaration (customresourcedefinition.ts) calls it.
 */
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionSpec,
  CustomResourceSubresources,
} from 'kubernetes-types/apiextensions/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../validation/dns.js';
import { forbidden, invalidValue, notSupported, required, validateImmutableField } from '../../validation/field.js';
import type { JSONSchema } from './json_schema.js';
import { parseJsonPath } from './jsonpath.js';
import { validateCRDSchema } from './structural_schema.js';

export type CRDObject = CustomResourceDefinition & KubeObject;

const SPEC = FieldPath.root('spec');
const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const APPROVAL_ANNOTATION = 'api-approved.kubernetes.io';

/** The checks of a new CRD (and of every update, before validateCRDUpdate's). */
export function validateCRD(crd: CRDObject): FieldError[] {
  const spec = crd.spec ?? ({} as CustomResourceDefinitionSpec);
  const errors: FieldError[] = [];
  const name = crd.metadata.name ?? '';
  if (name && name !== `${spec.names?.plural ?? ''}.${spec.group ?? ''}`) {
    errors.push(invalidValue('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (isProtectedGroup(spec.group ?? '') && crd.metadata.annotations?.[APPROVAL_ANNOTATION] === undefined) {
    errors.push(
      required(
        FieldPath.root('metadata').child('annotations').key(APPROVAL_ANNOTATION),
        `protected groups must have approval annotation "${APPROVAL_ANNOTATION}", see https://github.com/kubernetes/enhancements/pull/1111`,
      ),
    );
  }
  errors.push(...validateSpec(spec));
  errors.push(...validateNames(crd.status?.acceptedNames, FieldPath.root('status').child('acceptedNames')));
  return errors;
}

/** What may not change once a CRD exists (ValidateCustomResourceDefinitionSpecUpdate and stored versions). */
export function validateCRDUpdate(crd: CRDObject, old: CRDObject): FieldError[] {
  const errors: FieldError[] = [];
  const established = (old.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
  if (established) {
    errors.push(...validateImmutableField(crd.spec?.scope, old.spec?.scope, SPEC.child('scope')));
    errors.push(...validateImmutableField(crd.spec?.names?.kind, old.spec?.names?.kind, SPEC.child('names', 'kind')));
  }
  errors.push(...validateImmutableField(crd.spec?.group, old.spec?.group, SPEC.child('group')));
  errors.push(...validateImmutableField(crd.spec?.names?.plural, old.spec?.names?.plural, SPEC.child('names', 'plural')));
  const stored = crd.status?.storedVersions ?? [];
  const versions = new Set((crd.spec?.versions ?? []).map((v) => v.name));
  stored.forEach((v, i) => {
    if (!versions.has(v)) errors.push(invalidValue(FieldPath.root('status').child('storedVersions').index(i), v, 'must appear in spec.versions'));
  });
  return errors;
}

function isProtectedGroup(group: string): boolean {
  return ['k8s.io', 'kubernetes.io'].some((g) => group === g || group.endsWith(`.${g}`));
}

function validateSpec(spec: CustomResourceDefinitionSpec): FieldError[] {
  const errors: FieldError[] = [];
  const group = spec.group ?? '';
  if (!group) errors.push(required(SPEC.child('group')));
  else if (isDNS1123Subdomain(group).length > 0) errors.push(invalidValue(SPEC.child('group'), group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2) errors.push(invalidValue(SPEC.child('group'), group, 'should be a domain with at least one dot'));

  if (!spec.scope) errors.push(required(SPEC.child('scope')));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errors.push(notSupported(SPEC.child('scope'), spec.scope, ['Cluster', 'Namespaced']));

  if (spec.preserveUnknownFields === true) {
    errors.push(
      invalidValue(SPEC.child('preserveUnknownFields'), true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'),
    );
  }
  errors.push(...validateVersions(spec));
  const names = spec.names ?? ({} as CustomResourceDefinitionNames);
  for (const key of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if (!names[key]) errors.push(required(SPEC.child('names', key)));
  }
  errors.push(...validateNames(names, SPEC.child('names')));
  errors.push(...validateConversion(spec));
  return errors;
}

function validateVersions(spec: CustomResourceDefinitionSpec): FieldError[] {
  const errors: FieldError[] = [];
  const versions = spec.versions ?? [];
  const path = SPEC.child('versions');
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((version, i) => {
    const vpath = path.index(i);
    if (version.storage) storage++;
    if (seen.has(version.name)) unique = false;
    seen.add(version.name);
    const nameErrors = isDNS1035Label(version.name ?? '');
    if (nameErrors.length > 0) errors.push(invalidValue(vpath.child('name'), version.name ?? '', nameErrors.join(',')));
    const schema = version.schema?.openAPIV3Schema as JSONSchema | undefined;
    const schemaPath = vpath.child('schema', 'openAPIV3Schema');
    if (!schema) errors.push(required(schemaPath, 'schemas are required'));
    else errors.push(...validateCRDSchema(schema, schemaPath));
    errors.push(...validateSubresources(version.subresources, vpath.child('subresources')));
    (version.additionalPrinterColumns ?? []).forEach((col, j) => {
      errors.push(...validateColumn(col, vpath.child('additionalPrinterColumns').index(j)));
    });
  });
  if (versions.length === 0) errors.push(required(path, 'must have exactly one version marked as storage version'));
  else if (storage !== 1) errors.push(invalidValue(path, versions, 'must have exactly one version marked as storage version'));
  if (!unique) errors.push(invalidValue(path, versions, 'must contain unique version names'));
  return errors;
}

/** ValidateCustomResourceDefinitionNames: each a DNS-1035 label (kinds in any case). */
function validateNames(names: CustomResourceDefinitionNames | undefined, path: FieldPath): FieldError[] {
  if (!names) return [];
  const errors: FieldError[] = [];
  const label = (value: string | undefined, key: string, mixedCase: boolean): void => {
    if (!value) return;
    const errs = isDNS1035Label(mixedCase ? value.toLowerCase() : value);
    if (errs.length > 0) {
      errors.push(invalidValue(path.child(key), value, (mixedCase ? 'may have mixed case, but should otherwise match: ' : '') + errs.join(',')));
    }
  };
  label(names.plural, 'plural', false);
  label(names.singular, 'singular', false);
  label(names.kind, 'kind', true);
  label(names.listKind, 'listKind', true);
  (names.shortNames ?? []).forEach((s, i) => {
    const errs = isDNS1035Label(s);
    if (errs.length > 0) errors.push(invalidValue(path.child('shortNames').index(i), s, errs.join(',')));
  });
  if (names.kind && names.kind === names.listKind) {
    errors.push(invalidValue(path.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  }
  (names.categories ?? []).forEach((c, i) => {
    const errs = isDNS1035Label(c);
    if (errs.length > 0) errors.push(invalidValue(path.child('categories').index(i), c, errs.join(',')));
  });
  return errors;
}

function validateSubresources(sub: CustomResourceSubresources | undefined, path: FieldPath): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errors: FieldError[] = [];
  const scalePath = path.child('scale');
  const check = (value: string | undefined, key: string, under: string[], what: string): void => {
    if (!value) {
      if (key !== 'labelSelectorPath') errors.push(required(scalePath.child(key)));
      return;
    }
    const simple = simplePathErrors(value, scalePath.child(key));
    if (simple.length > 0) errors.push(...simple);
    else if (!under.some((p) => value.startsWith(`${p}.`))) errors.push(invalidValue(scalePath.child(key), value, what));
  };
  check(scale.specReplicasPath, 'specReplicasPath', ['.spec'], 'should be a json path under .spec');
  check(scale.statusReplicasPath, 'statusReplicasPath', ['.status'], 'should be a json path under .status');
  check(scale.labelSelectorPath, 'labelSelectorPath', ['.spec', '.status'], 'should be a json path under either .spec or .status');
  return errors;
}

function validateColumn(col: CustomResourceColumnDefinition, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (!col.name) errors.push(required(path.child('name')));
  if (!col.type) errors.push(required(path.child('type'), `must be one of ${COLUMN_TYPES.join(',')}`));
  else if (!COLUMN_TYPES.includes(col.type)) errors.push(invalidValue(path.child('type'), col.type, `must be one of ${COLUMN_TYPES.join(',')}`));
  if (col.format && !COLUMN_FORMATS.includes(col.format)) {
    errors.push(invalidValue(path.child('format'), col.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  }
  if (!col.jsonPath) errors.push(required(path.child('JSONPath')));
  else errors.push(...simplePathErrors(col.jsonPath, path.child('JSONPath')));
  if (col.priority !== undefined && col.priority < 0) errors.push(invalidValue(path.child('priority'), col.priority, 'must be greater than or equal to 0'));
  return errors;
}

function simplePathErrors(value: string, path: FieldPath): FieldError[] {
  if (!value.startsWith('.')) return [invalidValue(path, value, 'must be a simple json path starting with .')];
  try {
    parseJsonPath(value);
    return [];
  } catch (err) {
    return [invalidValue(path, value, `must be a simple json path starting with .: ${(err as Error).message}`)];
  }
}

function validateConversion(spec: CustomResourceDefinitionSpec): FieldError[] {
  const conversion = spec.conversion;
  if (!conversion) return [];
  const path = SPEC.child('conversion');
  if (!conversion.strategy) return [required(path.child('strategy'))];
  if (conversion.strategy !== 'None' && conversion.strategy !== 'Webhook') {
    return [notSupported(path.child('strategy'), conversion.strategy, ['None', 'Webhook'])];
  }
  if (conversion.strategy === 'None' && conversion.webhook) {
    return [forbidden(path.child('webhook'), 'should not be set when strategy is not set to Webhook')];
  }
  if (conversion.strategy === 'Webhook') {
    // kts has no conversion webhooks: say so rather than accept a CRD it cannot serve.
    return [notSupported(path.child('strategy'), conversion.strategy, ['None'])];
  }
  return [];
}
