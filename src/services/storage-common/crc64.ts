import type { StorageRequest } from './request.js';
import { commonErrors, StorageError } from './storage-error.js';

// CRC-64/NVME, the checksum of Azure Storage's x-ms-content-crc64: reflected
// polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones, answered as the
// 8 little-endian bytes in base64. Kept as two 32-bit halves: the work stays
// in small integers instead of BigInt allocations.

const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;

// Slicing-by-8: table k gives the CRC of a byte followed by k zero bytes, so
// eight bytes fold in per step instead of one. Each entry is [hi, lo].
const TABLES = (() => {
  const tables = new Uint32Array(8 * 512);
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((hi & 1) << 31) | (lo >>> 1);
      hi >>>= 1;
      if (carry) {
        hi ^= POLY_HI;
        lo ^= POLY_LO;
      }
    }
    tables[i * 2] = hi >>> 0;
    tables[i * 2 + 1] = lo >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const prevHi = tables[(k - 1) * 512 + i * 2]!;
      const prevLo = tables[(k - 1) * 512 + i * 2 + 1]!;
      const index = (prevLo & 0xff) * 2;
      tables[k * 512 + i * 2] = (prevHi >>> 8) ^ tables[index]!;
      tables[k * 512 + i * 2 + 1] = (((prevHi & 0xff) << 24) | (prevLo >>> 8)) ^ tables[index + 1]!;
    }
  }
  return tables;
})();

/** Base64 CRC-64 of the chunks, in order. */
export function crc64Base64(chunks: Iterable<Buffer>): string {
  const t = TABLES;
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (const c of chunks) {
    let i = 0;
    for (const end = c.length - 7; i < end; i += 8) {
      lo ^= c[i]! | (c[i + 1]! << 8) | (c[i + 2]! << 16) | (c[i + 3]! << 24);
      hi ^= c[i + 4]! | (c[i + 5]! << 8) | (c[i + 6]! << 16) | (c[i + 7]! << 24);
      const a = 7 * 512 + (lo & 0xff) * 2;
      const b = 6 * 512 + ((lo >>> 8) & 0xff) * 2;
      const d = 5 * 512 + ((lo >>> 16) & 0xff) * 2;
      const e = 4 * 512 + (lo >>> 24) * 2;
      const f = 3 * 512 + (hi & 0xff) * 2;
      const g = 2 * 512 + ((hi >>> 8) & 0xff) * 2;
      const h = 512 + ((hi >>> 16) & 0xff) * 2;
      const j = (hi >>> 24) * 2;
      hi = t[a]! ^ t[b]! ^ t[d]! ^ t[e]! ^ t[f]! ^ t[g]! ^ t[h]! ^ t[j]!;
      lo = t[a + 1]! ^ t[b + 1]! ^ t[d + 1]! ^ t[e + 1]! ^ t[f + 1]! ^ t[g + 1]! ^ t[h + 1]! ^ t[j + 1]!;
    }
    for (; i < c.length; i++) {
      const index = ((lo ^ c[i]!) & 0xff) * 2;
      lo = (((hi & 0xff) << 24) | (lo >>> 8)) ^ t[index + 1]!;
      hi = (hi >>> 8) ^ t[index]!;
    }
  }
  const out = Buffer.alloc(8);
  out.writeUInt32LE(~lo >>> 0, 0);
  out.writeUInt32LE(~hi >>> 0, 4);
  return out.toString('base64');
}

const bothChecksums = () => new StorageError(400, 'BothCrc64AndMd5HeaderPresent', 'Both x-ms-content-crc64 header and Content-MD5 header are present.');
const crc64Mismatch = (expected: string, actual: string) =>
  new StorageError(400, 'Crc64Mismatch', 'The CRC64 value specified in the request did not match with the CRC64 value calculated by the server.', {
    UserSpecifiedCrc64: expected,
    ServerCalculatedCrc64: actual,
  });

/**
 * The client's x-ms-content-crc64, checked before the body is read: 8
 * base64 bytes, and never together with Content-MD5. Undefined when absent.
 */
export function claimedCrc64(request: StorageRequest): string | undefined {
  const claimed = request.header('x-ms-content-crc64');
  if (claimed === undefined) return undefined;
  if (request.header('content-md5') !== undefined) throw bothChecksums();
  if (Buffer.from(claimed, 'base64').length !== 8) throw commonErrors.invalidHeaderValue('x-ms-content-crc64', claimed);
  return claimed;
}

/** The CRC-64 of a received body, compared with the claimed one when there is one. */
export function verifiedCrc64(claimed: string | undefined, chunks: Iterable<Buffer>): string {
  const actual = crc64Base64(chunks);
  if (claimed !== undefined && claimed !== actual) throw crc64Mismatch(claimed, actual);
  return actual;
}
