import { EventHubProducerClient } from '@azure/event-hubs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { EventHubsService } from '../../../src/services/eventhubs/index.js';
import { noRetry } from './support.js';

const started: { close(): Promise<void> }[] = [];
// Clients first: a client closing after its server stopped waits out its reconnect attempts.
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

async function serviceWith(eventhubs: unknown): Promise<EventHubsService> {
  const service = new EventHubsService({ seed: { data: { eventhubs } } });
  await service.start();
  started.push({ close: () => service.stop() });
  return service;
}

function producerOf(service: EventHubsService, hub: string): EventHubProducerClient {
  const producer = new EventHubProducerClient(service.getEndpoint(DEFAULT_ACCOUNT)!.connectionString!, hub, noRetry);
  started.unshift(producer);
  return producer;
}

describe('Event Hubs seed', () => {
  it("takes hubs from Microsoft's emulator Config.json", async () => {
    const service = await serviceWith({
      UserConfig: {
        NamespaceConfig: [{ Type: 'EventHub', Name: 'emulatorNs1', Entities: [{ Name: 'eh1', PartitionCount: '3', ConsumerGroups: [{ Name: 'cg1' }] }] }],
        LoggingConfig: { Type: 'File' },
      },
    });
    expect((await producerOf(service, 'eh1').getEventHubProperties()).partitionIds).toEqual(['0', '1', '2']);
    const snapshot = (await service.inspect()) as { accounts: Record<string, { hubs: { consumerGroups: string[] }[] }> };
    expect(snapshot.accounts.devstoreaccount1!.hubs[0]!.consumerGroups).toEqual(['$Default', 'cg1']);
  });

  it('gives a hub one partition and only $Default when the seed says nothing more', async () => {
    const service = await serviceWith({ hubs: { plain: {} } });
    expect((await producerOf(service, 'plain').getEventHubProperties()).partitionIds).toEqual(['0']);
  });

  it('fails the start with LZ_INVALID_SEED for a partition count out of range', async () => {
    const service = new EventHubsService({ seed: { data: { eventhubs: { hubs: { bad: { partitionCount: 0 } } } } } });
    await expect(service.start()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED', message: expect.stringContaining('partitionCount must be an integer from 1 to 32') });
  });

  it('fails the start with LZ_INVALID_SEED for a hub name Azure refuses', async () => {
    const service = new EventHubsService({ seed: { data: { eventhubs: { hubs: { '-bad-': {} } } } } });
    await expect(service.start()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED' });
  });

  it('fails the start with LZ_INVALID_SEED for a consumer group listed twice', async () => {
    const service = new EventHubsService({ seed: { data: { eventhubs: { hubs: { h: { consumerGroups: ['a', 'A'] } } } } } });
    await expect(service.start()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED', message: expect.stringContaining('twice') });
  });
});
