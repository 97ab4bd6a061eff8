/**
 * How a store structure that is not plain data (a sorted map, a blob's
 * chunked content) is written into a snapshot file: under `{"$type": tag,
 * "value": ...}`, `value` being whatever `encode` returns.
 */
export interface SnapshotAdapter<T = unknown> {
  tag: string;
  accepts(value: unknown): value is T;
  encode(value: T, encode: (inner: unknown) => unknown): unknown;
  decode(value: unknown, decode: (inner: unknown) => unknown): T;
}

/**
 * Turns a service's capture (see `captureNamespace`) into JSON. Plain
 * objects, arrays, strings, booleans and finite numbers stay as they are;
 * the rest is tagged: `{"$buffer": base64}`, `{"$map": [[key, value], ...]}`,
 * `{"$set": [...]}`, `{"$date": epochMs}`, `{"$number": "Infinity"}` (and
 * `-Infinity`, `NaN`), `{"$bigint": "123"}`, `{"$undefined": true}` in
 * arrays, and `{"$object": {...}}` around a plain object with a key that
 * starts with `$`, so user data never reads as a tag. Anything else needs an
 * adapter; without one it throws a TypeError naming what it met.
 */
export function toSnapshotJson(value: unknown, adapters: readonly SnapshotAdapter[] = []): unknown {
  const encode = (v: unknown): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    if (v === undefined) return { $undefined: true };
    if (typeof v !== 'object') throw new TypeError(`a snapshot cannot hold a ${typeof v}`);
    if (Buffer.isBuffer(v)) return { $buffer: v.toString('base64') };
    if (v instanceof Date) return { $date: v.getTime() };
    if (v instanceof Map) return { $map: [...v].map(([k, item]) => [encode(k), encode(item)]) };
    if (v instanceof Set) return { $set: [...v].map(encode) };
    if (Array.isArray(v)) return v.map(encode);
    const adapter = adapters.find((a) => a.accepts(v));
    if (adapter) return { $type: adapter.tag, value: adapter.encode(v, encode) };
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new TypeError(`a snapshot cannot hold a ${proto?.constructor?.name ?? 'class instance'} without an adapter`);
    const out: Record<string, unknown> = {};
    let tagLike = false;
    for (const [key, item] of Object.entries(v)) {
      // Absent and undefined read the same in a store's records.
      if (item === undefined) continue;
      if (key.startsWith('$')) tagLike = true;
      Object.defineProperty(out, key, { value: encode(item), enumerable: true, writable: true, configurable: true });
    }
    return tagLike ? { $object: out } : out;
  };
  return encode(value);
}

/** The inverse of {@link toSnapshotJson}; throws TypeError on a tag it does not know. */
export function fromSnapshotJson(json: unknown, adapters: readonly SnapshotAdapter[] = []): unknown {
  const decode = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map(decode);
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const tag = keys.find((k) => k.startsWith('$'));
    if (tag === undefined) return decodeFields(o);
    if (tag === '$type') {
      const adapter = adapters.find((a) => a.tag === o.$type);
      if (!adapter) throw new TypeError(`unknown $type ${JSON.stringify(o.$type)}`);
      return adapter.decode(o.value, decode);
    }
    const inner = o[tag];
    switch (tag) {
      case '$buffer':
        if (typeof inner !== 'string') break;
        return Buffer.from(inner, 'base64');
      case '$date':
        return new Date(inner as number);
      case '$map':
        if (!Array.isArray(inner)) break;
        return new Map(inner.map((pair: unknown) => (Array.isArray(pair) ? [decode(pair[0]), decode(pair[1])] : fail(pair))));
      case '$set':
        if (!Array.isArray(inner)) break;
        return new Set(inner.map(decode));
      case '$number':
        return Number(inner);
      case '$bigint':
        return BigInt(inner as string);
      case '$undefined':
        return undefined;
      case '$object':
        if (typeof inner !== 'object' || inner === null) break;
        return decodeFields(inner as Record<string, unknown>);
    }
    return fail(v);
  };
  const decodeFields = (o: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(o)) Object.defineProperty(out, key, { value: decode(item), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return decode(json);
}

function fail(value: unknown): never {
  throw new TypeError(`unreadable snapshot value ${JSON.stringify(value).slice(0, 80)}`);
}
