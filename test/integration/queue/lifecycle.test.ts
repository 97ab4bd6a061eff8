import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueServiceClient, StorageSharedKeyCredential } from '@azure/storage-queue';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, NamespaceRegistry, type Namespace } from '../../../src/core/namespaces.js';
import type { ServiceContext } from '../../../src/core/service.js';
import { QueueService } from '../../../src/services/queue/index.js';
import { QueueSeedError } from '../../../src/services/queue/seed.js';
import { noRetry } from './support.js';

const OTHER: Namespace = { name: 'otheraccount', key: Buffer.alloc(64, 3).toString('base64') };
const running: QueueService[] = [];

async function started(context: Partial<ServiceContext> = {}): Promise<QueueService> {
  const service = new QueueService(context);
  running.push(service);
  await service.start();
  return service;
}

function clientFor(service: QueueService, account: Namespace = DEFAULT_ACCOUNT): QueueServiceClient {
  return new QueueServiceClient(service.getEndpoint(account)!.url, new StorageSharedKeyCredential(account.name, account.key), noRetry);
}

async function texts(client: QueueServiceClient, queue: string): Promise<string[]> {
  return (await client.getQueueClient(queue).peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => m.messageText);
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

describe('QueueService lifecycle', () => {
  it('describes itself as "queue" with no dependencies and its bound port', async () => {
    const service = await started();
    const metadata = service.getMetadata();
    expect(metadata).toMatchObject({ name: 'queue', dependencies: [], enabled: true });
    expect(service.getEndpoint(DEFAULT_ACCOUNT)).toEqual({ url: `http://127.0.0.1:${metadata.port}/devstoreaccount1`, connectionStringKey: 'QueueEndpoint' });
  });

  it('has no endpoint until started', () => {
    expect(new QueueService().getEndpoint(DEFAULT_ACCOUNT)).toBeUndefined();
  });

  it('works through QueueServiceClient.fromConnectionString', async () => {
    const service = await started();
    const { url } = service.getEndpoint(DEFAULT_ACCOUNT)!;
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEFAULT_ACCOUNT.name};AccountKey=${DEFAULT_ACCOUNT.key};QueueEndpoint=${url};`;
    const queue = QueueServiceClient.fromConnectionString(connectionString, noRetry).getQueueClient('from-connection-string');
    await queue.create();
    await queue.sendMessage('hi');
    expect((await queue.receiveMessages()).receivedMessageItems[0]!.messageText).toBe('hi');
  });

  it('reset(account) empties only that account', async () => {
    const namespaces = new NamespaceRegistry([DEFAULT_ACCOUNT, OTHER]);
    const service = await started({ namespaces });
    await clientFor(service).getQueueClient('kept-elsewhere').create();
    await clientFor(service, OTHER).getQueueClient('wiped').create();
    await service.reset(OTHER.name);
    expect(await clientFor(service, OTHER).getQueueClient('wiped').exists()).toBe(false);
    expect(await clientFor(service).getQueueClient('kept-elsewhere').exists()).toBe(true);
  });

  it('reset() empties every account', async () => {
    const namespaces = new NamespaceRegistry([DEFAULT_ACCOUNT, OTHER]);
    const service = await started({ namespaces });
    await clientFor(service).getQueueClient('one').create();
    await clientFor(service, OTHER).getQueueClient('two').create();
    await service.reset();
    expect(await clientFor(service).getQueueClient('one').exists()).toBe(false);
    expect(await clientFor(service, OTHER).getQueueClient('two').exists()).toBe(false);
  });

  it('accounts are separate: the same queue name holds different messages', async () => {
    const service = await started({ namespaces: new NamespaceRegistry([DEFAULT_ACCOUNT, OTHER]) });
    for (const [account, text] of [[DEFAULT_ACCOUNT, 'default'], [OTHER, 'other']] as const) {
      const queue = clientFor(service, account).getQueueClient('shared-name');
      await queue.create();
      await queue.sendMessage(text);
    }
    expect(await texts(clientFor(service, OTHER), 'shared-name')).toEqual(['other']);
  });

  it('an account added at run time is served at once', async () => {
    const namespaces = new NamespaceRegistry();
    const service = await started({ namespaces });
    namespaces.add(OTHER);
    await clientFor(service, OTHER).getQueueClient('late').create();
    expect(await clientFor(service, OTHER).getQueueClient('late').exists()).toBe(true);
  });
});

describe('QueueService seed', () => {
  async function seedDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'lz-queue-seed-'));
    await mkdir(join(dir, 'queue'));
    return dir;
  }

  it('loads <dir>/queue/<queue>.json into the default account, in order', async () => {
    const dir = await seedDir();
    await writeFile(join(dir, 'queue', 'orders.json'), JSON.stringify(['first', 'second']));
    const service = await started({ seed: { dir } });
    await service.seed();
    expect(await texts(clientFor(service), 'orders')).toEqual(['first', 'second']);
  });

  it('loads inline seed data into the named account', async () => {
    const service = await started({ namespaces: new NamespaceRegistry([DEFAULT_ACCOUNT, OTHER]), seed: { data: { queue: { jobs: ['a', 'b'] } } } });
    await service.seed(OTHER.name);
    expect(await texts(clientFor(service, OTHER), 'jobs')).toEqual(['a', 'b']);
    expect(await clientFor(service).getQueueClient('jobs').exists()).toBe(false);
  });

  it('after a reset, seeding restores the fixtures and nothing else', async () => {
    const service = await started({ seed: { data: { queue: { jobs: ['fixture'] } } } });
    await service.seed();
    await clientFor(service).getQueueClient('jobs').sendMessage('added by a test');
    await service.reset();
    await service.seed();
    expect(await texts(clientFor(service), 'jobs')).toEqual(['fixture']);
  });

  it('seeded messages survive moving the clock', async () => {
    const { AdjustableClock } = await import('../../../src/core/clock.js');
    const clock = new AdjustableClock();
    const service = await started({ clock, seed: { data: { queue: { jobs: ['durable'] } } } });
    await service.seed();
    clock.advance(30 * 24 * 3600 * 1000);
    expect(await texts(clientFor(service), 'jobs')).toEqual(['durable']);
  });

  it('refuses a seed file that links outside the seed folder', async () => {
    const dir = await seedDir();
    const outside = join(await mkdtemp(join(tmpdir(), 'lz-outside-')), 'secret.json');
    await writeFile(outside, JSON.stringify(['leaked']));
    await symlink(outside, join(dir, 'queue', 'escape.json'));
    const service = await started({ seed: { dir } });
    await expect(service.seed()).rejects.toBeInstanceOf(QueueSeedError);
  });

  it('refuses a seed file that is a link looping back on itself', async () => {
    const dir = await seedDir();
    await symlink(join(dir, 'queue', 'loop.json'), join(dir, 'queue', 'loop.json'));
    const service = await started({ seed: { dir } });
    await expect(service.seed()).rejects.toMatchObject({ name: 'QueueSeedError', code: 'LZ_INVALID_SEED', message: expect.stringMatching(/loops back on itself/) });
  });

  it.each([
    ['a bad queue name', { Bad_Name: ['x'] }],
    ['messages that are not an array of strings', { jobs: [1, 2] }],
    ['a message over 64 KiB', { jobs: ['x'.repeat(64 * 1024 + 1)] }],
  ])('refuses %s with LZ_INVALID_SEED and loads nothing', async (_, queue) => {
    const service = await started({ seed: { data: { queue: { fine: ['ok'], ...queue } } } });
    await expect(service.seed()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED' });
    expect(await clientFor(service).getQueueClient('fine').exists()).toBe(false);
  });
});
