import type { SqlParameter } from '@azure/cosmos';
import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from './people.js';
import { freshContainer, useCosmos } from './support.js';

const cosmos = useCosmos();
let people: Container;

beforeAll(async () => {
  people = await freshContainer(cosmos);
  for (const person of PEOPLE) await people.items.create(person);
});

function refused(text: string, parameters: SqlParameter[] = []) {
  return expect(people.items.query({ query: text, parameters }).fetchAll()).rejects;
}

describe('queries Cosmos DB refuses, and what LocalZure does not support', () => {
  it('refuses a syntax error with 400 naming the position', async () => {
    await refused('SELECT * FORM c').toMatchObject({ code: 400, message: expect.stringContaining('Syntax error') });
  });

  it('refuses an unclosed string with 400', async () => {
    await refused("SELECT * FROM c WHERE c.name = 'Ann").toMatchObject({ code: 400 });
  });

  it('refuses a LIKE set whose range runs backwards with 400 naming the pattern', async () => {
    await refused("SELECT VALUE c.id FROM c WHERE c.name LIKE '[z-a]%'").toMatchObject({ code: 400, message: expect.stringContaining('[z-a]') });
  });

  it('stops a RegexMatch that backtracks without end with 400 after 2 s, and the emulator answers again', async () => {
    await refused("SELECT VALUE c.id FROM c WHERE RegexMatch(@text, '^(a+)+$')", [{ name: '@text', value: `${'a'.repeat(40)}!` }])
      .toMatchObject({ code: 400, message: expect.stringContaining('RegexMatch') });
    const { resources } = await people.items.query("SELECT VALUE c.id FROM c WHERE RegexMatch(c.name, '^A')").fetchAll();
    expect(resources.length).toBe(PEOPLE.filter((p) => p.name.startsWith('A')).length);
  });

  it('refuses an unknown function with 400 naming it', async () => {
    await refused('SELECT VALUE NOSUCH(c.id) FROM c').toMatchObject({ code: 400, message: expect.stringContaining('NOSUCH') });
  });

  it('refuses a wrong argument count with 400', async () => {
    await refused('SELECT VALUE UPPER(c.id, 1) FROM c').toMatchObject({ code: 400, message: expect.stringContaining('UPPER') });
  });

  it('refuses an identifier that is not in scope with 400', async () => {
    await refused('SELECT VALUE d.id FROM c').toMatchObject({ code: 400, message: expect.stringContaining("'d'") });
  });

  it('refuses SELECT * with JOIN with 400', async () => {
    await refused('SELECT * FROM c JOIN k IN c.kids').toMatchObject({ code: 400 });
  });

  it('refuses a GROUP BY query selecting something it does not group by with 400', async () => {
    await refused('SELECT c.name, COUNT(1) AS n FROM c GROUP BY c.city').toMatchObject({ code: 400 });
  });

  it('refuses an aggregate mixed with row values without GROUP BY with 400', async () => {
    await refused('SELECT c.name, COUNT(1) AS n FROM c').toMatchObject({ code: 400 });
  });

  it('refuses an aggregate in WHERE with 400', async () => {
    await refused('SELECT * FROM c WHERE COUNT(1) > 1').toMatchObject({ code: 400 });
  });

  it('refuses a parameter the request does not give with 400', async () => {
    await refused('SELECT * FROM c WHERE c.id = @missing').toMatchObject({ code: 400, message: expect.stringContaining('@missing') });
  });

  it('refuses a negative TOP with 400', async () => {
    await refused('SELECT TOP @n * FROM c', [{ name: '@n', value: -1 }]).toMatchObject({ code: 400 });
  });

  it('refuses user-defined functions with 400 naming them', async () => {
    await refused('SELECT VALUE udf.tax(c.age) FROM c').toMatchObject({ code: 400, message: expect.stringContaining('user-defined functions') });
  });

  it('refuses spatial functions with 400 naming them', async () => {
    await refused('SELECT VALUE ST_DISTANCE(c.a, c.b) FROM c').toMatchObject({ code: 400, message: expect.stringContaining('ST_DISTANCE') });
  });

  it('refuses ORDER BY together with GROUP BY with 400 rather than a wrong order', async () => {
    await refused('SELECT c.city, COUNT(1) AS n FROM c GROUP BY c.city ORDER BY c.city').toMatchObject({ code: 400, message: expect.stringContaining('ORDER BY together with GROUP BY') });
  });

  it('refuses a continuation token it did not issue with 400', async () => {
    await expect(people.items.query('SELECT * FROM c', { continuationToken: 'garbage', maxItemCount: 1 }).fetchNext()).rejects.toMatchObject({ code: 400 });
  });
});

describe('ORDER BY beyond document paths', () => {
  it('refuses ORDER BY on a computed expression with 400, as Azure does', async () => {
    await refused('SELECT * FROM c ORDER BY UPPER(c.name)').toMatchObject({ code: 400, message: expect.stringContaining('could not be mapped to a document path') });
  });
});
