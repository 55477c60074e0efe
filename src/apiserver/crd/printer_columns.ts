/**
 * Table columns of custom resources from a CRD version's additionalPrinterColumns, as
 * apiextensions-apiserver's table convertor builds them: each cell the first value its JSONPath
 * finds, typed by the column (integers, numbers, booleans, strings; dates shown as ages), or
 * null when nothing is there. Without columns: Age, from metadata.creationTimestamp.
 */
import type { CustomResourceColumnDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableColumn } from '../../api/registry.js';
import { parseJsonPath } from '../../api/resources/apiextensions/jsonpath.js';
import { age } from '../../api/resources/columns.js';

const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const DEFAULT_COLUMNS: CustomResourceColumnDefinition[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: CREATION_TIMESTAMP_DESCRIPTION },
];

type CellType = TableColumn['type'];
type Cell = string | number | boolean | null;

/** The TableColumns (after Name) for a version's printer columns. */
export function printerColumns(columns: readonly CustomResourceColumnDefinition[] | undefined): TableColumn[] {
  const defs = columns && columns.length > 0 ? columns : DEFAULT_COLUMNS;
  return defs.map((col) => {
    const type = (['string', 'integer', 'number', 'boolean', 'date'].includes(col.type) ? col.type : 'string') as CellType;
    let find: (obj: unknown) => unknown[];
    try {
      find = parseJsonPath(col.jsonPath).find;
    } catch {
      find = () => []; // validation rejects such paths; a stored one shows empty cells
    }
    const column: TableColumn = {
      name: col.name,
      type,
      description: col.description || `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
      priority: col.priority ?? 0,
      cell: (obj: KubeObject, now: number) => cellFor(type, find(obj)[0], now),
    };
    if (col.format) column.format = col.format;
    return column;
  });
}

/** cellForJSONValue: a value shown as its column's type, or null. */
export function cellFor(type: CellType, value: unknown, now: number): Cell {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : age(value, now);
    case 'string':
      if (typeof value === 'string') return value;
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  }
}
