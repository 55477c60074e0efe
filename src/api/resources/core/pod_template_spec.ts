/**
 * Pod templates (`spec.template` of replication controllers and workloads, and PodTemplate
 * objects): defaults and validation of the template's metadata and pod spec, and the
 * CONTAINERS / IMAGES cells that tables of workloads show.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { FieldError, FieldPath } from '../../errors.js';
import { validateAnnotations, validateLabels } from '../../validation/qualified_name.js';
import { defaultPodSpec } from './pod_spec_defaults.js';
import { validatePodSpec } from './pod_spec_validation.js';

export function defaultPodTemplateSpec(template: PodTemplateSpec | undefined, kind: string): void {
  if (!template) return;
  template.spec ??= { containers: [] };
  defaultPodSpec(template.spec, kind);
}

/** ValidatePodTemplateSpec: labels, annotations and the pod spec at `path.spec`. */
export function validatePodTemplateSpec(template: PodTemplateSpec, path: FieldPath): FieldError[] {
  const meta = path.child('metadata');
  return [
    ...validateLabels(template.metadata?.labels, meta.child('labels')),
    ...validateAnnotations(template.metadata?.annotations, meta.child('annotations')),
    ...validatePodSpec(template.spec, path.child('spec')),
  ];
}

/** layoutContainerCells: container names and images, comma-separated. */
export function containerCells(template: PodTemplateSpec | undefined): { names: string; images: string } {
  const containers = template?.spec?.containers ?? [];
  return { names: containers.map((c) => c.name).join(','), images: containers.map((c) => c.image ?? '').join(',') };
}
