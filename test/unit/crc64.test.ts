import { describe, expect, it } from 'vitest';
import { crc64Base64 } from '../../src/services/storage-common/crc64.js';

const valueOf = (base64: string) => Buffer.from(base64, 'base64').readBigUInt64LE(0);

describe('crc64Base64', () => {
  // Expected values from the Azure SDK for Java's StorageCrc64CalculatorTests (the storage service's own CRC64).
  it.each([
    ['', 0n],
    ['Hello World!', 208604604655264165n],
    ['123456789!@#$%^&*()', 2153758901452455624n],
    ['This is a test where the data is longer than 64 characters so that we can test that code path.', 2736107658526394369n],
  ])('matches Azure for %j', (text, expected) => {
    expect(valueOf(crc64Base64([Buffer.from(text)]))).toBe(expected);
  });

  it('gives the CRC-64/NVME check value for "123456789"', () => {
    expect(valueOf(crc64Base64([Buffer.from('123456789')])).toString(16)).toBe('ae8b14860a799888');
  });

  it('gives the same value however the bytes are chunked', () => {
    const whole = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc64Base64([whole.subarray(0, 7), whole.subarray(7, 20), whole.subarray(20)])).toBe(crc64Base64([whole]));
    const random = Buffer.from(Array.from({ length: 4099 }, (_, i) => (i * 7919) % 251));
    const pieces = [1, 3, 8, 13, 64, 1000].reduce<{ at: number; parts: Buffer[] }>((acc, n) => ({ at: acc.at + n, parts: [...acc.parts, random.subarray(acc.at, acc.at + n)] }), { at: 0, parts: [] });
    expect(crc64Base64([...pieces.parts, random.subarray(pieces.at)])).toBe(crc64Base64([random]));
    expect(crc64Base64([...random].map((b) => Buffer.from([b])))).toBe(crc64Base64([random]));
  });
});
