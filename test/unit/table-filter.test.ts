import { describe, expect, it } from 'vitest';
import type { EdmValue } from '../../src/services/table/edm.js';
import { TableDomainError } from '../../src/services/table/errors.js';
import { evaluateFilter } from '../../src/services/table/filter/evaluate.js';
import { parseFilter } from '../../src/services/table/filter/parser.js';

const entity: Record<string, EdmValue> = {
  PartitionKey: { type: 'Edm.String', value: 'pk' },
  RowKey: { type: 'Edm.String', value: "it's" },
  Age: { type: 'Edm.Int32', value: 30 },
  Big: { type: 'Edm.Int64', value: 9007199254740993n },
  Price: { type: 'Edm.Double', value: 9.5 },
  Active: { type: 'Edm.Boolean', value: true },
  Born: { type: 'Edm.DateTime', text: '2000-01-01T00:00:00.1234567Z', ticks: 9466848001234567n },
  Id: { type: 'Edm.Guid', value: 'c9da6455-213d-42c9-9a79-3e9149a57833' },
  Bytes: { type: 'Edm.Binary', value: Buffer.from([0x0a, 0xff]) },
};

function expectInvalid(filter: string): void {
  let caught: unknown;
  try {
    parseFilter(filter);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TableDomainError);
  expect((caught as TableDomainError).code).toBe('InvalidInput');
}

const matches = (filter: string) => evaluateFilter(parseFilter(filter), (name) => entity[name]);

describe('$filter parser and evaluator', () => {
  it.each([
    ["PartitionKey eq 'pk'", true],
    ["RowKey eq 'it''s'", true],
    ['Age eq 30', true],
    ['Age ne 30', false],
    ['Age gt 29 and Age lt 31', true],
    ['Age ge 30 and Age le 30', true],
    ['Age gt 30 or Age lt 30', false],
    ['not (Age eq 30)', false],
    ['not Age eq 30', false],
    ['Big eq 9007199254740993L', true],
    ['Big gt 9007199254740992L', true],
    ['Age eq 30L', true],
    ['Price eq 9.5', true],
    ['Price gt 9', true],
    ['Price lt 1e1', true],
    ['Price eq 9.5D', true],
    ['Active eq true', true],
    ['Active', true],
    ['not Active', false],
    ['true', true],
    ['false or Active', true],
    ["Born eq datetime'2000-01-01T00:00:00.1234567Z'", true],
    ["Born gt datetime'2000-01-01T00:00:00.123Z'", true],
    ["Born lt datetime'2000-01-01T01:00:00+01:00'", false],
    ["Id eq guid'C9DA6455-213D-42C9-9A79-3E9149A57833'", true],
    ["Bytes eq X'0aff'", true],
    ["Bytes eq binary'0AFF'", true],
    ["Bytes gt X'0a'", true],
    ['Missing eq 1', false],
    ['Missing ne 1', false],
    ['not (Missing eq 1)', true],
    ["Age eq '30'", false],
    ["Age ne '30'", false],
    ["'pk' eq PartitionKey", true],
    ['30 eq Age', true],
    ['((Age eq 30))', true],
    ["PartitionKey EQ 'pk' AND Age GT 1", true],
    ["  PartitionKey   eq   'pk'  ", true],
    ['Age eq -30', false],
    ["(PartitionKey eq 'x' or PartitionKey eq 'pk') and (Age lt 10 or Age gt 20)", true],
    ["PartitionKey eq 'x' or PartitionKey eq 'pk' and Age lt 10", false],
    [`${'('.repeat(100)}Age eq 30${')'.repeat(100)}`, true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    "PartitionKey eq 'unterminated",
    'Age eq',
    'eq 1',
    'Age 30',
    'Age eq 1 and',
    'and Age eq 1',
    '(Age eq 1',
    'Age eq 1)',
    '()',
    'Age == 1',
    'Age eq 1 Age eq 2',
    "'text'",
    '42',
    "not 'text'",
    "Age eq 1 and 'x'",
    'Age eq 12abc',
    'Age eq 1.2.3',
    'Age eq 99999999999999999999',
    'Age eq 1.5L',
    "Born eq datetime'not a date'",
    "Born eq datetime'2000-13-01T00:00:00Z'",
    "Id eq guid'1234'",
    "Bytes eq X'abc'",
    "Bytes eq X'zz'",
    "Name eq unknown'x'",
    'Age eq #',
    'Age eq 1 or or Age eq 2',
    'not',
  ])('refuses %j with InvalidInput', (filter) => {
    expectInvalid(filter);
  });

  it('refuses nesting deeper than 100 levels instead of exhausting the stack', () => {
    expectInvalid(`${'('.repeat(5000)}Age eq 1${')'.repeat(5000)}`);
    expectInvalid(`${'not '.repeat(5000)}Active`);
  });
});
