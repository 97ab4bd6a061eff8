import type { PartitionKeyDefinition, PartitionKeyValues } from './partition-key.js';

/**
 * The effective partition key (EPK): the hex string Cosmos DB hashes a
 * partition key value to, and by which partition key ranges and feed
 * ranges split a container. Computed as @azure/cosmos computes it
 * (utils/hashing): MurmurHash3 over the value's binary encoding, V2
 * (x64, 128 bits) for `Hash` version 2, V1 (x86, 32 bits, followed by the
 * encoded value) for version 1, and one V2 hash per value, concatenated,
 * for hierarchical (`MultiHash`) keys.
 */
export function effectivePartitionKey(definition: PartitionKeyDefinition, values: PartitionKeyValues): string {
  if (definition.kind === 'MultiHash') return values.map((value) => hashV2([value])).join('');
  return definition.version === 1 ? hashV1(values[0]) : hashV2(values);
}

/** Type markers of Cosmos DB's binary encoding of values. */
const UNDEFINED = 0x00;
const NULL = 0x01;
const FALSE = 0x02;
const TRUE = 0x03;
const NUMBER = 0x05;
const STRING = 0x08;
const INFINITY = 0xff;

/** V1 hashes and encodes at most this many characters of a string. */
const V1_STRING_CHARS = 100;

function hashV2(values: PartitionKeyValues): string {
  const bytes = Buffer.concat(values.map((value) => typedBytes(value, INFINITY)));
  const [h1, h2] = murmur3x64(bytes);
  // The SDK writes h1 then h2 little-endian, then reverses all 16 bytes: h2 then h1, big-endian.
  const out = Buffer.alloc(16);
  out.writeBigUInt64BE(h2, 0);
  out.writeBigUInt64BE(h1, 8);
  out[0]! &= 0x3f;
  return out.toString('hex').toUpperCase();
}

function hashV1(value: unknown): string {
  const truncated = typeof value === 'string' ? value.slice(0, V1_STRING_CHARS) : value;
  const hash = murmur3x86(typedBytes(truncated, UNDEFINED));
  return Buffer.concat([encodeNumber(hash), encodeValueV1(truncated)]).toString('hex').toUpperCase();
}

/** A value's type marker and payload, as hashed; strings end with `stringEnd`, which V1 and V2 differ on. */
function typedBytes(value: unknown, stringEnd: number): Buffer {
  switch (typeof value) {
    case 'string':
      return Buffer.concat([Buffer.of(STRING), Buffer.from(value, 'utf8'), Buffer.of(stringEnd)]);
    case 'number': {
      const bytes = Buffer.alloc(9);
      bytes[0] = NUMBER;
      bytes.writeDoubleLE(value, 1);
      return bytes;
    }
    case 'boolean':
      return Buffer.of(value ? TRUE : FALSE);
    default:
      return Buffer.of(value === null ? NULL : UNDEFINED);
  }
}

/** V1's encoding of the value appended to its hash: strings with each byte shifted up by one. */
function encodeValueV1(value: unknown): Buffer {
  if (typeof value === 'number') return encodeNumber(value);
  if (typeof value !== 'string') return typedBytes(value, UNDEFINED);
  const bytes = Buffer.from(value, 'utf8');
  const out = Buffer.alloc(bytes.length + 2);
  out[0] = STRING;
  for (let i = 0; i < bytes.length; i++) out[i + 1] = bytes[i]! < 0xff ? bytes[i]! + 1 : 0xff;
  out[bytes.length + 1] = UNDEFINED;
  return out;
}

const MASK64 = (1n << 64n) - 1n;
const SIGN = 1n << 63n;

/** Cosmos DB's order-preserving binary encoding of a number: the top byte of its ordered bits, then 7 bits per byte. */
export function encodeNumber(value: number): Buffer {
  const raw = Buffer.alloc(8);
  raw.writeDoubleBE(value);
  const bits = raw.readBigUInt64BE();
  let payload = bits < SIGN ? bits ^ SIGN : (~bits + 1n) & MASK64;
  const out = [NUMBER, Number(payload >> 56n)];
  payload = (payload << 8n) & MASK64;
  let byte = 0;
  let first = true;
  do {
    if (!first) out.push(byte);
    first = false;
    byte = Number(payload >> 56n) | 0x01;
    payload = (payload << 7n) & MASK64;
  } while (payload !== 0n);
  if ((byte & 0xfe) !== 0) out.push(byte & 0xfe);
  return Buffer.from(out);
}

function murmur3x86(bytes: Buffer): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = 0;
  const tail = bytes.length - (bytes.length % 4);
  for (let i = 0; i < tail; i += 4) {
    h ^= mix32(bytes.readInt32LE(i), c1, c2);
    h = Math.imul(rotl32(h, 13), 5) + 0xe6546b64;
  }
  let k = 0;
  for (let i = bytes.length - 1; i >= tail; i--) k = (k << 8) | bytes[i]!;
  if (bytes.length > tail) h ^= mix32(k, c1, c2);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix32(k: number, c1: number, c2: number): number {
  return Math.imul(rotl32(Math.imul(k, c1), 15), c2);
}

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

/** MurmurHash3 x64 128 with seed 0: [h1, h2]. */
function murmur3x64(bytes: Buffer): [bigint, bigint] {
  let h1 = 0n;
  let h2 = 0n;
  const tail = bytes.length - (bytes.length % 16);
  for (let i = 0; i < tail; i += 16) {
    h1 ^= mix64(bytes.readBigUInt64LE(i), C1, C2, 31);
    h1 = (rotl64(h1, 27) + h2) & MASK64;
    h1 = (h1 * 5n + 0x52dce729n) & MASK64;
    h2 ^= mix64(bytes.readBigUInt64LE(i + 8), C2, C1, 33);
    h2 = (rotl64(h2, 31) + h1) & MASK64;
    h2 = (h2 * 5n + 0x38495ab5n) & MASK64;
  }
  const rest = bytes.length - tail;
  if (rest > 8) h2 ^= mix64(littleEndian(bytes, tail + 8, rest - 8), C2, C1, 33);
  if (rest > 0) h1 ^= mix64(littleEndian(bytes, tail, Math.min(rest, 8)), C1, C2, 31);
  const length = BigInt(bytes.length);
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  return [h1, h2];
}

function littleEndian(bytes: Buffer, start: number, count: number): bigint {
  let value = 0n;
  for (let i = count - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[start + i]!);
  return value;
}

function mix64(k: bigint, a: bigint, b: bigint, r: number): bigint {
  return (rotl64((k * a) & MASK64, r) * b) & MASK64;
}

function rotl64(x: bigint, r: number): bigint {
  return ((x << BigInt(r)) | (x >> BigInt(64 - r))) & MASK64;
}

function fmix64(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK64;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK64;
  k ^= k >> 33n;
  return k;
}
