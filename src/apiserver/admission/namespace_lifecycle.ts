/**
 * NamespaceLifecycle, as kube-apiserver's plugin: objects may be created only in a namespace
 * that exists and is not being deleted, and the system namespaces cannot be deleted.
 */
import { forbidden, notFound } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { AdmissionPlugin } from './admission.js';

/** Namespaces that must always exist. */
const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceLifecycle(getNamespace: (name: string) => Promise<KubeObject | undefined>): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(attrs) {
      const rt = attrs.resource;
      if (attrs.operation === 'DELETE' && rt.group === '' && rt.resource === 'namespaces' && IMMORTAL.has(attrs.name)) {
        throw forbidden(`namespaces "${attrs.name}" is forbidden: this namespace may not be deleted`, {
          group: '',
          resource: 'namespaces',
          name: attrs.name,
        });
      }
      if (attrs.operation !== 'CREATE' || !rt.namespaced || attrs.namespace === undefined) return;
      const ns = await getNamespace(attrs.namespace);
      if (!ns) throw notFound({ group: '', resource: 'namespaces', name: attrs.namespace });
      if (ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
        // Events about a namespace being cleaned up are still welcome, as in Kubernetes.
        if (rt.resource === 'events') return;
        throw forbidden(
          `${rt.group ? `${rt.resource}.${rt.group}` : rt.resource} "${attrs.name}" is forbidden: unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
          { group: rt.group, resource: rt.resource, name: attrs.name },
        );
      }
    },
  };
}
