// What a toxic *is* on the API side: its JSON shape, defaults and
// validation. How a toxic acts on bytes lives in toxics.ts.
import { invalidStream, invalidToxicType, badBody } from './errors.ts';
import { decodeStruct, isObject, jsonTypeName, lookup, type FieldSpec } from './schema.ts';

export type StreamDirection = 'upstream' | 'downstream';

export const TOXIC_TYPES = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'noop'] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];

/** Attribute fields per toxic type; all are integers (Go int/int64), zero when absent. */
const ATTRIBUTE_FIELDS: Record<ToxicType, readonly FieldSpec[]> = {
  latency: [
    { key: 'latency', kind: 'int' },
    { key: 'jitter', kind: 'int' },
  ],
  bandwidth: [{ key: 'rate', kind: 'int' }],
  slow_close: [{ key: 'delay', kind: 'int' }],
  timeout: [{ key: 'timeout', kind: 'int' }],
  reset_peer: [{ key: 'timeout', kind: 'int' }],
  slicer: [
    { key: 'average_size', kind: 'int' },
    { key: 'size_variation', kind: 'int' },
    { key: 'delay', kind: 'int' },
  ],
  limit_data: [{ key: 'bytes', kind: 'int' }],
  noop: [],
};

const GO_NAMES: Record<ToxicType, string> = {
  latency: 'LatencyToxic',
  bandwidth: 'BandwidthToxic',
  slow_close: 'SlowCloseToxic',
  timeout: 'TimeoutToxic',
  reset_peer: 'ResetToxic',
  slicer: 'SlicerToxic',
  limit_data: 'LimitDataToxic',
  noop: 'NoopToxic',
};

export type ToxicAttributes = Readonly<Record<string, number>>;

/** A toxic as stored and as sent back to clients. */
export interface ToxicSpec {
  readonly name: string;
  readonly type: ToxicType;
  /** As the client spelled it (Go keeps the original string). */
  readonly stream: string;
  readonly direction: StreamDirection;
  readonly toxicity: number;
  readonly attributes: ToxicAttributes;
}

export interface ToxicJson {
  attributes: ToxicAttributes;
  name: string;
  type: ToxicType;
  stream: string;
  toxicity: number;
}

export function toxicJson(spec: ToxicSpec): ToxicJson {
  return {
    attributes: { ...spec.attributes },
    name: spec.name,
    type: spec.type,
    stream: spec.stream,
    toxicity: spec.toxicity,
  };
}

const HEADER_FIELDS: readonly FieldSpec[] = [
  { key: 'name', kind: 'string' },
  { key: 'type', kind: 'string' },
  { key: 'stream', kind: 'string' },
  { key: 'toxicity', kind: 'float' },
];

function isToxicType(value: string): value is ToxicType {
  return (TOXIC_TYPES as readonly string[]).includes(value);
}

/**
 * Validates a create-toxic body. Checks run in Toxiproxy's order: body
 * shape, stream, type; the duplicate-name check is the caller's, and comes
 * before the attributes are decoded (see decodeAttributes).
 */
export function decodeToxicHeader(body: unknown): { spec: Omit<ToxicSpec, 'attributes'>; rawAttributes: unknown } {
  const header = decodeStruct(body, { name: '', type: '', stream: 'downstream', toxicity: 1 }, HEADER_FIELDS, 'toxics.ToxicWrapper');
  const direction = header.stream.toLowerCase();
  if (direction !== 'upstream' && direction !== 'downstream') throw invalidStream();
  const name = header.name === '' ? `${header.type}_${header.stream}` : header.name;
  if (!isToxicType(header.type)) throw invalidToxicType();
  const rawAttributes = isObject(body) ? lookup(body, 'attributes') : undefined;
  return {
    spec: { name, type: header.type, stream: header.stream, direction, toxicity: header.toxicity },
    rawAttributes,
  };
}

/** Decodes attributes for `type` over `base` (zero values on create, the current ones on update). */
export function decodeAttributes(type: ToxicType, raw: unknown, base?: ToxicAttributes): ToxicAttributes {
  const fields = ATTRIBUTE_FIELDS[type];
  const start: Record<string, number> = {};
  for (const f of fields) start[f.key] = base?.[f.key] ?? 0;
  if (raw === undefined) return start;
  if (raw !== null && !isObject(raw)) {
    throw badBody(`json: cannot unmarshal ${jsonTypeName(raw)} into Go value of type toxics.${GO_NAMES[type]}`);
  }
  return decodeStruct(raw, start, fields, GO_NAMES[type]);
}

/** An update merges `attributes` and `toxicity` into the toxic; other fields are ignored. */
export function mergeToxicUpdate(current: ToxicSpec, body: unknown): ToxicSpec {
  const { toxicity } = decodeStruct(body, { toxicity: current.toxicity }, [HEADER_FIELDS[3]], 'struct');
  const raw = isObject(body) ? lookup(body, 'attributes') : undefined;
  const attributes = decodeAttributes(current.type, raw, current.attributes);
  return { ...current, toxicity, attributes };
}
