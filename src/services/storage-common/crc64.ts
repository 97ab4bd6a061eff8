/**
 * Azure Storage's CRC64 (`x-ms-content-crc64`, `x-ms-source-content-crc64`):
 * polynomial 0x9A6C9329AC4BC9B5, reflected, initial value and final XOR all
 * ones; on the wire the 8 bytes little-endian, base64. Kept as two 32-bit
 * halves, as BigInt arithmetic per byte would make large bodies slow.
 */
const POLY_HIGH = 0x9a6c9329;
const POLY_LOW = 0xac4bc9b5;

const TABLE_HIGH = new Uint32Array(256);
const TABLE_LOW = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let high = 0;
  let low = i;
  for (let bit = 0; bit < 8; bit++) {
    const carry = low & 1;
    low = ((low >>> 1) | ((high & 1) << 31)) >>> 0;
    high >>>= 1;
    if (carry) {
      low = (low ^ POLY_LOW) >>> 0;
      high = (high ^ POLY_HIGH) >>> 0;
    }
  }
  TABLE_HIGH[i] = high;
  TABLE_LOW[i] = low;
}

/** The CRC64 of the bytes in `chunks`, as Azure sends it: base64 of 8 little-endian bytes. */
export function crc64Base64(chunks: Iterable<Buffer>): string {
  let high = 0xffffffff;
  let low = 0xffffffff;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const index = (low ^ chunk[i]!) & 0xff;
      low = (((low >>> 8) | (high << 24)) ^ TABLE_LOW[index]!) >>> 0;
      high = ((high >>> 8) ^ TABLE_HIGH[index]!) >>> 0;
    }
  }
  const out = Buffer.alloc(8);
  out.writeUInt32LE(~low >>> 0, 0);
  out.writeUInt32LE(~high >>> 0, 4);
  return out.toString('base64');
}
