import type { StorageRequest } from './request.js';
import { commonErrors, StorageError } from './storage-error.js';

// CRC-64/NVME, the checksum of Azure Storage's x-ms-content-crc64: reflected
// polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones, answered as the
// 8 little-endian bytes in base64. Kept as two 32-bit halves: per-byte work
// stays in small integers instead of BigInt allocations.

const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;

const TABLE = (() => {
  const table = new Uint32Array(512);
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
    table[i * 2] = hi >>> 0;
    table[i * 2 + 1] = lo >>> 0;
  }
  return table;
})();

/** Base64 CRC-64 of the chunks, in order. */
export function crc64Of(chunks: Iterable<Buffer>): string {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const index = ((lo ^ chunk[i]!) & 0xff) * 2;
      lo = (((hi & 0xff) << 24) | (lo >>> 8)) ^ TABLE[index + 1]!;
      hi = (hi >>> 8) ^ TABLE[index]!;
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
  const actual = crc64Of(chunks);
  if (claimed !== undefined && claimed !== actual) throw crc64Mismatch(claimed, actual);
  return actual;
}
