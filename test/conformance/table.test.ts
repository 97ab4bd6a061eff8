import { AzureNamedKeyCredential, TableClient, TableServiceClient, type TableEntity } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { TableService } from '../../src/services/table/index.js';
import { batchBody, signedFetch } from '../integration/table/support.js';
import { startAzurite, type RunningAzurite } from '../support/azurite.js';

/**
 * The same @azure/data-tables scenario against LocalZure and Azurite's table
 * server; each test compares what a user of the SDK observes. Where Azurite
 * is known to differ from Azure, the test says so and pins both answers.
 */

const options = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };
const credential = new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);

interface Target {
  name: 'localzure' | 'azurite';
  url: string;
  service: TableServiceClient;
  table(name: string): TableClient;
}

type Observation = { ok: unknown } | { status?: number; code?: string; index?: string };

/** What the SDK user sees: the value (made comparable), or the failure's status, code and batch index. */
async function observe(work: () => Promise<unknown>): Promise<Observation> {
  try {
    return { ok: comparable(await work()) };
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; message?: string; details?: { odataError?: { code?: string } } };
    const index = /^(\d+):/.exec(e.message ?? '')?.[1];
    return { status: e.statusCode, code: e.details?.odataError?.code ?? e.code, ...(index === undefined ? {} : { index }) };
  }
}

// ETags, timestamps, dates and request ids differ between two correct servers.
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value instanceof Uint8Array) return [...value];
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (['etag', 'timestamp', 'date', 'requestId', 'clientRequestId', 'version', 'odata.metadata', 'continuationToken'].includes(k)) continue;
      out[k] = comparable(v);
    }
    return out;
  }
  return typeof value === 'bigint' ? `${value}n` : value;
}

function statusOf(observation: Observation): number | 'ok' | undefined {
  return 'ok' in observation ? 'ok' : observation.status;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('table conformance with Azurite', () => {
  let service: TableService;
  let azurite: RunningAzurite;
  let targets: Target[];
  let counter = 0;

  beforeAll(async () => {
    service = new TableService();
    await service.start();
    azurite = await startAzurite('table');
    const make = (name: Target['name'], url: string): Target => ({
      name,
      url,
      service: new TableServiceClient(url, credential, options),
      table: (table) => new TableClient(url, table, credential, options),
    });
    targets = [make('localzure', service.getEndpoint(DEFAULT_ACCOUNT)!.url), make('azurite', azurite.url)];
  });

  afterAll(async () => {
    await Promise.all([service?.stop(), azurite?.stop()]);
  });

  /** Runs `scenario` on both servers with the same fresh table name; returns [localzure, azurite]. */
  async function both<T>(scenario: (target: Target, table: TableClient) => Promise<T>, createTable = true): Promise<[T, T]> {
    counter += 1;
    const name = `conf${counter}x${Date.now().toString(36)}`;
    const [lz, az] = await Promise.all(
      targets.map(async (target) => {
        const table = target.table(name);
        if (createTable) await table.createTable();
        return scenario(target, table);
      }),
    );
    return [lz!, az!];
  }

  async function seed(table: TableClient): Promise<void> {
    for (const [pk, rk, n] of [['b', '2', 3], ['a', '2', 2], ['b', '1', 4], ['a', '1', 1], ['c', '1', 5]] as const) {
      await table.createEntity({ partitionKey: pk, rowKey: rk, n, s: `${pk}${rk}`, big: BigInt(n) * 10_000_000_000n, flag: n % 2 === 0, when: new Date(Date.UTC(2020, 0, n)) });
    }
  }

  it('round-trips typed entities the same way', async () => {
    const [lz, az] = await both(async (_, table) => {
      const entity: TableEntity = {
        partitionKey: 'p',
        rowKey: 'r',
        s: 'text',
        i: 42,
        d: 2.5,
        whole: { type: 'Double', value: '3' },
        big: 12345678901234n,
        b: false,
        when: new Date('2021-06-01T12:00:00.000Z'),
        id: { type: 'Guid', value: '0f8fad5b-d9cb-469f-a165-70867728950e' },
        bin: new Uint8Array([1, 2, 3]),
      };
      await table.createEntity(entity);
      return [await observe(() => table.getEntity('p', 'r')), await observe(() => table.getEntity('p', 'r', { disableTypeConversion: true }))];
    });
    expect(lz).toEqual(az);
  });

  it('answers entity errors with the same codes', async () => {
    const [lz, az] = await both(async (target, table) => {
      const { etag } = await table.createEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
      await table.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 2 });
      return {
        duplicate: await observe(() => table.createEntity({ partitionKey: 'p', rowKey: 'r' })),
        missing: await observe(() => table.getEntity('p', 'nope')),
        stale: await observe(() => table.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 3 }, 'Replace', { etag })),
        staleDelete: await observe(() => table.deleteEntity('p', 'r', { etag })),
        updateMissing: await observe(() => table.updateEntity({ partitionKey: 'p', rowKey: 'nope', v: 1 })),
        deleteMissing: await observe(() => table.deleteEntity('p', 'nope')),
        noTable: await observe(() => target.table('absenttable').getEntity('p', 'r')),
        merged: await observe(async () => {
          await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', extra: 'x' }, 'Merge');
          return table.getEntity('p', 'r');
        }),
      };
    });
    expect(lz).toEqual(az);
  });

  it.each([
    "PartitionKey eq 'b'",
    'n gt 2 and n le 4',
    "not (PartitionKey eq 'a')",
    "RowKey eq '1' or s eq 'a2'",
    'big ge 30000000000L',
    'flag eq true',
    "when lt datetime'2020-01-03T00:00:00Z'",
    "s ne 'c1'",
    'missing eq 1',
    "PartitionKey ge 'a' and PartitionKey lt 'b'",
  ])('filters %s the same way', async (filter) => {
    const [lz, az] = await both(async (_, table) => {
      await seed(table);
      return observe(async () => (await collect(table.listEntities({ queryOptions: { filter } }))).map((e) => `${e.partitionKey}${e.rowKey}`));
    });
    expect(lz).toEqual(az);
  });

  it('pages and selects the same way', async () => {
    const [lz, az] = await both(async (_, table) => {
      await seed(table);
      const pages: unknown[] = [];
      for await (const page of table.listEntities({ queryOptions: { select: ['s', 'n'] } }).byPage({ maxPageSize: 2 })) pages.push(comparable([...page]));
      return pages;
    });
    expect(lz).toEqual(az);
  });

  it('answers a malformed filter with the same status', async () => {
    const [lz, az] = await both(async (_, table) => {
      await seed(table);
      return Promise.all(['n gt', '(n gt 1', 'n eq 1 and'].map((filter) => observe(() => collect(table.listEntities({ queryOptions: { filter } })))));
    });
    expect(lz.map(statusOf)).toEqual(az.map(statusOf));
  });

  it('deviation: Azurite runs a filter whose string literal is never closed; LocalZure refuses it, as Azure does', async () => {
    const [lz, az] = await both(async (_, table) => {
      await seed(table);
      return observe(() => collect(table.listEntities({ queryOptions: { filter: "PartitionKey eq 'a" } })));
    });
    expect(statusOf(lz)).toBe(400);
    expect(statusOf(az)).toBe('ok');
  });

  it('commits a transaction the same way', async () => {
    const [lz, az] = await both(async (_, table) => {
      await table.createEntity({ partitionKey: 'p', rowKey: 'u', v: 1 });
      await table.createEntity({ partitionKey: 'p', rowKey: 'd' });
      const result = await table.submitTransaction([
        ['create', { partitionKey: 'p', rowKey: 'c', v: 1 }],
        ['update', { partitionKey: 'p', rowKey: 'u', v: 2 }],
        ['upsert', { partitionKey: 'p', rowKey: 'x', v: 3 }, 'Replace'],
        ['delete', { partitionKey: 'p', rowKey: 'd' }],
      ]);
      return { statuses: result.subResponses.map((r) => r.status), rows: comparable(await collect(table.listEntities())) };
    });
    expect(lz).toEqual(az);
  });

  it('rolls back a failed transaction and names the index the same way', async () => {
    const [lz, az] = await both(async (_, table) => {
      await table.createEntity({ partitionKey: 'p', rowKey: 'taken' });
      const failure = await observe(() =>
        table.submitTransaction([
          ['create', { partitionKey: 'p', rowKey: 'a' }],
          ['create', { partitionKey: 'p', rowKey: 'taken' }],
        ]),
      );
      return { failure, rows: (await collect(table.listEntities())).map((e) => e.rowKey) };
    });
    expect(lz).toEqual(az);
  });

  it('manages tables the same way', async () => {
    const [lz, az] = await both(async (target, table) => {
      const conflict: { status?: number } = {};
      await target.service.createTable(table.tableName, { onResponse: (r) => (conflict.status = r.status) });
      const listed = (await collect(target.service.listTables({ queryOptions: { filter: `TableName eq '${table.tableName}'` } }))).map((t) => t.name);
      await target.service.deleteTable(table.tableName);
      const after = (await collect(target.service.listTables({ queryOptions: { filter: `TableName eq '${table.tableName}'` } }))).length;
      return { conflict, listed: listed.length, after };
    });
    expect(lz).toEqual(az);
  });

  it('refuses invalid keys with the same status and code', async () => {
    const [lz, az] = await both(async (target, table) => {
      const results = {
        longKey: await observe(() => table.createEntity({ partitionKey: 'p', rowKey: 'k'.repeat(1025) })),
        slashKey: await observe(() => table.createEntity({ partitionKey: 'p', rowKey: 'a/b' })),
        controlCharacterKey: await observe(() => table.createEntity({ partitionKey: 'p', rowKey: 'bad\u0001' })),
      };
      return results;
    });
    expect(lz).toEqual(az);
  });

  it('deviation: Azurite refuses an invalid table name with an empty error code; LocalZure answers InvalidResourceName', async () => {
    const [lz, az] = await both(async (target) => observe(() => target.service.createTable('1bad')), false);
    expect(lz).toEqual({ status: 400, code: 'InvalidResourceName' });
    expect(statusOf(az)).toBe(400);
  });

  it('deviation: Azurite stores an entity over the 1 MiB limit; LocalZure refuses it with EntityTooLarge, as Azure does', async () => {
    const [lz, az] = await both(async (_, table) =>
      observe(() => table.createEntity({ partitionKey: 'p', rowKey: 'r', ...Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`s${i}`, 'x'.repeat(32 * 1024)])) })),
    );
    expect(lz).toEqual({ status: 400, code: 'EntityTooLarge' });
    expect(statusOf(az)).toBe('ok');
  });

  it('deviation: Azurite stores a 256-character property name; LocalZure refuses it with PropertyNameTooLong, as Azure documents', async () => {
    const [lz, az] = await both(async (_, table) => observe(() => table.createEntity({ partitionKey: 'p', rowKey: 'r', ['n'.repeat(256)]: 1 })));
    expect(lz).toEqual({ status: 400, code: 'PropertyNameTooLong' });
    expect(statusOf(az)).toBe('ok');
  });

  it('deviation: Azurite stores 253 custom properties; LocalZure refuses them with TooManyProperties, as Azure documents', async () => {
    const [lz, az] = await both(async (_, table) => {
      const props = Object.fromEntries(Array.from({ length: 253 }, (_, i) => [`p${i}`, i]));
      return observe(() => table.createEntity({ partitionKey: 'p', rowKey: 'many', ...props }));
    });
    expect(lz).toEqual({ status: 400, code: 'TooManyProperties' });
    expect(statusOf(az)).toBe('ok');
  });

  it.each(['nometadata', 'minimalmetadata'])('answers an entity with the same JSON members in %s', async (level) => {
    const [lz, az] = await both(async (target, table) => {
      await table.createEntity({ partitionKey: 'p', rowKey: 'r', s: 'x', i: 1, d: 1.5, big: 2n, when: new Date('2020-01-01T00:00:00.000Z'), bin: new Uint8Array([1]) });
      const response = await signedFetch(target, 'GET', `${table.tableName}(PartitionKey='p',RowKey='r')`, { headers: { Accept: `application/json;odata=${level}` } });
      const body = (await response.json()) as Record<string, unknown>;
      const { Timestamp, ['odata.etag']: etag, ['odata.metadata']: metadata, ...rest } = body;
      // Azure adds ;streaming=true;charset=utf-8 to the media type, Azurite does not: compare the media type and level.
      return { status: response.status, contentType: response.headers.get('content-type')?.split(';').slice(0, 2).join(';'), members: rest, hasEtag: etag !== undefined, hasMetadata: metadata !== undefined, hasTimestamp: Timestamp !== undefined };
    });
    expect(lz).toEqual(az);
  });

  it('deviation: Azurite commits a batch touching two partitions; LocalZure refuses it with CommandsInBatchActOnDifferentPartitions, as Azure does', async () => {
    const [lz, az] = await both(async (target, table) => {
      const { boundary, body } = batchBody(target, table.tableName, [
        { method: 'POST', body: { PartitionKey: 'p1', RowKey: 'a' } },
        { method: 'POST', body: { PartitionKey: 'p2', RowKey: 'a' } },
      ]);
      const response = await signedFetch(target, 'POST', '$batch', { headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` }, body });
      const text = await response.text();
      return { status: response.status, inner: /HTTP\/1.1 (\d+)/.exec(text)?.[1], code: /"code":"(\w+)"/.exec(text)?.[1], index: /"value":"(\d+):/.exec(text)?.[1], rows: (await collect(table.listEntities())).length };
    });
    expect(lz).toEqual({ status: 202, inner: '400', code: 'CommandsInBatchActOnDifferentPartitions', index: '1', rows: 0 });
    expect(az).toMatchObject({ status: 202, inner: '201', rows: 2 });
  });

  it('answers a batch holding one entity twice the same way', async () => {
    const [lz, az] = await both(async (_, table) =>
      observe(() => table.submitTransaction([['create', { partitionKey: 'p', rowKey: 'a' }], ['upsert', { partitionKey: 'p', rowKey: 'a', v: 1 }]])),
    );
    expect(lz).toEqual(az);
  });
});
