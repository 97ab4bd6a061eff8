import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshContainer, useCosmos } from './support.js';

// Rules of the Azure Cosmos DB for NoSQL query reference (learn.microsoft.com/azure/cosmos-db/nosql/query/...),
// each checked on the reference's own examples where it gives one.
const cosmos = useCosmos();
let container: Container;

beforeAll(async () => {
  container = await freshContainer(cosmos);
});

async function value(text: string): Promise<unknown[]> {
  const { resources } = await container.items.query(text).fetchAll();
  return resources;
}

describe('SELECT', () => {
  it('SELECT VALUE takes an alias, which leaves the bare value as it is (reference: SELECT syntax)', async () => {
    expect(await value('SELECT VALUE "x" AS v')).toEqual(['x']);
  });
});

describe('GROUP BY limits (reference: GROUP BY arguments and remarks)', () => {
  async function refused(text: string): Promise<void> {
    await expect(container.items.query(text).fetchAll()).rejects.toMatchObject({ code: 400, message: expect.stringContaining('GROUP BY') });
  }

  it('refuses a GROUP BY expression that refers to no property, rather than making one group', async () => {
    await refused('SELECT VALUE COUNT(1) FROM c GROUP BY "all"');
  });

  it('refuses a subquery in GROUP BY', async () => {
    await refused('SELECT VALUE COUNT(1) FROM c GROUP BY (SELECT VALUE ARRAY_LENGTH(c.tags))');
  });

  it('refuses an aggregate over a subquery with GROUP BY', async () => {
    await refused('SELECT VALUE COUNT(1) FROM (SELECT c.city FROM c GROUP BY c.city) t');
  });
});

describe('math functions', () => {
  it('ATN2 takes y first, as atan2(y, x) (reference: ATN2 example)', async () => {
    expect(await value('SELECT VALUE ROUND(ATN2(35.175643, 129.44) * 1000000)')).toEqual([265345]);
  });

  it('IntBitAnd, IntBitOr, IntBitXor, IntBitNot and the shifts work on integers, undefined for a fraction (reference: IntBit* examples)', async () => {
    expect(await value('SELECT VALUE [IntBitAnd(15, 25), IntBitOr(56, 100), IntBitXor(56, 100), IntBitNot(65), IntBitLeftShift(16, 4), IntBitRightShift(16, 4), IntBitAnd(15, 1.5)]')).toEqual([
      [9, 124, 92, -66, 256, 1],
    ]);
  });

  it('NumberBin gives undefined for a bin size of 0, not null (reference: NumberBin remarks)', async () => {
    expect(await value('SELECT VALUE NumberBin(37.752, 0)')).toEqual([]);
  });
});

describe('string functions', () => {
  it('LTRIM and RTRIM with characters strip any of them from their end (reference: LTRIM and RTRIM examples)', async () => {
    expect(await value('SELECT VALUE [LTRIM("AdventureWorks", "Adventure"), RTRIM("AdventureWorks", "Works"), LTRIM("AdventureWorks", "Works"), RTRIM("AdventureWorks", "AdventureWorks")]')).toEqual([
      ['Works', 'Adventure', 'AdventureWorks', ''],
    ]);
  });

  it('TRIM with characters strips only those, keeping whitespace (reference: TRIM examples)', async () => {
    expect(await value('SELECT VALUE [TRIM("-_-AdventureWorks-_-", "-_"), TRIM("-- AdventureWorks --", "-")]')).toEqual([['AdventureWorks', ' AdventureWorks ']]);
  });
});

describe('type checking functions', () => {
  it('IS_INTEGER is true for any 64-bit signed integer, beyond 2^53 too (reference: IS_INTEGER examples)', async () => {
    expect(await value('SELECT VALUE [IS_INTEGER(3454.123), IS_INTEGER(5523432), IS_INTEGER(-9223372036854775808), IS_INTEGER(9223372036854775807), IS_INTEGER(18446744073709551615)]')).toEqual([
      [false, true, true, true, false],
    ]);
  });
});

describe('object functions', () => {
  it('ObjectToArray names the field and value parts as the query asks (reference: ObjectToArray examples)', async () => {
    expect(await value('SELECT VALUE [ObjectToArray({ "a": "12345" }, "name"), ObjectToArray({ "a": "12345" }, "key", "value")]')).toEqual([
      [[{ name: 'a', v: '12345' }], [{ key: 'a', value: '12345' }]],
    ]);
  });
});

describe('date and time functions', () => {
  it('TicksToDateTime counts 100 ns ticks from the Unix epoch (reference: TicksToDateTime examples)', async () => {
    expect(await value('SELECT VALUE [TicksToDateTime(15973607943002652), TicksToDateTime(0), TicksToDateTime(-116444736000000000)]')).toEqual([
      ['2020-08-13T23:19:54.3002652Z', '1970-01-01T00:00:00.0000000Z', '1601-01-01T00:00:00.0000000Z'],
    ]);
  });

  it('DateTimeToTicks counts 100 ns ticks from the Unix epoch (reference: DateTimeToTicks example)', async () => {
    expect(await value('SELECT VALUE DateTimeToTicks("2015-05-19T12:00:00.0000000")')).toEqual([14320368000000000]);
  });

  it('GetCurrentTicks is the Unix-epoch tick count of GetCurrentTimestamp (reference: GetCurrentTicks return type)', async () => {
    expect(await value('SELECT VALUE GetCurrentTicks() - GetCurrentTimestamp() * 10000')).toEqual([0]);
  });

  it('DateTimeFromParts reads its last part as the fraction of a second in ticks (reference: DateTimeFromParts examples)', async () => {
    expect(await value('SELECT VALUE DateTimeFromParts(2017, 4, 20, 13, 15, 20, 3456789)')).toEqual(['2017-04-20T13:15:20.3456789Z']);
  });

  it('DateTimeFromParts gives undefined for parts that make no valid date (reference: DateTimeFromParts remarks)', async () => {
    expect(await value('SELECT VALUE [DateTimeFromParts(-2000, -1, -1), DateTimeFromParts(2021, 2, 29)]')).toEqual([[]]);
  });

  it('DateTimePart gives exact micro- and nanoseconds of a seven-digit fraction (reference: DateTimePart examples)', async () => {
    expect(await value('SELECT VALUE [DateTimePart("ms", "2016-05-29T08:30:00.1301617"), DateTimePart("mcs", "2016-05-29T08:30:00.1301617"), DateTimePart("ns", "2016-05-29T08:30:00.1301617")]')).toEqual([
      [130, 130161, 130161700],
    ]);
  });

  it('a date that does not exist is no valid ISO 8601 date and time, so the functions give undefined (reference: DateTimeToTimestamp remarks)', async () => {
    expect(await value('SELECT VALUE DateTimeToTimestamp("2020-02-30T00:00:00.0000000Z")')).toEqual([]);
  });
});
