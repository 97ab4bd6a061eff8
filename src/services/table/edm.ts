import { TableDomainError } from './errors.js';
import type { JsonScalar } from './json-reader.js';

/** One typed property value, kept exactly as the client sent it. */
export type EdmValue =
  | { type: 'Edm.String'; value: string }
  | { type: 'Edm.Int32'; value: number }
  | { type: 'Edm.Int64'; value: bigint }
  | { type: 'Edm.Double'; value: number }
  | { type: 'Edm.Boolean'; value: boolean }
  /** `text` as sent (answered unchanged); `ticks` (100 ns since the epoch) for comparing. */
  | { type: 'Edm.DateTime'; text: string; ticks: bigint }
  | { type: 'Edm.Guid'; value: string }
  | { type: 'Edm.Binary'; value: Buffer };

export type EdmType = EdmValue['type'];

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INTEGER = /^-?\d+$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})?$/;
const TICKS_PER_MS = 10_000n;

/** 100 ns ticks since the Unix epoch for an ISO 8601 date-time (UTC when no zone is given); undefined when it is not one. */
export function parseDateTimeTicks(text: string): bigint | undefined {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone = 'Z'] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const ms = date.getTime();
  // Dates roll over (2000-13-01 becomes 2001-01-01); a date that moved was not a date.
  const moved = date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || date.getUTCHours() !== Number(h);
  if (Number.isNaN(ms) || moved || Number(s) > 59 || Number(mi) > 59) return undefined;
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return BigInt(ms - offsetMinutes * 60_000) * TICKS_PER_MS + BigInt(fraction.padEnd(7, '0'));
}

/** ISO 8601 with Azure's seven fractional digits, e.g. `2024-05-01T10:00:00.1234567Z`. */
export function ticksToIso(ticks: bigint): string {
  const ms = ticks / TICKS_PER_MS;
  const rest = ticks % TICKS_PER_MS;
  return new Date(Number(ms)).toISOString().replace(/Z$/, `${rest.toString().padStart(4, '0')}Z`);
}

export function dateTimeValue(text: string): EdmValue | undefined {
  const ticks = parseDateTimeTicks(text);
  return ticks === undefined ? undefined : { type: 'Edm.DateTime', text, ticks };
}

/**
 * The typed value of one JSON member, from its `@odata.type` annotation or,
 * without one, from the JSON itself (string, boolean, Int32 for integers in
 * range, Double otherwise). Untyped null values are undefined: Azure stores nothing.
 */
export function edmFromJson(name: string, scalar: JsonScalar, annotation: string | undefined): EdmValue | undefined {
  const invalid = (): never => {
    throw new TableDomainError('InvalidInput', `The value of property '${name}' is not a valid ${annotation ?? 'value'}.`);
  };
  // An untyped null stores nothing; a typed one is what JSON makes of an invalid Date or an infinite Double, and Azure refuses it.
  if (scalar.kind === 'null') return annotation === undefined ? undefined : invalid();
  const text = scalar.kind === 'string' ? scalar.value : scalar.kind === 'number' ? scalar.text : undefined;
  switch (annotation) {
    case undefined:
      if (scalar.kind === 'string') return { type: 'Edm.String', value: scalar.value };
      if (scalar.kind === 'boolean') return { type: 'Edm.Boolean', value: scalar.value };
      if (INTEGER.test(scalar.text) && Number(scalar.text) >= INT32_MIN && Number(scalar.text) <= INT32_MAX) {
        return { type: 'Edm.Int32', value: Number(scalar.text) };
      }
      return double(scalar.text) ?? invalid();
    case 'Edm.String':
      return scalar.kind === 'string' ? { type: 'Edm.String', value: scalar.value } : invalid();
    case 'Edm.Boolean':
      if (scalar.kind === 'boolean') return { type: 'Edm.Boolean', value: scalar.value };
      return text === 'true' || text === 'false' ? { type: 'Edm.Boolean', value: text === 'true' } : invalid();
    case 'Edm.Int32': {
      if (text === undefined || !INTEGER.test(text)) return invalid();
      const n = Number(text);
      return n >= INT32_MIN && n <= INT32_MAX ? { type: 'Edm.Int32', value: n } : invalid();
    }
    case 'Edm.Int64': {
      if (text === undefined || !INTEGER.test(text)) return invalid();
      const n = BigInt(text);
      return n >= INT64_MIN && n <= INT64_MAX ? { type: 'Edm.Int64', value: n } : invalid();
    }
    case 'Edm.Double':
      return (text === undefined ? undefined : double(text)) ?? invalid();
    case 'Edm.DateTime':
      return (scalar.kind === 'string' ? dateTimeValue(scalar.value) : undefined) ?? invalid();
    case 'Edm.Guid':
      return scalar.kind === 'string' && GUID.test(scalar.value) ? { type: 'Edm.Guid', value: scalar.value } : invalid();
    case 'Edm.Binary':
      return scalar.kind === 'string' && BASE64.test(scalar.value) ? { type: 'Edm.Binary', value: Buffer.from(scalar.value, 'base64') } : invalid();
    default:
      throw new TableDomainError('InvalidInput', `The type '${annotation}' of property '${name}' is not an Edm type the table service stores.`);
  }
}

function double(text: string): EdmValue | undefined {
  if (text === 'NaN') return { type: 'Edm.Double', value: NaN };
  if (text === 'Infinity' || text === 'INF') return { type: 'Edm.Double', value: Infinity };
  if (text === '-Infinity' || text === '-INF') return { type: 'Edm.Double', value: -Infinity };
  if (!/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? { type: 'Edm.Double', value: n } : undefined;
}

/** The JSON text of a value: Int64 as a string, whole Doubles with `.0` so clients read them back as Doubles. */
export function edmToJson(value: EdmValue): string {
  switch (value.type) {
    case 'Edm.Int64':
      return JSON.stringify(value.value.toString());
    case 'Edm.Double': {
      if (!Number.isFinite(value.value)) return JSON.stringify(String(value.value));
      const text = String(value.value);
      return Number.isInteger(value.value) && !text.includes('e') ? `${text}.0` : text;
    }
    case 'Edm.DateTime':
      return JSON.stringify(value.text);
    case 'Edm.Binary':
      return JSON.stringify(value.value.toString('base64'));
    default:
      return JSON.stringify(value.value);
  }
}

/** Types a JSON reader cannot infer from the value, so minimal and full metadata annotate them. */
export function needsAnnotation(value: EdmValue): boolean {
  switch (value.type) {
    case 'Edm.Int64':
    case 'Edm.DateTime':
    case 'Edm.Guid':
    case 'Edm.Binary':
      return true;
    case 'Edm.Double':
      return !Number.isFinite(value.value);
    default:
      return false;
  }
}

/** Bytes a value counts towards the 1 MiB entity limit, by Azure's published sizes. */
export function edmSize(value: EdmValue): number {
  switch (value.type) {
    case 'Edm.String':
      return 4 + 2 * value.value.length;
    case 'Edm.Binary':
      return 4 + value.value.length;
    case 'Edm.Boolean':
      return 1;
    case 'Edm.Int32':
      return 4;
    case 'Edm.Guid':
      return 16;
    default:
      return 8;
  }
}

const NUMERIC = new Set<EdmType>(['Edm.Int32', 'Edm.Int64', 'Edm.Double']);

/**
 * Orders two values; undefined when they cannot be compared (different
 * types, or NaN), which makes every comparison operator false. Numbers of
 * different widths compare by value.
 */
export function compareEdm(a: EdmValue, b: EdmValue): number | undefined {
  if (NUMERIC.has(a.type) && NUMERIC.has(b.type)) return compareNumbers(a as NumericValue, b as NumericValue);
  if (a.type !== b.type) return undefined;
  switch (a.type) {
    case 'Edm.String':
      return order(a.value, (b as typeof a).value);
    case 'Edm.Guid':
      return order(a.value.toLowerCase(), (b as typeof a).value.toLowerCase());
    case 'Edm.Boolean':
      return Number(a.value) - Number((b as typeof a).value);
    case 'Edm.DateTime':
      return order(a.ticks, (b as typeof a).ticks);
    case 'Edm.Binary':
      return Buffer.compare(a.value, (b as typeof a).value);
    default:
      return undefined;
  }
}

type NumericValue = Extract<EdmValue, { type: 'Edm.Int32' | 'Edm.Int64' | 'Edm.Double' }>;

function compareNumbers(a: NumericValue, b: NumericValue): number | undefined {
  if (a.type === 'Edm.Double' || b.type === 'Edm.Double') {
    const x = Number(a.value);
    const y = Number(b.value);
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : order(x, y);
  }
  return order(BigInt(a.value), BigInt(b.value));
}

function order<T extends string | number | bigint>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
