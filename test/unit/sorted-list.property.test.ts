import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ordinal } from '../../src/services/storage-common/ordinal.js';
import { SortedList } from '../../src/services/storage-common/sorted-list.js';

// Operations applied both to the list (with tiny chunks, so they split and empty often) and to a plain sorted array.
const operation = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), key: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.string({ maxLength: 3 }) }),
);

function replay(operations: Array<{ kind: 'add' | 'delete'; key: string }>) {
  const list = new SortedList<string>(ordinal, 2);
  const model: string[] = [];
  for (const { kind, key } of operations) {
    const had = model.includes(key);
    if (kind === 'add') {
      expect(list.add(key)).toBe(!had);
      if (!had) model.push(key);
    } else {
      expect(list.delete(key)).toBe(had);
      if (had) model.splice(model.indexOf(key), 1);
    }
  }
  return { list, model: model.sort(ordinal) };
}

describe('SortedList', () => {
  it('holds what a sorted array of the same adds and deletes holds, in order', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const { list, model } = replay(operations);
        expect([...list]).toEqual(model);
        expect(list.size).toBe(model.length);
        expect(list.first()).toBe(model[0]);
      }),
    );
  });

  it('walks from any place the items not before it', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), fc.string({ maxLength: 3 }), (operations, from) => {
        const { list, model } = replay(operations);
        expect([...list.from(from)]).toEqual(model.filter((key) => key >= from));
      }),
    );
  });

  it('goes on after the last item handed out when the list changes during a walk', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 100 }), fc.array(operation, { maxLength: 100 }), (before, during) => {
        const { list } = replay(before);
        const seen: string[] = [];
        let step = 0;
        for (const key of list.from()) {
          seen.push(key);
          const change = during[step++];
          if (change) list[change.kind](change.key);
        }
        // Strictly increasing: nothing handed out twice, nothing out of order.
        expect(seen).toEqual([...new Set(seen)].sort(ordinal));
        // Whatever is still there past the last key seen was not skipped.
        const last = seen.at(-1);
        expect([...list].filter((key) => last === undefined || key > last)).toEqual([]);
      }),
    );
  });

  it('copies into a list that changes apart from the original and behaves like one built by adds', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), fc.array(operation, { maxLength: 100 }), (before, after) => {
        const { list, model } = replay(before);
        const copy = list.copy();
        const copyModel = [...model];
        for (const { kind, key } of after) {
          const had = copyModel.includes(key);
          expect(copy[kind](key)).toBe(kind === 'add' ? !had : had);
          if (kind === 'add' && !had) copyModel.push(key);
          if (kind === 'delete' && had) copyModel.splice(copyModel.indexOf(key), 1);
        }
        expect([...copy]).toEqual(copyModel.sort(ordinal));
        expect(copy.size).toBe(copyModel.length);
        expect([...list]).toEqual(model);
      }),
    );
  });
});
