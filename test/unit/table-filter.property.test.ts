import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EdmValue } from '../../src/services/table/edm.js';
import { TableDomainError } from '../../src/services/table/errors.js';
import { evaluateFilter } from '../../src/services/table/filter/evaluate.js';
import { parseFilter } from '../../src/services/table/filter/parser.js';

// A filter as the test builds it, evaluated here directly with plain
// JavaScript, independently of the service's parser and evaluator.
type Value =
  | { kind: 'string'; v: string }
  | { kind: 'int32'; v: number }
  | { kind: 'int64'; v: bigint }
  | { kind: 'double'; v: number }
  | { kind: 'bool'; v: boolean }
  | { kind: 'date'; v: Date }
  | { kind: 'guid'; v: string }
  | { kind: 'binary'; v: Uint8Array };
type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type Filter =
  | { kind: 'cmp'; prop: string; op: Op; value: Value; flipped: boolean }
  | { kind: 'bare'; prop: string }
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; operand: Filter };

const PROPS = ['a', 'b', 'c', 'd'];

const value: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ maxLength: 6 }).map((v) => ({ kind: 'string' as const, v })),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => ({ kind: 'int32' as const, v })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ kind: 'int64' as const, v })),
  fc.integer({ min: -50, max: 50 }).map((v) => ({ kind: 'int64' as const, v: BigInt(v) })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => ({ kind: 'double' as const, v })),
  fc.integer({ min: -50, max: 50 }).map((v) => ({ kind: 'double' as const, v: v / 2 })),
  fc.boolean().map((v) => ({ kind: 'bool' as const, v })),
  fc.date({ min: new Date('1601-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((v) => ({ kind: 'date' as const, v })),
  fc.uuid().map((v) => ({ kind: 'guid' as const, v })),
  fc.uint8Array({ maxLength: 4 }).map((v) => ({ kind: 'binary' as const, v })),
);

const entity = fc.dictionary(fc.constantFrom(...PROPS), value, { maxKeys: 4 });

const filter: fc.Arbitrary<Filter> = fc.letrec<{ f: Filter }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('cmp' as const), prop: fc.constantFrom(...PROPS), op: fc.constantFrom<Op>('eq', 'ne', 'gt', 'ge', 'lt', 'le'), value, flipped: fc.boolean() }),
    fc.record({ kind: fc.constant('bare' as const), prop: fc.constantFrom(...PROPS) }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('f'), right: tie('f') }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('f') }),
  ),
})).f;

function literal(value: Value): string {
  switch (value.kind) {
    case 'string':
      return `'${value.v.replace(/'/g, "''")}'`;
    case 'int32':
      return String(value.v);
    case 'int64':
      return `${value.v}L`;
    case 'double': {
      const text = String(value.v);
      return /[.e]/.test(text) ? text : `${text}.0`;
    }
    case 'bool':
      return String(value.v);
    case 'date':
      return `datetime'${value.v.toISOString()}'`;
    case 'guid':
      return `guid'${value.v}'`;
    case 'binary':
      return `X'${Buffer.from(value.v).toString('hex')}'`;
  }
}

/** Renders with random keyword case and spacing; composites are parenthesised. */
function render(f: Filter, style: { upper: boolean; space: string }): string {
  const kw = (word: string) => (style.upper ? word.toUpperCase() : word);
  const s = style.space;
  switch (f.kind) {
    case 'cmp':
      return f.flipped ? `${literal(f.value)}${s}${kw(flip(f.op))}${s}${f.prop}` : `${f.prop}${s}${kw(f.op)}${s}${literal(f.value)}`;
    case 'bare':
      return f.prop;
    case 'not':
      return `${kw('not')}${s}(${render(f.operand, style)})`;
    default:
      return `(${render(f.left, style)})${s}${kw(f.kind)}${s}(${render(f.right, style)})`;
  }
}

function flip(op: Op): Op {
  return ({ eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' } as const)[op];
}

const NUMERIC = new Set(['int32', 'int64', 'double']);

/** The comparison rule the service documents: numbers by value across widths, other types only with themselves. */
function order(a: Value, b: Value): number | undefined {
  if (NUMERIC.has(a.kind) && NUMERIC.has(b.kind)) {
    if (a.kind === 'double' || b.kind === 'double') return Math.sign(Number(a.v) - Number(b.v));
    const x = BigInt(a.v as number | bigint);
    const y = BigInt(b.v as number | bigint);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.kind !== b.kind) return undefined;
  switch (a.kind) {
    case 'string':
      return a.v < (b.v as string) ? -1 : a.v > (b.v as string) ? 1 : 0;
    case 'guid': {
      const [x, y] = [a.v.toLowerCase(), (b.v as string).toLowerCase()];
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'bool':
      return Number(a.v) - Number(b.v);
    case 'date':
      return Math.sign(a.v.getTime() - (b.v as Date).getTime());
    case 'binary':
      return Buffer.compare(Buffer.from(a.v), Buffer.from(b.v as Uint8Array));
    default:
      return undefined;
  }
}

function expected(f: Filter, row: Record<string, Value>): boolean {
  switch (f.kind) {
    case 'bare': {
      const v = row[f.prop];
      return v?.kind === 'bool' && v.v;
    }
    case 'not':
      return !expected(f.operand, row);
    case 'and':
      return expected(f.left, row) && expected(f.right, row);
    case 'or':
      return expected(f.left, row) || expected(f.right, row);
    case 'cmp': {
      const v = row[f.prop];
      const o = v === undefined ? undefined : order(v, f.value);
      if (o === undefined) return false;
      return { eq: o === 0, ne: o !== 0, gt: o > 0, ge: o >= 0, lt: o < 0, le: o <= 0 }[f.op];
    }
  }
}

function toEdm(value: Value): EdmValue {
  switch (value.kind) {
    case 'string':
      return { type: 'Edm.String', value: value.v };
    case 'int32':
      return { type: 'Edm.Int32', value: value.v };
    case 'int64':
      return { type: 'Edm.Int64', value: value.v };
    case 'double':
      return { type: 'Edm.Double', value: value.v };
    case 'bool':
      return { type: 'Edm.Boolean', value: value.v };
    case 'date':
      return { type: 'Edm.DateTime', text: value.v.toISOString(), ticks: BigInt(value.v.getTime()) * 10_000n };
    case 'guid':
      return { type: 'Edm.Guid', value: value.v };
    case 'binary':
      return { type: 'Edm.Binary', value: Buffer.from(value.v) };
  }
}

describe('$filter properties', () => {
  it('gives the same answer as evaluating the filter directly', () => {
    fc.assert(
      fc.property(filter, entity, fc.boolean(), fc.constantFrom(' ', '  ', '\t'), (f, row, upper, space) => {
        const text = render(f, { upper, space });
        const actual = evaluateFilter(parseFilter(text), (name) => (row[name] === undefined ? undefined : toEdm(row[name]!)));
        expect(actual, text).toBe(expected(f, row));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers any string either with a parse tree or with InvalidInput, never anything else', () => {
    const alphabet = fc.constantFrom(...`abAZ_019 .-+'()eqnotandorgtlLXdatetimeguid`.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: alphabet, maxLength: 40 })), (text) => {
        try {
          parseFilter(text);
        } catch (error) {
          expect(error).toBeInstanceOf(TableDomainError);
          expect((error as TableDomainError).code).toBe('InvalidInput');
        }
      }),
      { numRuns: 3000 },
    );
  });
});
