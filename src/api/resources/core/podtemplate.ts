/** core/v1 PodTemplate: a stored pod template. */
import type { PodTemplate } from 'kubernetes-types/core/v1.js';
import { FieldPath } from '../../errors.js';
import { formatLabels } from '../../labels.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { containerCells, defaultPodTemplateSpec, validatePodTemplateSpec } from './pod_template_spec.js';

type PodTemplateObject = PodTemplate & KubeObject;

export const podTemplates: ResourceType<PodTemplateObject> = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  resource: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  strategy: {
    defaults: (pt) => defaultPodTemplateSpec(pt.template, 'PodTemplate'),
    validate: (pt) => validatePodTemplateSpec(pt.template ?? {}, FieldPath.root('template')),
  },
  table: [
    { name: 'Containers', type: 'string', description: 'Names of each container in the template.', cell: (pt) => containerCells(pt.template).names },
    { name: 'Images', type: 'string', description: 'Images referenced by each container in the template.', cell: (pt) => containerCells(pt.template).images },
    { name: 'Pod Labels', type: 'string', description: 'The labels for the pod template.', cell: (pt) => formatLabels(pt.template?.metadata?.labels) },
  ],
};
