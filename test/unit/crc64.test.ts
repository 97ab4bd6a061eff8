import { describe, expect, it } from 'vitest';
import { crc64Base64 } from '../../src/services/storage-common/crc64.js';

// Expected values from the Azure SDK for Java's StorageCrc64CalculatorTests (the storage service's own CRC64).
const crcOf = (chunks: Buffer[]) => Buffer.from(crc64Base64(chunks), 'base64').readBigUInt64LE(0);

describe('crc64Base64', () => {
  it.each([
    ['', 0n],
    ['Hello World!', 208604604655264165n],
    ['123456789!@#$%^&*()', 2153758901452455624n],
    ['This is a test where the data is longer than 64 characters so that we can test that code path.', 2736107658526394369n],
  ])('matches Azure for %j', (text, expected) => {
    expect(crcOf([Buffer.from(text)])).toBe(expected);
  });

  it('gives the same value however the bytes are split into chunks', () => {
    const text = Buffer.from('123456789!@#$%^&*()');
    expect(crcOf([text.subarray(0, 3), text.subarray(3, 4), text.subarray(4)])).toBe(2153758901452455624n);
  });
});
