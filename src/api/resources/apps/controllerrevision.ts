/**
 * apps/v1 ControllerRevision: an immutable snapshot of a StatefulSet's or DaemonSet's
 * template, kept for rollbacks. The data may not change; the table shows the owning controller.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import { parseApiVersion, type KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { validateImmutableField, validateNonnegativeField } from '../../validation/field.js';
import { ageColumn } from '../columns.js';

type ControllerRevisionObject = ControllerRevision & KubeObject;

/** ValidateControllerRevision: the revision is never negative. */
export function validateControllerRevision(rev: ControllerRevision): FieldError[] {
  return validateNonnegativeField(rev.revision, FieldPath.root('revision'));
}

/** CONTROLLER: `statefulset.apps/web` (the kind lower-cased with its group), `<none>` without one. */
export function controllerCell(rev: ControllerRevision): string {
  const ref = rev.metadata?.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(ref.apiVersion);
  const kind = group ? `${ref.kind}.${group}` : ref.kind;
  return kind ? `${kind.toLowerCase()}/${ref.name}` : ref.name;
}

export const controllerRevisions: ResourceType<ControllerRevisionObject> = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  resource: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  strategy: {
    validate: validateControllerRevision,
    validateUpdate: (rev, old) => validateImmutableField(rev.data, old.data, FieldPath.root('data')),
  },
  table: [
    { name: 'Controller', type: 'string', description: 'Controller of the object', cell: controllerCell },
    { name: 'Revision', type: 'string', description: 'Revision indicates the revision of the state represented by Data.', cell: (rev) => rev.revision ?? 0 },
    ageColumn,
  ],
};
