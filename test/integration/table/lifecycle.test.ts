import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureNamedKeyCredential, TableClient, TableServiceClient } from '@azure/data-tables';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import type { ServiceContext } from '../../../src/core/service.js';
import { TableService } from '../../../src/services/table/index.js';
import { TableSeedError } from '../../../src/services/table/seed.js';
import { all, clientOptions } from './support.js';

const OTHER = { name: 'otheraccount', key: Buffer.from('another account key').toString('base64') };

describe('TableService lifecycle', () => {
  const started: TableService[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  async function start(context: Partial<ServiceContext> = {}): Promise<TableService> {
    const service = new TableService({ namespaces: new NamespaceRegistry([DEFAULT_ACCOUNT, OTHER]), ...context });
    started.push(service);
    await service.start();
    return service;
  }

  const client = (service: TableService, account = DEFAULT_ACCOUNT) =>
    new TableServiceClient(service.getEndpoint(account)!.url, new AzureNamedKeyCredential(account.name, account.key), clientOptions);
  const tableNames = async (service: TableService, account = DEFAULT_ACCOUNT) => (await all(client(service, account).listTables())).map((t) => t.name);

  it('describes itself as "table" with no dependencies and its bound port', async () => {
    const service = await start();
    const metadata = service.getMetadata();
    expect(metadata).toMatchObject({ name: 'table', dependencies: [], enabled: true });
    expect(service.getEndpoint(DEFAULT_ACCOUNT)).toEqual({ url: `http://127.0.0.1:${metadata.port}/devstoreaccount1`, connectionStringKey: 'TableEndpoint' });
  });

  it('works with a client built from a connection string', async () => {
    const service = await start();
    const endpoint = service.getEndpoint(DEFAULT_ACCOUNT)!;
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEFAULT_ACCOUNT.name};AccountKey=${DEFAULT_ACCOUNT.key};${endpoint.connectionStringKey}=${endpoint.url};`;
    const table = TableClient.fromConnectionString(connectionString, 'fromconn', clientOptions);
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    expect((await table.getEntity('p', 'r')).rowKey).toBe('r');
  });

  it('keeps accounts apart and resets only the one named', async () => {
    const service = await start();
    await client(service).createTable('mine');
    await client(service, OTHER).createTable('theirs');
    await service.reset(OTHER.name);
    expect(await tableNames(service)).toEqual(['mine']);
    expect(await tableNames(service, OTHER)).toEqual([]);
  });

  it('empties every account on a reset without a namespace', async () => {
    const service = await start();
    await client(service).createTable('one');
    await client(service, OTHER).createTable('two');
    await service.reset();
    expect(await tableNames(service)).toEqual([]);
    expect(await tableNames(service, OTHER)).toEqual([]);
  });

  it('loads seed files and inline seed data into the account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-table-seed-'));
    mkdirSync(join(dir, 'table'));
    writeFileSync(join(dir, 'table', 'people.json'), JSON.stringify([{ partitionKey: 'p', rowKey: '1', name: 'Ada', born: { type: 'DateTime', value: '1815-12-10T00:00:00Z' } }]));
    const service = await start({ seed: { dir, data: { table: { colours: [{ partitionKey: 'c', rowKey: 'red', hex: 'f00', big: { type: 'Int64', value: '1' } }] } } } });
    await service.seed();
    const url = service.getEndpoint(DEFAULT_ACCOUNT)!.url;
    const credential = new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
    expect(await new TableClient(url, 'people', credential, clientOptions).getEntity('p', '1')).toMatchObject({ name: 'Ada', born: new Date('1815-12-10T00:00:00Z') });
    expect(await new TableClient(url, 'colours', credential, clientOptions).getEntity('c', 'red')).toMatchObject({ hex: 'f00', big: 1n });
    await service.reset();
    await service.seed(OTHER.name);
    expect(await tableNames(service)).toEqual([]);
    expect(await tableNames(service, OTHER)).toEqual(['colours', 'people']);
  });

  it('refuses a seed file that links outside the seed folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lz-table-outside-'));
    writeFileSync(join(outside, 'secret.json'), '[]');
    const dir = mkdtempSync(join(tmpdir(), 'lz-table-seed-'));
    mkdirSync(join(dir, 'table'));
    symlinkSync(join(outside, 'secret.json'), join(dir, 'table', 'secret.json'));
    const service = await start({ seed: { dir } });
    await expect(service.seed()).rejects.toBeInstanceOf(TableSeedError);
  });

  it('refuses a seed file that is a link looping back on itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-table-seed-'));
    mkdirSync(join(dir, 'table'));
    symlinkSync(join(dir, 'table', 'loop.json'), join(dir, 'table', 'loop.json'));
    const service = await start({ seed: { dir } });
    await expect(service.seed()).rejects.toMatchObject({ name: 'TableSeedError', code: 'LZ_INVALID_SEED', message: expect.stringMatching(/loops back on itself/) });
  });

  it('refuses seed entities that break the service rules and loads nothing', async () => {
    const service = await start({ seed: { data: { table: { good: [{ partitionKey: 'p', rowKey: 'r' }], things: [{ partitionKey: 'p', rowKey: 'ok' }, { partitionKey: 'p', rowKey: 'bad/key' }] } } } });
    await expect(service.seed()).rejects.toThrow(/Seed entity 1 of table "things"/);
    expect(await tableNames(service)).toEqual([]);
  });

  it('gets and sets service properties', async () => {
    const service = await start();
    const properties = await client(service).getProperties();
    expect(properties.logging?.read).toBe(false);
    await client(service).setProperties({ cors: [{ allowedOrigins: 'https://example.com', allowedMethods: 'GET', allowedHeaders: '*', exposedHeaders: '*', maxAgeInSeconds: 60 }] });
    expect((await client(service).getProperties()).cors?.[0]?.allowedOrigins).toBe('https://example.com');
  });

  it('shows what an account holds through inspect', async () => {
    const service = await start();
    await client(service).createTable('shown');
    const url = service.getEndpoint(DEFAULT_ACCOUNT)!.url;
    await new TableClient(url, 'shown', new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key), clientOptions).createEntity({ partitionKey: 'p', rowKey: 'r', big: 5n });
    const snapshot = await service.inspect(DEFAULT_ACCOUNT.name);
    expect(snapshot).toMatchObject({ kind: 'table', accounts: { devstoreaccount1: { tables: [{ name: 'shown', entityCount: 1, entities: [{ PartitionKey: 'p', RowKey: 'r', big: '5' }] }] } } });
    expect(await service.inspect(OTHER.name)).toEqual({ kind: 'table', accounts: {} });
  });
});
