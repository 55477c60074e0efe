/**
 * networking.k8s.io/v1 IngressClass: which controller implements an Ingress class. The
 * controller is immutable; parameters are scoped to the cluster or a namespace.
 */
import type { IngressClass } from 'kubernetes-types/networking/v1.js';
import { FieldPath, type FieldError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry.js';
import { isDNS1123Subdomain } from '../../validation/dns.js';
import { invalidEach, invalidValue, notSupported, required, tooLong, validateImmutableField } from '../../validation/field.js';
import { ageColumn } from '../columns.js';

type IngressClassObject = IngressClass & KubeObject;

const SPEC = FieldPath.root('spec');
const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'];

/** IsDomainPrefixedPath: `example.com/path`. */
function validateController(controller: string | undefined, path: FieldPath): FieldError[] {
  if (!controller) return [required(path)];
  if (controller.length > MAX_CONTROLLER_LENGTH) return [tooLong(path, MAX_CONTROLLER_LENGTH)];
  const slash = controller.indexOf('/');
  if (slash < 0) return [invalidValue(path, controller, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  return invalidEach(path, controller, isDNS1123Subdomain(controller.slice(0, slash)));
}

/** ValidateIngressClassSpec's essentials. */
export function validateIngressClass(ic: IngressClass): FieldError[] {
  const errs = validateController(ic.spec?.controller, SPEC.child('controller'));
  const params = ic.spec?.parameters;
  if (params) {
    const pp = SPEC.child('parameters');
    if (!params.kind) errs.push(required(pp.child('kind')));
    if (!params.name) errs.push(required(pp.child('name')));
    const scope = params.scope ?? 'Cluster';
    if (!SCOPES.includes(scope)) errs.push(notSupported(pp.child('scope'), scope, SCOPES));
    if (scope === 'Namespace' && !params.namespace) errs.push(required(pp.child('namespace'), '`parameters.scope` is set to "Namespace"'));
    if (scope === 'Cluster' && params.namespace) errs.push({ type: 'Forbidden', field: pp.child('namespace').toString(), detail: '`parameters.scope` is set to "Cluster"' });
  }
  return errs;
}

export const ingressClasses: ResourceType<IngressClassObject> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  resource: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  tracksGeneration: true,
  strategy: {
    validate: validateIngressClass,
    validateUpdate: (ic, old) => validateImmutableField(ic.spec?.controller, old.spec?.controller, SPEC.child('controller')),
  },
  table: [
    { name: 'Controller', type: 'string', description: 'Controller that is responsible for handling this class', cell: (ic) => ic.spec?.controller ?? '' },
    {
      name: 'Parameters',
      type: 'string',
      description: 'A reference to a resource with additional parameters',
      cell: (ic) => {
        const p = ic.spec?.parameters;
        if (!p) return '<none>';
        return `${p.apiGroup !== undefined ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}`;
      },
    },
    ageColumn,
  ],
};
