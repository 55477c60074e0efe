/**
 * The resource registry: one declaration per served resource (group, version, kind, plural,
 * scope, verbs, subresources, short names, defaulting, validation, table columns, field
 * selectors). Routing, discovery, OpenAPI and `kubectl get` columns all derive from it, so a
 * new resource is one new declaration file (src/api/resources/) and one row in its group's
 * table. CustomResourceDefinitions add and remove declarations at run time.
 */
import type { FieldError } from './errors.js';
import type { KubeObject } from './object.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** One column of the server-side Table (`kubectl get`). */
export interface TableColumn<T extends KubeObject = KubeObject> {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority?: number;
  /** The cell's value; `now` (ms) for ages. */
  cell(obj: T, now: number): string | number | boolean | null;
}

/**
 * Per-kind behaviour on writes, in the order the API server applies it: defaults, then
 * prepareForCreate/Update, then validate (and validateUpdate on updates). Every hook works on
 * the object in place or returns field errors; none does I/O.
 */
export interface Strategy<T extends KubeObject = KubeObject> {
  /** Fills in defaults, as kube-apiserver's defaulting functions do (also for the status subresource). */
  defaults?(obj: T): void;
  /** Adjusts a new object before validation (say, a Pod's initial status). */
  prepareForCreate?(obj: T): void;
  /** Adjusts an updated object before validation, given the stored one. */
  prepareForUpdate?(obj: T, old: T): void;
  /** Checks an object, new or updated. */
  validate?(obj: T): FieldError[];
  /** Extra checks on updates: immutable fields and allowed transitions. */
  validateUpdate?(obj: T, old: T): FieldError[];
  /** Extra checks on writes to the status subresource. */
  validateStatusUpdate?(obj: T, old: T): FieldError[];
  /**
   * Graceful deletion: the seconds an object stays, marked with deletionTimestamp, before it
   * is removed (a Pod waits for its kubelet). 0 or absent: removed at once. `requested` is the
   * client's gracePeriodSeconds.
   */
  gracePeriod?(obj: T, requested: number | undefined): number;
  /**
   * True while the kind's own finalization holds a deleted object back (a Namespace's
   * spec.finalizers), besides metadata.finalizers.
   */
  holdsDeletion?(obj: T): boolean;
  /** Marks an object whose deletion has begun but must wait (a Namespace goes Terminating). */
  prepareForDeletion?(obj: T): void;
}

/** The scale subresource: where the replica counts and selector live in the object. */
export interface ScaleSubresource {
  /** JSON path of the desired replicas, e.g. `.spec.replicas`. */
  specReplicasPath: string;
  /** JSON path of the observed replicas, e.g. `.status.replicas`. */
  statusReplicasPath: string;
  /** JSON path of the label selector string in status, when the kind reports one. */
  labelSelectorPath?: string;
  /** The selector string, for kinds that keep none in status (a ReplicationController's map). */
  selectorOf?(obj: KubeObject): string;
}

export interface Subresources {
  /** `status`: writes there change only .status; writes to the object never change .status. */
  status?: boolean;
  scale?: ScaleSubresource;
  /**
   * Other subresources served by dedicated handlers (`log`, `exec`, `attach`, `portforward`,
   * `proxy`, `binding`, `eviction`, `token`, ...), by name.
   */
  others?: readonly string[];
}

export interface ResourceType<T extends KubeObject = KubeObject> {
  /** API group; '' is the core group. */
  group: string;
  version: string;
  kind: string;
  /** The plural, lower-case resource name used in URLs (`pods`). */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  /** Categories such as `all`, for `kubectl get all`. */
  categories?: readonly string[];
  /** Verbs served; every verb when absent. */
  verbs?: readonly Verb[];
  subresources?: Subresources;
  /**
   * Whether metadata.generation is kept: 1 on create, +1 on every change outside metadata and
   * status (workloads and custom resources; not pods, services or config maps).
   */
  tracksGeneration?: boolean;
  /**
   * The storage key segment, `/registry/<storageResource>/...`; `resource` when absent.
   * Versions of one resource (autoscaling/v1 and v2 HPAs) share it.
   */
  storageResource?: string;
  /** For a version that is not the one stored: conversion to and from the stored version. */
  conversion?: {
    storageVersion: string;
    toStorage(obj: T): KubeObject;
    fromStorage(obj: KubeObject): T;
  };
  strategy?: Strategy<T>;
  /**
   * Checks metadata.name (and generateName, with `prefix` true); returns the problems.
   * A DNS-1123 subdomain when absent, as for most kinds.
   */
  validateName?: (name: string, prefix: boolean) => string[];
  /** Table columns after Name (which every table starts with). */
  table?: readonly TableColumn<T>[];
  /**
   * Field selectors this kind supports besides metadata.name and metadata.namespace, each
   * mapped to the object's value for it.
   */
  fieldSelectors?: Readonly<Record<string, (obj: T) => string | undefined>>;
}

/** `apps/v1` (or `v1` for the core group). */
export function groupVersion(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function verbsOf(rt: ResourceType): readonly Verb[] {
  return rt.verbs ?? ALL_VERBS;
}

/** The storage key prefix of a resource's objects: `/registry/pods/`. */
export function storagePrefix(rt: ResourceType): string {
  return `/registry/${rt.storageResource ?? rt.resource}/`;
}

/** The key of one object: `/registry/pods/default/web`, `/registry/nodes/n1`. */
export function storageKey(rt: ResourceType, namespace: string | undefined, name: string): string {
  return rt.namespaced ? `${storagePrefix(rt)}${namespace ?? ''}/${name}` : `${storagePrefix(rt)}${name}`;
}

type Listener = () => void;

/**
 * The set of served resources. Lookups are by group, version and plural (routing), by kind
 * (decoding bodies), and by any name kubectl may use. Listeners hear of additions and removals
 * (discovery and OpenAPI documents are rebuilt then).
 */
export class Registry {
  private readonly byPath = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();
  private readonly listeners = new Set<Listener>();

  constructor(types: readonly ResourceType[] = []) {
    for (const rt of types) this.put(rt);
  }

  add(rt: ResourceType): void {
    this.put(rt);
    this.changed();
  }

  remove(group: string, version: string, resource: string): void {
    const rt = this.byPath.get(pathKey(group, version, resource));
    if (!rt) return;
    this.byPath.delete(pathKey(group, version, resource));
    this.byKind.delete(kindKey(group, version, rt.kind));
    this.changed();
  }

  get(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byPath.get(pathKey(group, version, resource));
  }

  getByKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.byKind.get(kindKey(group, version, kind));
  }

  /** Every resource, in registration order. */
  all(): ResourceType[] {
    return [...this.byPath.values()];
  }

  /** Called after every change; returns a function that unsubscribes. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private put(rt: ResourceType): void {
    this.byPath.set(pathKey(rt.group, rt.version, rt.resource), rt);
    this.byKind.set(kindKey(rt.group, rt.version, rt.kind), rt);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

const pathKey = (group: string, version: string, resource: string): string => `${group}/${version}/${resource}`;
const kindKey = (group: string, version: string, kind: string): string => `${group}/${version}#${kind}`;
