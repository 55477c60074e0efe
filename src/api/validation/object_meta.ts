/**
 * metadata validation shared by every kind (apimachinery's ValidateObjectMeta and
 * ValidateObjectMetaUpdate). The API server runs them on every write, whatever the kind, with
 * the kind's name rule (ResourceType.validateName: nameIsDNSSubdomain for most, nameIsDNSLabel
 * for namespaces, nameIsDNS1035Label for services); kinds' strategies check only the rest.
 */
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { FieldPath, type FieldError } from '../errors.js';
import { parseApiVersion } from '../object.js';
import { validateNamespaceName, type ValidateNameFunc } from './dns.js';
import { forbidden, invalidEach, invalidValue, required, validateImmutableField, validateNonnegativeField } from './field.js';
import { isQualifiedName, validateAnnotations, validateLabels } from './qualified_name.js';

const METADATA = FieldPath.root('metadata');

/** The finalizers that ask the garbage collector to orphan, or delete, dependents first. */
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

/** Kinds that may not own other objects. */
const BANNED_OWNERS = new Set(['v1/Event']);

function validateOwnerReference(ref: OwnerReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const { group, version } = parseApiVersion(ref.apiVersion ?? '');
  if (!version) errs.push(invalidValue(path.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
  if (!ref.kind) errs.push(invalidValue(path.child('kind'), ref.kind ?? '', 'must not be empty'));
  if (!ref.name) errs.push(invalidValue(path.child('name'), ref.name ?? '', 'must not be empty'));
  if (!ref.uid) errs.push(invalidValue(path.child('uid'), ref.uid ?? '', 'must not be empty'));
  if (BANNED_OWNERS.has(`${group ? `${group}/` : ''}${version}/${ref.kind}`)) {
    // Kubernetes prints the GroupVersionKind as "/v1, Kind=Event".
    errs.push(invalidValue(path, ref, `${group}/${version}, Kind=${ref.kind} is disallowed from being an owner`));
  }
  return errs;
}

/** ValidateOwnerReferences: each reference complete, at most one controller. */
export function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalidValue(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

/** ValidateFinalizers: qualified names; `orphan` and `foregroundDeletion` not both. */
export function validateFinalizers(finalizers: readonly string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) errs.push(...invalidEach(path, f, isQualifiedName(f)));
  if (finalizers?.includes(FINALIZER_ORPHAN_DEPENDENTS) && finalizers.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(
      invalidValue(path, finalizers, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`),
    );
  }
  return errs;
}

/**
 * ValidateObjectMeta for a write: the name (or generateName) by `nameFn`, the namespace present
 * exactly when the kind is namespaced, labels, annotations, owner references and finalizers.
 * Expects name generation to have happened already.
 */
export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  namespaced: boolean,
  nameFn: ValidateNameFunc,
  path: FieldPath = METADATA,
): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) errs.push(...invalidEach(path.child('generateName'), m.generateName, nameFn(m.generateName, true)));
  if (!m.name) errs.push(required(path.child('name'), 'name or generateName is required'));
  else errs.push(...invalidEach(path.child('name'), m.name, nameFn(m.name, false)));
  if (namespaced) {
    if (!m.namespace) errs.push(required(path.child('namespace')));
    else errs.push(...invalidEach(path.child('namespace'), m.namespace, validateNamespaceName(m.namespace, false)));
  } else if (m.namespace) {
    errs.push(forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(m.generation, path.child('generation')));
  errs.push(...validateLabels(m.labels, path.child('labels')));
  errs.push(...validateAnnotations(m.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, path.child('finalizers')));
  return errs;
}

/**
 * What ValidateObjectMetaUpdate adds to validateObjectMeta on an update: the identity fields are
 * immutable, resourceVersion must be given (the server fills it in for unconditional updates
 * before validating), generation never goes down, and no finalizer may be added once deletion
 * has begun. Label, annotation and owner checks are validateObjectMeta's, which validate() runs
 * on updates too.
 */
export function validateObjectMetaUpdate(
  meta: ObjectMeta | undefined,
  old: ObjectMeta | undefined,
  path: FieldPath = METADATA,
): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const added = [...new Set(m.finalizers ?? [])].filter((f) => !(o.finalizers ?? []).includes(f)).sort();
    if (added.length > 0) {
      errs.push(
        forbidden(
          path.child('finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if (!m.resourceVersion) errs.push(invalidValue(path.child('resourceVersion'), '', 'must be specified for an update'));
  if ((m.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(invalidValue(path.child('generation'), m.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutableField(m.name, o.name, path.child('name')));
  errs.push(...validateImmutableField(m.namespace, o.namespace, path.child('namespace')));
  errs.push(...validateImmutableField(m.uid, o.uid, path.child('uid')));
  errs.push(...validateImmutableField(m.creationTimestamp, o.creationTimestamp, path.child('creationTimestamp')));
  errs.push(...validateImmutableField(m.deletionTimestamp, o.deletionTimestamp, path.child('deletionTimestamp')));
  errs.push(
    ...validateImmutableField(m.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, path.child('deletionGracePeriodSeconds')),
  );
  return errs;
}
