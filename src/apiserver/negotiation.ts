/**
 * Content negotiation: which representation the client's Accept header asks for. kts speaks
 * JSON only; a client that prefers protobuf (kubectl describe does) names JSON second and gets
 * it. Besides plain objects a client may ask for a meta.k8s.io Table (kubectl get), partial
 * object metadata, or aggregated discovery (apidiscovery.k8s.io).
 */
import { notAcceptable } from '../api/errors.js';

export type Representation =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' }
  | { as: 'APIGroupDiscoveryList'; version: 'v2' | 'v2beta1' };

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(',').map((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
    }
    return { type: type.toLowerCase(), params };
  });
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*', '']);

/**
 * The first representation in the Accept header that kts can produce, among those `allowed`
 * for this endpoint; a plain object when the header is absent. 406 when nothing fits.
 */
export function negotiate(accept: string | undefined, allowed: ReadonlySet<Representation['as']>): Representation {
  if (!accept) return { as: 'object' };
  for (const range of parseAccept(accept)) {
    const as = range.params.get('as');
    if (as === undefined) {
      if (JSON_TYPES.has(range.type) || range.type === 'application/yaml') return { as: 'object' };
      continue;
    }
    if (range.type !== 'application/json') continue;
    const g = range.params.get('g');
    const v = range.params.get('v');
    if ((as === 'Table' || as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io') {
      const kind = as === 'Table' ? 'Table' : 'PartialObjectMetadata';
      if ((v === 'v1' || v === 'v1beta1') && allowed.has(kind)) return { as: kind, version: v };
    } else if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io') {
      if ((v === 'v2' || v === 'v2beta1') && allowed.has('APIGroupDiscoveryList')) return { as, version: v };
    }
  }
  if (allowed.has('object') && parseAccept(accept).some((r) => r.params.get('as') === undefined && r.type.includes('protobuf'))) {
    // Protobuf alone: answer JSON, as clients that ask for protobuf also read JSON.
    return { as: 'object' };
  }
  throw notAcceptable(`only the following media types are accepted: application/json, application/yaml`);
}
