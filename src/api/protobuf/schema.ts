/**
 * The shape of Kubernetes' protobuf messages, as far as decoding them into the JSON the API
 * server would have received needs: per field its number, JSON name, type, and how Go's
 * encoding/json treats its zero value. The schema_*.ts files hold one API group each in a
 * compact text form; this module parses that form and links the groups into one registry.
 *
 * A field is written `<number> <jsonName> <type>`, fields separated by `;`:
 *
 *   type      := presence? ('[]' | 'map[string]')? base
 *   presence  := ''   the Go field is a plain value without omitempty: always written,
 *                     its zero value when absent (null for a nil slice or map)
 *              | '?'  plain value with omitempty: dropped when it is Go's zero ('', 0, false,
 *                     empty list or map); structs are never dropped, as in Go
 *              | '*'  pointer with omitempty: written exactly when present on the wire
 *              | '&'  pointer without omitempty: null when absent
 *   base      := a scalar (SCALARS below) or a message name; unqualified names are in the same
 *                group, others are `group.Name` (`meta.ObjectMeta`, `core.PodSpec`)
 *
 * A jsonName of `~` marks a Go embedded struct with `json:",inline"`: its fields are merged
 * into the parent object (Volume embeds VolumeSource, Probe embeds ProbeHandler).
 */

/** Scalar bases and Kubernetes' special types, each with its own JSON form. */
export const SCALARS = [
  'string',
  'bool',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'double',
  // []byte: base64 in JSON.
  'bytes',
  // metav1.Time {seconds, nanos}: RFC 3339 seconds, null when zero.
  'Time',
  // metav1.MicroTime: RFC 3339 with microseconds.
  'MicroTime',
  // metav1.Duration {duration ns}: Go's "1h2m3s".
  'Duration',
  // intstr.IntOrString {type, intVal, strVal}: a number or a string.
  'IntOrString',
  // resource.Quantity {string}: its string.
  'Quantity',
  // runtime.RawExtension {raw}: the embedded JSON (or nested protobuf envelope).
  'RawExtension',
  // metav1.FieldsV1 {Raw}: the embedded JSON.
  'FieldsV1',
  // A message wrapping `repeated string items = 1` whose Go type is []string (ExtraValue).
  'StringList',
] as const;
export type Scalar = (typeof SCALARS)[number];

const SCALAR_SET: ReadonlySet<string> = new Set(SCALARS);

/** Kubernetes' special types are Go structs: omitempty never drops them. */
const STRUCT_SCALARS: ReadonlySet<Scalar> = new Set([
  'Time',
  'MicroTime',
  'Duration',
  'IntOrString',
  'Quantity',
  'RawExtension',
  'FieldsV1',
]);

export type Presence = 'always' | 'omitempty' | 'pointer' | 'nullable';

export interface FieldSpec {
  num: number;
  /** The JSON name; '' for an inline (embedded) struct. */
  json: string;
  presence: Presence;
  shape: 'single' | 'list' | 'map';
  /** A scalar, or the qualified name of a message (`core.PodSpec`). */
  type: string;
  scalar: boolean;
  inline: boolean;
}

export interface MessageSpec {
  /** Qualified name: `core.Container`. */
  name: string;
  /** In Go field order, which is the order of the JSON encoding. */
  fields: readonly FieldSpec[];
  byNumber: ReadonlyMap<number, FieldSpec>;
}

/** One API group's messages, in the text form above, keyed by unqualified name. */
export type GroupSchema = Readonly<Record<string, string>>;

export type Registry = ReadonlyMap<string, MessageSpec>;

export function isStructScalar(type: string): boolean {
  return STRUCT_SCALARS.has(type as Scalar);
}

const PRESENCE: Readonly<Record<string, Presence>> = { '?': 'omitempty', '*': 'pointer', '&': 'nullable' };

function parseField(group: string, message: string, text: string): FieldSpec {
  const parts = text.trim().split(/\s+/);
  const where = `${group}.${message} field "${text.trim()}"`;
  if (parts.length !== 3) throw new Error(`schema: ${where}: want "<number> <name> <type>"`);
  const [numText = '', json = '', typeText = ''] = parts;
  const num = Number(numText);
  if (!Number.isInteger(num) || num < 1) throw new Error(`schema: ${where}: bad field number`);
  let rest = typeText;
  let presence: Presence = 'always';
  const mark = PRESENCE[rest[0] ?? ''];
  if (mark) {
    presence = mark;
    rest = rest.slice(1);
  }
  let shape: FieldSpec['shape'] = 'single';
  if (rest.startsWith('[]')) {
    shape = 'list';
    rest = rest.slice(2);
  } else if (rest.startsWith('map[string]')) {
    shape = 'map';
    rest = rest.slice('map[string]'.length);
  }
  const scalar = SCALAR_SET.has(rest);
  const type = scalar || rest.includes('.') ? rest : `${group}.${rest}`;
  const inline = json === '~';
  if (inline && (scalar || shape !== 'single' || presence !== 'always')) {
    throw new Error(`schema: ${where}: only a plain message can be inline`);
  }
  if (shape !== 'single' && (presence === 'pointer' || presence === 'nullable')) {
    throw new Error(`schema: ${where}: lists and maps are never pointers`);
  }
  return { num, json: inline ? '' : json, presence, shape, type, scalar, inline };
}

/** Parses the groups and checks that every message a field names exists. Throws on any mistake. */
export function buildRegistry(groups: Readonly<Record<string, GroupSchema>>): Registry {
  const registry = new Map<string, MessageSpec>();
  for (const [group, messages] of Object.entries(groups)) {
    for (const [message, text] of Object.entries(messages)) {
      const fields = text
        .split(';')
        .filter((f) => f.trim() !== '')
        .map((f) => parseField(group, message, f));
      const byNumber = new Map<number, FieldSpec>();
      for (const f of fields) {
        if (byNumber.has(f.num)) throw new Error(`schema: ${group}.${message}: field number ${f.num} twice`);
        byNumber.set(f.num, f);
      }
      registry.set(`${group}.${message}`, { name: `${group}.${message}`, fields, byNumber });
    }
  }
  for (const spec of registry.values()) {
    for (const f of spec.fields) {
      if (!f.scalar && !registry.has(f.type)) throw new Error(`schema: ${spec.name}.${f.json || '~'}: unknown message ${f.type}`);
    }
  }
  return registry;
}
