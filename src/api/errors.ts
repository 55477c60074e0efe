/**
 * Errors that cross the API: a StatusError carries a Kubernetes `Status` (kind Status,
 * apiVersion v1), which the API server writes as the response body with its code, and which
 * kubectl prints the usual way ("Error from server (NotFound): pods "x" not found").
 *
 * Field errors follow apimachinery's field.Error: a path (`spec.containers[0].image`), a type
 * with its fixed wording ("Invalid value", "Required value", ...), the bad value and a detail.
 * `invalid()` turns a list of them into the 422 Status with one cause per field.
 */

/** The `Status` object of meta/v1. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'TooManyRequests'
  | 'Timeout'
  | 'ServerTimeout'
  | 'ServiceUnavailable'
  | 'InternalError'
  | '';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** An error whose answer to the client is a Kubernetes Status. */
export class StatusError extends Error {
  constructor(readonly status: Status, options?: { cause?: unknown }) {
    super(status.message ?? status.reason ?? 'unknown error', options);
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

export function isStatusError(err: unknown, reason?: StatusReason): err is StatusError {
  return err instanceof StatusError && (reason === undefined || err.status.reason === reason);
}

/** Identifies the object an error is about, as Status.details does. */
export interface ObjectRef {
  /** The resource's group ('' for the core group). */
  group: string;
  /** The plural resource name (`pods`), as Kubernetes puts it in details.kind for most errors. */
  resource: string;
  name?: string;
}

/** `pods` or `deployments.apps`: how Kubernetes names a group-resource in messages. */
export function qualifiedResource(ref: Pick<ObjectRef, 'group' | 'resource'>): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

export function statusFailure(
  code: number,
  reason: StatusReason,
  message: string,
  details?: StatusDetails,
): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

export function statusSuccess(details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) status.details = details;
  return status;
}

function refDetails(ref: ObjectRef): StatusDetails {
  const details: StatusDetails = { kind: ref.resource };
  if (ref.name !== undefined) details.name = ref.name;
  if (ref.group) details.group = ref.group;
  return details;
}

export const badRequest = (message: string): StatusError => statusFailure(400, 'BadRequest', message);

export const unauthorized = (message = 'Unauthorized'): StatusError => statusFailure(401, 'Unauthorized', message);

export const forbidden = (message: string, ref?: ObjectRef): StatusError =>
  statusFailure(403, 'Forbidden', message, ref ? refDetails(ref) : undefined);

export const notFound = (ref: ObjectRef): StatusError =>
  statusFailure(404, 'NotFound', `${qualifiedResource(ref)} "${ref.name ?? ''}" not found`, refDetails(ref));

export const alreadyExists = (ref: ObjectRef): StatusError =>
  statusFailure(409, 'AlreadyExists', `${qualifiedResource(ref)} "${ref.name ?? ''}" already exists`, refDetails(ref));

/** The 409 of optimistic concurrency, worded as kube-apiserver words it. */
export const conflict = (ref: ObjectRef, why: string): StatusError =>
  statusFailure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(ref)} "${ref.name ?? ''}": ${why}`,
    refDetails(ref),
  );

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

export const expired = (message: string): StatusError => statusFailure(410, 'Expired', message);

export const gone = (message: string): StatusError => statusFailure(410, 'Gone', message);

export const methodNotAllowed = (message: string): StatusError => statusFailure(405, 'MethodNotAllowed', message);

export const notAcceptable = (message: string): StatusError => statusFailure(406, 'NotAcceptable', message);

export const requestEntityTooLarge = (message: string): StatusError =>
  statusFailure(413, 'RequestEntityTooLarge', message);

export const unsupportedMediaType = (message: string): StatusError =>
  statusFailure(415, 'UnsupportedMediaType', message);

export const internalError = (message: string): StatusError =>
  statusFailure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

export const serviceUnavailable = (message: string): StatusError =>
  statusFailure(503, 'ServiceUnavailable', message);

export const timeout = (message: string): StatusError => statusFailure(504, 'Timeout', message);

/** The kinds of field error, with apimachinery's reason and wording. */
export const FIELD_ERROR_TYPES = {
  NotFound: { reason: 'FieldValueNotFound', text: 'Not found' },
  Required: { reason: 'FieldValueRequired', text: 'Required value' },
  Duplicate: { reason: 'FieldValueDuplicate', text: 'Duplicate value' },
  Invalid: { reason: 'FieldValueInvalid', text: 'Invalid value' },
  NotSupported: { reason: 'FieldValueNotSupported', text: 'Unsupported value' },
  Forbidden: { reason: 'FieldValueForbidden', text: 'Forbidden' },
  TooLong: { reason: 'FieldValueTooLong', text: 'Too long' },
  TooMany: { reason: 'FieldValueTooMany', text: 'Too many' },
  TypeInvalid: { reason: 'FieldValueTypeInvalid', text: 'Invalid value' },
} as const;

export type FieldErrorType = keyof typeof FIELD_ERROR_TYPES;

/** One problem with one field of an object. */
export interface FieldError {
  type: FieldErrorType;
  /** The field's path: `metadata.name`, `spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`. */
  field: string;
  /** The offending value; omitted from the message for Required, Forbidden, TooLong and TooMany. */
  value?: unknown;
  detail?: string;
}

/** Renders a value the way apimachinery's field errors do: strings quoted, numbers bare. */
function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

/** The error's text without its field: `Invalid value: -1: must be greater than or equal to 0`. */
export function fieldErrorBody(error: FieldError): string {
  const { text } = FIELD_ERROR_TYPES[error.type];
  const omitValue = ['Required', 'Forbidden', 'TooLong', 'TooMany'].includes(error.type) || !('value' in error);
  let body = omitValue ? text : `${text}: ${renderValue(error.value)}`;
  if (error.detail) body += `: ${error.detail}`;
  return body;
}

/** `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function fieldErrorMessage(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/**
 * The 422 Invalid Status for `kind` `name` (kind is the object's Kind, qualified with the group:
 * `Deployment.apps`), with one cause per field error, as kube-apiserver builds it.
 */
export function invalid(kind: { group: string; kind: string }, name: string, errors: readonly FieldError[]): StatusError {
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const messages = errors.map(fieldErrorMessage);
  const summary = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
  const details: StatusDetails = {
    name,
    kind: kind.kind,
    causes: errors.map((e) => ({ reason: FIELD_ERROR_TYPES[e.type].reason, message: fieldErrorBody(e), field: e.field })),
  };
  if (kind.group) details.group = kind.group;
  return statusFailure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, details);
}

/** Builds field paths the way apimachinery's field.Path prints them. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(name: string): FieldPath {
    return new FieldPath(name);
  }

  child(...names: string[]): FieldPath {
    let text = this.text;
    for (const name of names) text = text ? `${text}.${name}` : name;
    return new FieldPath(text);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}
