import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azuriteAccounts, azuriteCommand, storageConnectionString } from '../../src/containers/azurite.js';
import { certificateEnvironment, cosmosEnvironment, cosmosSeed } from '../../src/containers/cosmosdb.js';
import { emulatorConnectionString } from '../../src/containers/emulator-connection.js';
import { eventHubsConfig } from '../../src/containers/eventhubs-config.js';
import { EventHubsContainerService } from '../../src/containers/eventhubs.js';
import { dropDatabasesExcept, generatePassword, sqlConnectionString } from '../../src/containers/mssql.js';
import { readSeedConfig } from '../../src/containers/seed-config.js';
import { serviceBusConfig } from '../../src/containers/servicebus-config.js';
import { ServiceBusContainerService } from '../../src/containers/servicebus.js';
import { DEFAULT_ACCOUNT } from '../../src/index.js';

type SbConfig = {
  UserConfig: {
    Namespaces: Array<{ Name: string; Queues: Array<{ Name: string; Properties: Record<string, unknown> }>; Topics: Array<Record<string, any>> }>;
    Logging: { Type: string };
  };
};

describe('Service Bus emulator Config.json', () => {
  it('puts every entity in the one namespace the emulator accepts', () => {
    const config = serviceBusConfig({ queues: ['orders-1'] }) as SbConfig;
    expect(config.UserConfig.Namespaces.map((n) => n.Name)).toEqual(['sbemulatorns']);
    expect(config.UserConfig.Logging.Type).toBe('Console');
  });

  it('fills queue properties the user left out with the emulator defaults', () => {
    const [queue] = (serviceBusConfig({ queues: ['orders-2'] }) as SbConfig).UserConfig.Namespaces[0]!.Queues;
    expect(queue).toEqual({
      Name: 'orders-2',
      Properties: expect.objectContaining({ LockDuration: 'PT1M', MaxDeliveryCount: 3, RequiresSession: false, DefaultMessageTimeToLive: 'PT1H' }),
    });
  });

  it('keeps the properties the user gave over the defaults', () => {
    const config = serviceBusConfig({ queues: { 'jobs-1': { properties: { MaxDeliveryCount: 7, RequiresSession: true } } } }) as SbConfig;
    expect(config.UserConfig.Namespaces[0]!.Queues[0]!.Properties).toMatchObject({ MaxDeliveryCount: 7, RequiresSession: true, LockDuration: 'PT1M' });
  });

  it('writes topics with their subscriptions and rules', () => {
    const config = serviceBusConfig({
      topics: {
        'events-1': {
          subscriptions: ['audit', { name: 'eu-only', rules: { region: { FilterType: 'Sql', SqlFilter: { SqlExpression: "region = 'eu'" } } } }],
        },
      },
    }) as SbConfig;
    const [topic] = config.UserConfig.Namespaces[0]!.Topics;
    expect(topic!.Name).toBe('events-1');
    expect(topic!.Subscriptions.map((s: { Name: string }) => s.Name)).toEqual(['audit', 'eu-only']);
    expect(topic!.Subscriptions[1].Rules).toEqual([
      { Name: 'region', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: "region = 'eu'" } } },
    ]);
  });

  it('passes a complete emulator file through unchanged', () => {
    const raw = { UserConfig: { Namespaces: [{ Name: 'sbemulatorns', Queues: [], Topics: [] }], Logging: { Type: 'File' } } };
    expect(serviceBusConfig(raw)).toBe(raw);
  });

  it('writes an empty namespace when no entities are given', () => {
    expect((serviceBusConfig(undefined) as SbConfig).UserConfig.Namespaces[0]).toEqual({ Name: 'sbemulatorns', Queues: [], Topics: [] });
  });

  it.each([
    ['a name the emulator rejects', { queues: ['-bad'] }, /not a valid entity name/],
    ['a topic without subscriptions', { topics: { lonely: { subscriptions: [] } } }, /at least one subscription/],
    ['the same queue twice', { queues: ['twice', 'twice'] }, /appears twice/],
    ['a rule without a filter type', { topics: { t: { subscriptions: { s: { rules: { r: {} } } } } } }, /FilterType/],
    ['more than 50 entities', { queues: Array.from({ length: 51 }, (_, i) => `q${i}`) }, /allows 50/],
    ['queues that are not a list or object', { queues: 'orders' }, /must be an object/],
  ])('rejects %s with LZ_INVALID_CONTAINER_CONFIG', (_, entities, message) => {
    expect(() => serviceBusConfig(entities)).toThrow(expect.objectContaining({ code: 'LZ_INVALID_CONTAINER_CONFIG', message: expect.stringMatching(message) }));
  });

  it('is generated from the seed given to the service', () => {
    const service = new ServiceBusContainerService({ seed: { data: { servicebus: { queues: ['from-seed'] } } } });
    expect(JSON.parse(service.configFile()).UserConfig.Namespaces[0].Queues[0].Name).toBe('from-seed');
  });
});

describe('Event Hubs emulator Config.json', () => {
  it('writes each hub with its partition count as the string the schema wants and its consumer groups', () => {
    const config = eventHubsConfig({ hubs: { 'telemetry-1': { partitionCount: 4, consumerGroups: ['analytics'] } } }) as any;
    expect(config.UserConfig.NamespaceConfig).toEqual([
      { Type: 'EventHub', Name: 'emulatorNs1', Entities: [{ Name: 'telemetry-1', PartitionCount: '4', ConsumerGroups: [{ Name: 'analytics' }] }] },
    ]);
  });

  it('gives a hub one partition and no extra consumer group by default', () => {
    const config = eventHubsConfig({ hubs: { 'plain-1': {} } }) as any;
    expect(config.UserConfig.NamespaceConfig[0].Entities[0]).toEqual({ Name: 'plain-1', PartitionCount: '1', ConsumerGroups: [] });
  });

  it.each([
    ['a partition count above the emulator quota', { hubs: { h: { partitionCount: 33 } } }, /1 to 32/],
    ['a fractional partition count', { hubs: { h: { partitionCount: 1.5 } } }, /integer/],
    ['more than 10 hubs', { hubs: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`h${i}`, {}])) }, /allows 10/],
    ['a consumer group listed twice', { hubs: { h: { consumerGroups: ['a', 'a'] } } }, /twice/],
    ['an invalid hub name', { hubs: { 'bad name': {} } }, /not a valid name/],
  ])('rejects %s with LZ_INVALID_CONTAINER_CONFIG', (_, entities, message) => {
    expect(() => eventHubsConfig(entities)).toThrow(expect.objectContaining({ code: 'LZ_INVALID_CONTAINER_CONFIG', message: expect.stringMatching(message) }));
  });

  it('is read from <seed dir>/eventhubs/config.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-seed-'));
    mkdirSync(join(dir, 'eventhubs'));
    writeFileSync(join(dir, 'eventhubs', 'config.json'), JSON.stringify({ hubs: { 'from-file': {} } }));
    const service = new EventHubsContainerService({ seed: { dir } });
    expect(JSON.parse(service.configFile()).UserConfig.NamespaceConfig[0].Entities[0].Name).toBe('from-file');
  });
});

describe('seed configuration files', () => {
  it('prefers inline data over the seed folder', () => {
    expect(readSeedConfig({ dir: '/nowhere', data: { servicebus: { queues: ['x'] } } }, 'servicebus')).toEqual({ queues: ['x'] });
  });

  it('reports a config.json that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-seed-'));
    mkdirSync(join(dir, 'servicebus'));
    writeFileSync(join(dir, 'servicebus', 'config.json'), '{ queues: ');
    expect(() => readSeedConfig({ dir }, 'servicebus')).toThrow(expect.objectContaining({ code: 'LZ_INVALID_CONTAINER_CONFIG' }));
  });

  it('is absent when neither inline data nor a file exists', () => {
    expect(readSeedConfig({ dir: mkdtempSync(join(tmpdir(), 'lz-seed-')) }, 'cosmosdb')).toBeUndefined();
  });
});

describe('Azurite container settings', () => {
  it('registers the runtime accounts and always the development account the Event Hubs emulator uses', () => {
    expect(azuriteAccounts([{ name: 'custom1', key: 'a2V5' }])).toBe(`custom1:a2V5;devstoreaccount1:${DEFAULT_ACCOUNT.key}`);
  });

  it('keeps data in memory and accepts any API version', () => {
    expect(azuriteCommand()).toEqual(expect.arrayContaining(['--inMemoryPersistence', '--skipApiVersionCheck']));
  });

  it('builds a storage connection string naming all three endpoints of the account', () => {
    const cs = storageConnectionString(DEFAULT_ACCOUNT, { blob: 'http://h:1/devstoreaccount1', queue: 'http://h:2/devstoreaccount1', table: 'http://h:3/devstoreaccount1' });
    expect(cs).toContain('BlobEndpoint=http://h:1/devstoreaccount1;QueueEndpoint=http://h:2/devstoreaccount1;TableEndpoint=http://h:3/devstoreaccount1;');
  });
});

describe('SQL Server settings', () => {
  it('generates passwords that meet the sa password policy', () => {
    const password = generatePassword();
    expect(password.length).toBeGreaterThanOrEqual(8);
    for (const kind of [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/]) expect(password).toMatch(kind);
    expect(password).not.toMatch(/[;=]/);
    expect(generatePassword()).not.toBe(password);
  });

  it('drops user databases except the kept ones, quoting names that contain quotes', () => {
    const sql = dropDatabasesExcept(['SbGatewayDatabase', "o'brien"]);
    expect(sql).toContain("name NOT IN (N'SbGatewayDatabase', N'o''brien')");
    expect(sql).toContain('database_id > 4');
    expect(sql).toContain('QUOTENAME(name)');
  });

  it('drops every user database when nothing is kept', () => {
    expect(dropDatabasesExcept([])).not.toContain('NOT IN');
  });

  it('builds an ADO connection string that trusts the self-signed certificate', () => {
    expect(sqlConnectionString('localhost,1433', 'pw')).toBe('Server=localhost,1433;Database=master;User Id=sa;Password=pw;Encrypt=true;TrustServerCertificate=true;');
  });
});

describe('messaging emulator connection strings', () => {
  it('names the host port and the development-emulator switch the SDKs look for', () => {
    expect(emulatorConnectionString('localhost:49152')).toBe(
      'Endpoint=sb://localhost:49152;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;',
    );
  });
});

describe('Cosmos DB settings', () => {
  it('starts the emulator without persistence, advertising the loopback address', () => {
    expect(cosmosEnvironment()).toMatchObject({ AZURE_COSMOS_EMULATOR_ENABLE_DATA_PERSISTENCE: 'false', AZURE_COSMOS_EMULATOR_IP_ADDRESS_OVERRIDE: '127.0.0.1' });
  });

  it('publishes the certificate as NODE_EXTRA_CA_CERTS when the user set none', () => {
    expect(certificateEnvironment('/tmp/c.pem', {})).toEqual({ LOCALZURE_COSMOSDB_CERT_PATH: '/tmp/c.pem', NODE_EXTRA_CA_CERTS: '/tmp/c.pem' });
  });

  it('leaves a NODE_EXTRA_CA_CERTS the user set alone', () => {
    expect(certificateEnvironment('/tmp/c.pem', { NODE_EXTRA_CA_CERTS: '/etc/corp.pem' })).toEqual({ LOCALZURE_COSMOSDB_CERT_PATH: '/tmp/c.pem' });
  });

  it('reads databases and containers from the seed, partitioned by /id unless told otherwise', () => {
    expect(cosmosSeed({ databases: { shop: { orders: { partitionKey: '/customerId' }, items: {} } } })).toEqual([
      ['shop', [['orders', '/customerId'], ['items', '/id']]],
    ]);
  });

  it('rejects a partition key that is not a path', () => {
    expect(() => cosmosSeed({ databases: { shop: { orders: { partitionKey: 'customerId' } } } })).toThrow(
      expect.objectContaining({ code: 'LZ_INVALID_CONTAINER_CONFIG' }),
    );
  });
});
