/** A small, mixed data set for query tests: missing properties, nulls, a string where others have numbers. */
export const PEOPLE = [
  { id: '1', pk: 'a', name: 'Ann', age: 30, city: 'Oslo', tags: ['x', 'y'], kids: [{ name: 'K1', age: 3 }, { name: 'K2', age: 5 }], score: 1.5 },
  { id: '2', pk: 'a', name: 'bob', age: 25, city: 'Rome', tags: ['y'], kids: [], nick: null },
  { id: '3', pk: 'b', name: 'Cid', age: 35, city: 'Oslo', tags: [], kids: [{ name: 'K3', age: 7 }] },
  { id: '4', pk: 'b', name: 'Dee', age: '40', city: 'Rome' },
  { id: '5', pk: 'c', name: 'Eve', city: 'Oslo', active: true },
];
