import type { SnapshotAdapter } from '../../core/snapshot-json.js';
import { SortedMap } from './sorted-map.js';

/** A sorted map in a snapshot file: its entries in order, `[[name, value], ...]`. */
export const sortedMapAdapter: SnapshotAdapter<SortedMap<unknown>> = {
  tag: 'SortedMap',
  accepts: (value): value is SortedMap<unknown> => value instanceof SortedMap,
  encode: (map, encode) => [...map].map(([name, item]) => [name, encode(item)]),
  decode: (entries, decode) => {
    if (!Array.isArray(entries)) throw new TypeError('a SortedMap is a list of [name, value] pairs');
    const map = new SortedMap<unknown>();
    for (const [name, item] of entries as Array<[string, unknown]>) map.set(name, decode(item));
    return map;
  },
};
