import { dateTimeAdd, dateTimeDiff, dateTimeFromParts, dateTimePart, dateTimeToTicks, dateTimeToTimestamp, nowDateTime, nowTicks, ticksToDateTime, timestampToDateTime } from './datetime.js';
import { QueryError } from './query-error.js';
import { distinctValues, isObject, jsonProblem, sameValue, setProperty, typeRank } from './values.js';

/** What a built-in function sees besides its arguments: the emulators' clock, read once per query. */
export interface FunctionContext {
  now: number;
}

interface BuiltIn {
  min: number;
  max: number;
  fn(args: unknown[], context: FunctionContext): unknown;
}

const num = (v: unknown): v is number => typeof v === 'number';
const str = (v: unknown): v is string => typeof v === 'string';

/**
 * A function of numbers; any other argument type gives undefined, as in
 * Cosmos DB, and so does a result that is no finite number. `defaults` fill
 * trailing arguments that may be left out.
 */
function math(arity: number, fn: (...n: number[]) => number, defaults: number[] = []): BuiltIn {
  return {
    min: arity - defaults.length,
    max: arity,
    fn: (args) => {
      if (!args.every(num)) return undefined;
      const result = fn(...(args as number[]), ...defaults.slice(args.length - (arity - defaults.length)));
      return Number.isFinite(result) ? result : undefined;
    },
  };
}

function strings(min: number, max: number, fn: (args: unknown[]) => unknown, typed: boolean[] = [true]): BuiltIn {
  return { min, max, fn: (args) => (args.every((a, i) => !(typed[i] ?? false) || str(a)) ? fn(args) : undefined) };
}

function check(min: number, max: number, fn: (args: unknown[]) => unknown): BuiltIn {
  return { min, max, fn };
}

const BUILT_INS: Record<string, BuiltIn> = {
  // Math
  ABS: math(1, Math.abs),
  ACOS: math(1, Math.acos),
  ASIN: math(1, Math.asin),
  ATAN: math(1, Math.atan),
  // ATN2(35.175643, 129.44) is 0.2653 in the reference: the first argument is the y of atan2(y, x).
  ATN2: math(2, Math.atan2),
  CEILING: math(1, Math.ceil),
  COS: math(1, Math.cos),
  COT: math(1, (x) => 1 / Math.tan(x)),
  DEGREES: math(1, (x) => (x * 180) / Math.PI),
  EXP: math(1, Math.exp),
  FLOOR: math(1, Math.floor),
  LOG: math(2, (x, base) => Math.log(x) / Math.log(base), [Math.E]),
  LOG10: math(1, Math.log10),
  PI: math(0, () => Math.PI),
  POWER: math(2, Math.pow),
  RADIANS: math(1, (x) => (x * Math.PI) / 180),
  ROUND: math(1, (x) => Math.sign(x) * Math.round(Math.abs(x))),
  SIGN: math(1, Math.sign),
  SIN: math(1, Math.sin),
  SQRT: math(1, Math.sqrt),
  SQUARE: math(1, (x) => x * x),
  TAN: math(1, Math.tan),
  TRUNC: math(1, Math.trunc),
  // A bin size of 0 gives undefined (0/0), as the reference says, not NaN (which JSON would carry as null).
  NUMBERBIN: math(2, (value, size) => Math.floor(value / size) * size, [1]),
  INTADD: math(2, (a, b) => intOp(a, b, (x, y) => x + y)),
  INTSUB: math(2, (a, b) => intOp(a, b, (x, y) => x - y)),
  INTMUL: math(2, (a, b) => intOp(a, b, (x, y) => x * y)),
  INTDIV: math(2, (a, b) => intOp(a, b, (x, y) => (y === 0n ? NaN : x / y))),
  INTMOD: math(2, (a, b) => intOp(a, b, (x, y) => (y === 0n ? NaN : x % y))),
  INTBITAND: math(2, (a, b) => intOp(a, b, (x, y) => x & y)),
  INTBITOR: math(2, (a, b) => intOp(a, b, (x, y) => x | y)),
  INTBITXOR: math(2, (a, b) => intOp(a, b, (x, y) => x ^ y)),
  INTBITNOT: math(1, (a) => intOp(a, 0, (x) => ~x)),
  INTBITLEFTSHIFT: math(2, (a, b) => intOp(a, b, (x, y) => x << y)),
  INTBITRIGHTSHIFT: math(2, (a, b) => intOp(a, b, (x, y) => x >> y)),

  // Type checking
  IS_ARRAY: check(1, 1, ([v]) => Array.isArray(v)),
  IS_BOOL: check(1, 1, ([v]) => typeof v === 'boolean'),
  IS_DEFINED: check(1, 1, ([v]) => v !== undefined),
  IS_FINITE_NUMBER: check(1, 1, ([v]) => num(v) && Number.isFinite(v)),
  // A 64-bit signed integer, as the reference defines it; 2 ** 63 is where 9223372036854775807 lands as a double.
  IS_INTEGER: check(1, 1, ([v]) => num(v) && Number.isInteger(v) && v >= -(2 ** 63) && v <= 2 ** 63),
  IS_NULL: check(1, 1, ([v]) => v === null),
  IS_NUMBER: check(1, 1, ([v]) => num(v)),
  IS_OBJECT: check(1, 1, ([v]) => isObject(v)),
  IS_PRIMITIVE: check(1, 1, ([v]) => { const r = typeRank(v); return r >= 1 && r <= 4; }),
  IS_STRING: check(1, 1, ([v]) => str(v)),

  // Strings
  CONCAT: check(2, Infinity, (args) => (args.every(str) ? args.join('') : undefined)),
  CONTAINS: check(2, 3, ([s, sub, ignoreCase]) => (str(s) && str(sub) ? fold(s, ignoreCase).includes(fold(sub, ignoreCase)) : undefined)),
  ENDSWITH: check(2, 3, ([s, sub, ignoreCase]) => (str(s) && str(sub) ? fold(s, ignoreCase).endsWith(fold(sub, ignoreCase)) : undefined)),
  STARTSWITH: check(2, 3, ([s, sub, ignoreCase]) => (str(s) && str(sub) ? fold(s, ignoreCase).startsWith(fold(sub, ignoreCase)) : undefined)),
  STRINGEQUALS: check(2, 3, ([a, b, ignoreCase]) => (str(a) && str(b) ? fold(a, ignoreCase) === fold(b, ignoreCase) : undefined)),
  INDEX_OF: check(2, 3, ([s, sub, start]) => (str(s) && str(sub) && (start === undefined || num(start)) ? s.indexOf(sub, (start as number | undefined) ?? 0) : undefined)),
  LEFT: check(2, 2, ([s, n]) => (str(s) && num(n) ? s.slice(0, Math.max(0, n)) : undefined)),
  RIGHT: check(2, 2, ([s, n]) => (str(s) && num(n) ? (n <= 0 ? '' : s.slice(-n)) : undefined)),
  LENGTH: strings(1, 1, ([s]) => (s as string).length),
  LOWER: strings(1, 1, ([s]) => (s as string).toLowerCase()),
  UPPER: strings(1, 1, ([s]) => (s as string).toUpperCase()),
  LTRIM: strings(1, 2, ([s, chars]) => trim(s as string, chars as string | undefined, true, false), [true, true]),
  RTRIM: strings(1, 2, ([s, chars]) => trim(s as string, chars as string | undefined, false, true), [true, true]),
  TRIM: strings(1, 2, ([s, chars]) => trim(s as string, chars as string | undefined, true, true), [true, true]),
  REPLACE: strings(3, 3, ([s, a, b]) => (s as string).split(a as string).join(b as string), [true, true, true]),
  REPLICATE: check(2, 2, ([s, n]) => (str(s) && num(n) && n >= 0 && s.length * n <= 10_000 ? s.repeat(Math.trunc(n)) : undefined)),
  REVERSE: strings(1, 1, ([s]) => [...(s as string)].reverse().join('')),
  SUBSTRING: check(3, 3, ([s, start, length]) => (str(s) && num(start) && num(length) ? s.substr(Math.max(0, start), Math.max(0, length)) : undefined)),
  TOSTRING: check(1, 1, ([v]) => (v === undefined ? undefined : str(v) ? v : JSON.stringify(v))),
  STRINGTOARRAY: strings(1, 1, ([s]) => parsedAs(s as string, Array.isArray)),
  STRINGTOBOOLEAN: strings(1, 1, ([s]) => parsedAs(s as string, (v) => typeof v === 'boolean')),
  STRINGTONULL: strings(1, 1, ([s]) => parsedAs(s as string, (v) => v === null)),
  STRINGTONUMBER: strings(1, 1, ([s]) => parsedAs(s as string, num)),
  STRINGTOOBJECT: strings(1, 1, ([s]) => parsedAs(s as string, isObject)),
  REGEXMATCH: check(2, 3, ([s, pattern, modifiers]) => regexMatch(s, pattern, modifiers)),

  // Arrays
  ARRAY_CONCAT: check(2, Infinity, (args) => (args.every(Array.isArray) ? (args as unknown[][]).flat(1) : undefined)),
  ARRAY_CONTAINS: check(2, 3, ([array, value, partial]) => (Array.isArray(array) ? array.some((item) => (partial === true ? partialMatch(item, value) : sameValue(item, value))) : undefined)),
  ARRAY_CONTAINS_ANY: check(2, Infinity, ([array, ...values]) => (Array.isArray(array) ? values.some((v) => array.some((item) => sameValue(item, v))) : undefined)),
  ARRAY_CONTAINS_ALL: check(2, Infinity, ([array, ...values]) => (Array.isArray(array) ? values.every((v) => array.some((item) => sameValue(item, v))) : undefined)),
  ARRAY_LENGTH: check(1, 1, ([array]) => (Array.isArray(array) ? array.length : undefined)),
  ARRAY_SLICE: check(2, 3, ([array, start, length]) => arraySlice(array, start, length)),
  SETINTERSECT: check(2, 2, ([a, b]) => (Array.isArray(a) && Array.isArray(b) ? distinctValues(a.filter((x) => b.some((y) => sameValue(x, y)))) : undefined)),
  SETUNION: check(2, 2, ([a, b]) => (Array.isArray(a) && Array.isArray(b) ? distinctValues([...a, ...b]) : undefined)),
  CHOOSE: check(2, Infinity, ([index, ...values]) => (num(index) && Number.isInteger(index) ? values[index - 1] : undefined)),
  OBJECTTOARRAY: check(1, 3, ([o, key = 'k', value = 'v']) => objectToArray(o, key, value)),
  IIF: check(3, 3, ([test, a, b]) => (test === true ? a : b)),

  // Date and time, on the emulators' clock
  GETCURRENTDATETIME: { min: 0, max: 0, fn: (_args, c) => nowDateTime(c.now) },
  GETCURRENTTIMESTAMP: { min: 0, max: 0, fn: (_args, c) => c.now },
  GETCURRENTTICKS: { min: 0, max: 0, fn: (_args, c) => nowTicks(c.now) },
  GETCURRENTDATETIMESTATIC: { min: 0, max: 0, fn: (_args, c) => nowDateTime(c.now) },
  GETCURRENTTIMESTAMPSTATIC: { min: 0, max: 0, fn: (_args, c) => c.now },
  GETCURRENTTICKSSTATIC: { min: 0, max: 0, fn: (_args, c) => nowTicks(c.now) },
  DATETIMETOTIMESTAMP: check(1, 1, ([s]) => dateTimeToTimestamp(s)),
  TIMESTAMPTODATETIME: check(1, 1, ([n]) => timestampToDateTime(n)),
  DATETIMETOTICKS: check(1, 1, ([s]) => dateTimeToTicks(s)),
  TICKSTODATETIME: check(1, 1, ([n]) => ticksToDateTime(n)),
  DATETIMEADD: check(3, 3, ([part, n, s]) => dateTimeAdd(part, n, s)),
  DATETIMEPART: check(2, 2, ([part, s]) => dateTimePart(part, s)),
  DATETIMEDIFF: check(3, 3, ([part, a, b]) => dateTimeDiff(part, a, b)),
  DATETIMEFROMPARTS: check(3, 7, dateTimeFromParts),
};

/** Cosmos DB built-ins LocalZure does not evaluate yet; refused by name rather than called unknown. */
const NOT_YET = new Set(['DATETIMEBIN', 'VECTORDISTANCE', 'RAND', 'STRINGJOIN', 'STRINGSPLIT', 'DOCUMENTID']);

/**
 * The built-in function `name` (upper-cased) for `arity` arguments; an
 * unknown name or a wrong argument count is 400 naming it, found when the
 * query is compiled, even if no row ever reaches the call.
 */
export function resolveBuiltIn(name: string, arity: number): (args: unknown[], context: FunctionContext) => unknown {
  const builtIn = BUILT_INS[name];
  if (!builtIn) {
    if (name.startsWith('ST_')) throw QueryError.unsupported(`the spatial function ${name}`);
    if (NOT_YET.has(name) || name.startsWith('FULLTEXT')) throw QueryError.unsupported(`the function ${name}`);
    throw QueryError.semantic(`'${name}' is not a recognized built-in function name.`);
  }
  if (arity < builtIn.min || arity > builtIn.max) {
    const expected = builtIn.min === builtIn.max ? `${builtIn.min}` : builtIn.max === Infinity ? `at least ${builtIn.min}` : `${builtIn.min} to ${builtIn.max}`;
    throw QueryError.semantic(`The ${name} function requires ${expected} argument(s), ${arity} given.`);
  }
  return builtIn.fn;
}

function fold(s: string, ignoreCase: unknown): string {
  return ignoreCase === true ? s.toLowerCase() : s;
}

function intOp(a: number, b: number, op: (x: bigint, y: bigint) => bigint | number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return NaN;
  const result = op(BigInt(a), BigInt(b));
  return typeof result === 'number' ? result : Number(BigInt.asIntN(64, result));
}

function parsedAs(text: string, accept: (value: unknown) => boolean): unknown {
  try {
    const value: unknown = JSON.parse(text.trim());
    // A value Cosmos DB could not store (too deep, 1e400) is no value: undefined, as for text that is not JSON, and never a result the response cannot serialize.
    return accept(value) && jsonProblem(value) === undefined ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Strips whitespace or, when `chars` is given, any of those characters (and
 * only those) from the chosen ends: in the reference's examples
 * RTRIM("AdventureWorks", "Works") is Adventure and
 * TRIM("-- AdventureWorks --", "-") keeps its spaces.
 */
function trim(s: string, chars: string | undefined, start: boolean, end: boolean): string {
  const strip = (c: string) => (chars === undefined ? /\s/.test(c) : chars.includes(c));
  let from = 0;
  let to = s.length;
  while (start && from < to && strip(s[from]!)) from++;
  while (end && to > from && strip(s[to - 1]!)) to--;
  return s.slice(from, to);
}

function regexMatch(s: unknown, pattern: unknown, modifiers: unknown): unknown {
  if (!str(s) || !str(pattern) || (modifiers !== undefined && !str(modifiers))) return undefined;
  const flags = modifiers ?? '';
  if (/[^imsx]/.test(flags)) throw QueryError.semantic(`Invalid regular expression modifier in '${flags}': use m, s, i or x.`);
  const source = flags.includes('x') ? pattern.replace(/\s+/g, '') : pattern;
  try {
    return new RegExp(source, flags.replace('x', '')).test(s);
  } catch (error) {
    throw QueryError.semantic(`Invalid regular expression '${pattern}': ${(error as Error).message}`);
  }
}

function partialMatch(item: unknown, value: unknown): boolean {
  if (!isObject(item) || !isObject(value)) return sameValue(item, value);
  return Object.entries(value).every(([k, v]) => sameValue(item[k], v));
}

// The names of the two fields default to k and v; the reference lets a query choose them.
function objectToArray(o: unknown, key: unknown, value: unknown): unknown {
  if (!isObject(o) || !str(key) || !str(value)) return undefined;
  return Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => {
    const pair: Record<string, unknown> = {};
    setProperty(pair, key, k);
    setProperty(pair, value, v);
    return pair;
  });
}

function arraySlice(array: unknown, start: unknown, length: unknown): unknown {
  if (!Array.isArray(array) || !num(start) || (length !== undefined && !num(length))) return undefined;
  const from = start < 0 ? Math.max(0, array.length + start) : start;
  return length === undefined ? array.slice(from) : array.slice(from, from + Math.max(0, length as number));
}


