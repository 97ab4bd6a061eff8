/**
 * The partition Azure assigns to a partition key: Bob Jenkins' lookup3
 * `hashlittle2` over the key's UTF-8 bytes (both seeds 0), the two halves
 * XORed and narrowed to 16 bits, modulo the partition count. The buffered
 * producer computes the same client-side, so both ways of sending agree.
 */
export function partitionForKey(key: string, partitionCount: number): number {
  const { b, c } = hashLittle2(Buffer.from(key, 'utf8'));
  const hash = ((c ^ b) << 16) >> 16;
  return Math.abs(hash % partitionCount);
}

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

function hashLittle2(data: Buffer): { b: number; c: number } {
  let a = (0xdeadbeef + data.length) >>> 0;
  let b = a;
  let c = a;
  let at = 0;
  let left = data.length;
  while (left > 12) {
    a = (a + data.readUInt32LE(at)) >>> 0;
    b = (b + data.readUInt32LE(at + 4)) >>> 0;
    c = (c + data.readUInt32LE(at + 8)) >>> 0;
    a = ((a - c) ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = ((b - a) ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = ((c - b) ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = ((a - c) ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = ((b - a) ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = ((c - b) ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
    at += 12;
    left -= 12;
  }
  if (left === 0) return { b, c };
  // The last 1..12 bytes, little-endian into a, b and c; missing bytes count as zero.
  const tail = Buffer.alloc(12);
  data.copy(tail, 0, at);
  a = (a + tail.readUInt32LE(0)) >>> 0;
  b = (b + tail.readUInt32LE(4)) >>> 0;
  c = (c + tail.readUInt32LE(8)) >>> 0;
  c = ((c ^ b) - rot(b, 14)) >>> 0;
  a = ((a ^ c) - rot(c, 11)) >>> 0;
  b = ((b ^ a) - rot(a, 25)) >>> 0;
  c = ((c ^ b) - rot(b, 16)) >>> 0;
  a = ((a ^ c) - rot(c, 4)) >>> 0;
  b = ((b ^ a) - rot(a, 14)) >>> 0;
  c = ((c ^ b) - rot(b, 24)) >>> 0;
  return { b, c };
}
