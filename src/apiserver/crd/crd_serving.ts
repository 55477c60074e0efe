/**
 * Keeps the registry (and so routing, storage, discovery) and the OpenAPI documents in step
 * with the CRDs being served: one ResourceType and one pair of definitions per served version,
 * from the CRD's accepted names. A type whose identity (group, version, plural, kind, scope,
 * storage version) is unchanged is updated in place, so its store and watches carry on; any
 * other change replaces it. Used by the CRD controller only.
 */
import type { Registry, ResourceType } from '../../api/registry.js';
import { storageVersionOf, type CRDObject } from '../../api/resources/apiextensions/customresourcedefinition.js';
import type { JSONSchema } from '../../api/resources/apiextensions/json_schema.js';
import type { Schema } from '../openapi/schema.js';
import { hasAcceptedNames } from './crd_names.js';
import { crdDefinitions } from './crd_openapi.js';
import { customResourceType, identityOf } from './custom_resource_type.js';

/** Where CRD schemas are published (OpenAPIService). */
export interface DefinitionSink {
  putDefinition(name: string, schema: Schema): void;
  removeDefinition(name: string): void;
}

interface Served {
  fingerprint: string;
  /** By version name. */
  types: Map<string, ResourceType>;
  definitions: string[];
}

export class CrdServing {
  private readonly served = new Map<string, Served>();

  constructor(
    private readonly registry: Registry,
    private readonly definitions: DefinitionSink | undefined,
    /** Whether the named CRD is being deleted (custom resource creates are refused then). */
    private readonly terminating: (crdName: string) => boolean,
  ) {}

  /** The types served for a CRD, by version. */
  typesOf(crdName: string): ResourceType[] {
    return [...(this.served.get(crdName)?.types.values() ?? [])];
  }

  /** Names of the CRDs being served. */
  crdNames(): string[] {
    return [...this.served.keys()];
  }

  /** Serves the CRD's served versions under its accepted names (nothing when none are accepted). */
  serve(crd: CRDObject): void {
    const name = crd.metadata.name as string;
    const names = crd.status?.acceptedNames;
    const storageVersion = storageVersionOf(crd);
    if (!names || !hasAcceptedNames(crd.status) || !storageVersion) {
      this.unserve(name);
      return;
    }
    const fingerprint = JSON.stringify([crd.spec, names]);
    const current = this.served.get(name);
    if (current?.fingerprint === fingerprint) return;
    const types = new Map<string, ResourceType>();
    const definitions: string[] = [];
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const rt = customResourceType({ crd, version, names, storageVersion, terminating: () => this.terminating(name) });
      const defs = crdDefinitions(
        { group: rt.group, version: rt.version, kind: rt.kind, plural: rt.resource },
        version.schema?.openAPIV3Schema as JSONSchema | undefined,
      );
      // Definitions first, so that documents built for the new type already have its schema.
      this.definitions?.putDefinition(defs.names.object, defs.object);
      this.definitions?.putDefinition(defs.names.list, defs.list);
      definitions.push(defs.names.object, defs.names.list);
      const old = current?.types.get(version.name);
      if (old && identityOf(old) === identityOf(rt)) {
        for (const key of Object.keys(old) as (keyof ResourceType)[]) if (!(key in rt)) delete old[key];
        Object.assign(old, rt);
        this.registry.add(old);
        types.set(version.name, old);
      } else {
        if (old) this.registry.remove(old.group, old.version, old.resource);
        this.registry.add(rt);
        types.set(version.name, rt);
      }
    }
    for (const [version, old] of current?.types ?? []) {
      if (!types.has(version)) this.registry.remove(old.group, old.version, old.resource);
    }
    for (const def of current?.definitions ?? []) if (!definitions.includes(def)) this.definitions?.removeDefinition(def);
    this.served.set(name, { fingerprint, types, definitions });
  }

  /** Stops serving a CRD's custom resources (their objects stay in storage). */
  unserve(crdName: string): void {
    const current = this.served.get(crdName);
    if (!current) return;
    this.served.delete(crdName);
    for (const rt of current.types.values()) this.registry.remove(rt.group, rt.version, rt.resource);
    for (const def of current.definitions) this.definitions?.removeDefinition(def);
  }
}
