import { describe, expect, it } from 'vitest';
import { fromSnapshotJson, toSnapshotJson, type SnapshotAdapter } from '../../src/core/snapshot-json.js';

const roundTrip = (value: unknown, adapters: SnapshotAdapter[] = []) => fromSnapshotJson(JSON.parse(JSON.stringify(toSnapshotJson(value, adapters))), adapters);

describe('snapshot JSON', () => {
  it('keeps Buffers, Maps, Sets, Dates, bigints and numbers JSON cannot hold', () => {
    const value = { bytes: Buffer.from([0, 255]), map: new Map([['k', new Set([1, 2])]]), at: new Date(5), big: 12n, forever: Infinity, list: [undefined, -Infinity] };
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps user data whose keys look like its tags as data', () => {
    const value = { $buffer: 'not base64!', nested: { $map: 1, __proto__key: 2 } };
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps a __proto__ key a key', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const copy = roundTrip(value) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('writes a class instance through its adapter, and refuses one without', () => {
    class Box {
      constructor(readonly inner: unknown) {}
    }
    const box: SnapshotAdapter<Box> = {
      tag: 'Box',
      accepts: (v): v is Box => v instanceof Box,
      encode: (b, encode) => encode(b.inner),
      decode: (v, decode) => new Box(decode(v)),
    };
    expect(roundTrip([new Box(Buffer.from('x'))], [box as SnapshotAdapter])).toEqual([new Box(Buffer.from('x'))]);
    expect(() => toSnapshotJson(new Box(1))).toThrow(/Box without an adapter/);
  });

  it('refuses a tag it does not know', () => {
    expect(() => fromSnapshotJson({ $type: 'Nope', value: 1 })).toThrow(/unknown \$type "Nope"/);
    expect(() => fromSnapshotJson({ $map: 'not a list' })).toThrow(TypeError);
  });
});
