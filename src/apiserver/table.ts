/**
 * Server-side printing: objects as a meta.k8s.io Table, the form `kubectl get` asks for. The
 * columns come from the resource's declaration; every table starts with Name, and a kind
 * without columns shows Name and Age, as kube-apiserver's default table does.
 */
import type { KubeObject } from '../api/object.js';
import type { ResourceType, TableColumn } from '../api/registry.js';
import { ageColumn } from '../api/resources/columns.js';

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
  /** Leave out column definitions (watch events after the first, as kube-apiserver does with noHeaders). */
  noHeaders?: boolean;
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number;
  now: number;
}

function columnsOf(rt: ResourceType): readonly TableColumn[] {
  return rt.table ?? [ageColumn];
}

function rowObject(obj: KubeObject, rt: ResourceType, include: IncludeObject, version: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: obj.metadata,
  };
}

export function toTable(rt: ResourceType, objects: readonly KubeObject[], options: TableOptions): Record<string, unknown> {
  const columns = columnsOf(rt);
  const metadata: Record<string, unknown> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  const table: Record<string, unknown> = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata,
  };
  // A kind that places its name column itself (events: last, and only with -o wide) gets no
  // leading Name.
  const leadingName = !columns.some((c) => c.format === 'name');
  if (!options.noHeaders) {
    table.columnDefinitions = [
      ...(leadingName ? [NAME_COLUMN] : []),
      ...columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority ?? 0 })),
    ];
  }
  table.rows = objects.map((obj) => {
    const row: Record<string, unknown> = {
      cells: [...(leadingName ? [obj.metadata.name ?? ''] : []), ...columns.map((c) => c.cell(obj, options.now))],
    };
    const object = rowObject(obj, rt, options.includeObject, options.version);
    if (object !== undefined) row.object = object;
    return row;
  });
  return table;
}
