import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { QueueServiceClient, StorageSharedKeyCredential as QueueKeyCredential } from '@azure/storage-queue';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalZureRuntime } from '../../src/runtime/runtime.js';
import { LocalZureService } from '../../src/core/service.js';
import type { Namespace } from '../../src/core/namespaces.js';
import { startStorageRuntime } from './support/runtime.js';
import { recordingLogger } from './support/services.js';

// Resets race with each other whenever tests of one file run concurrently
// (describe.concurrent): however they interleave, an account must end up
// holding its seed exactly once, and a full reset must give every account
// its seed back.

const WORKER: Namespace = { name: 'seedworker1', key: Buffer.alloc(64, 7).toString('base64') };
const SEED_MESSAGES = ['first', 'second'];

function seedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lz-reset-seed-'));
  mkdirSync(join(dir, 'blob', 'docs'), { recursive: true });
  writeFileSync(join(dir, 'blob', 'docs', 'readme.txt'), 'seeded');
  mkdirSync(join(dir, 'queue'));
  writeFileSync(join(dir, 'queue', 'jobs.json'), JSON.stringify(SEED_MESSAGES));
  mkdirSync(join(dir, 'table'));
  writeFileSync(join(dir, 'table', 'people.json'), JSON.stringify([{ partitionKey: 'p', rowKey: '1', name: 'Ada' }]));
  return dir;
}

describe('resets and the seed', () => {
  let dir: string;
  let runtime: LocalZureRuntime;
  const logger = recordingLogger();

  const control = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${runtime.controlUrl}/_localzure/${path}`, { method: 'POST', ...init });
    return { status: response.status, json: (await response.json()) as any };
  };
  const endpoint = (service: string, account: Namespace) => runtime.endpoints(account)[service]!.url;
  const queueTexts = async (account: Namespace) => {
    const client = new QueueServiceClient(endpoint('queue', account), new QueueKeyCredential(account.name, account.key)).getQueueClient('jobs');
    const { peekedMessageItems } = await client.peekMessages({ numberOfMessages: 32 });
    return peekedMessageItems.map((m) => m.messageText);
  };
  const blobText = async (account: Namespace) => {
    const client = new BlobServiceClient(endpoint('blob', account), new StorageSharedKeyCredential(account.name, account.key));
    return (await client.getContainerClient('docs').getBlobClient('readme.txt').downloadToBuffer()).toString();
  };
  const tableNames = async (account: Namespace) => {
    const client = new TableClient(endpoint('table', account), 'people', new AzureNamedKeyCredential(account.name, account.key), { allowInsecureConnection: true });
    const names: unknown[] = [];
    for await (const entity of client.listEntities()) names.push(entity.name);
    return names;
  };

  beforeAll(async () => {
    dir = seedFolder();
    runtime = await startStorageRuntime(['blob', 'queue', 'table'], { seed: { dir }, logger });
    expect((await control('namespaces', { body: JSON.stringify(WORKER) })).status).toBe(200);
  });
  afterAll(async () => {
    await runtime.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('five parallel resets of one account leave the seed queue with its seed messages once', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => control(`reset?namespace=${WORKER.name}`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await queueTexts(WORKER)).toEqual(SEED_MESSAGES);
  });

  it('a full reset racing an account reset leaves that account seeded once', async () => {
    const answers = await Promise.all([control('reset'), control(`reset?namespace=${WORKER.name}`), control('reset'), control(`reset/queue?namespace=${WORKER.name}`)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(await queueTexts(WORKER)).toEqual(SEED_MESSAGES);
    expect(await queueTexts(runtime.account)).toEqual(SEED_MESSAGES);
  });

  it('applying the seed twice to an account leaves the seed queue as one application does', async () => {
    await runtime.manager.resetAll(WORKER.name);
    await runtime.manager.seedAll(WORKER.name);
    expect(await queueTexts(WORKER)).toEqual(SEED_MESSAGES);
  });

  it('a full reset gives the seed back to every account, not only the first', async () => {
    expect((await control('reset')).status).toBe(200);
    for (const account of [runtime.account, WORKER]) {
      expect(await blobText(account)).toBe('seeded');
      expect(await queueTexts(account)).toEqual(SEED_MESSAGES);
      expect(await tableNames(account)).toEqual(['Ada']);
    }
  });

  it('a write over a seeded blob in one account leaves the seed of another account as it was', async () => {
    await runtime.manager.resetAll(WORKER.name);
    const client = new BlobServiceClient(endpoint('blob', WORKER), new StorageSharedKeyCredential(WORKER.name, WORKER.key));
    await client.getContainerClient('docs').getBlockBlobClient('readme.txt').upload('changed', 7);
    expect(await blobText(WORKER)).toBe('changed');
    expect(await blobText(runtime.account)).toBe('seeded');
    expect((await control(`reset?namespace=${WORKER.name}`)).status).toBe(200);
    expect(await blobText(WORKER)).toBe('seeded');
  });

  it('logged no errors', () => {
    expect(logger.errors).toEqual([]);
  });
});

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A service whose seeding of one account waits until the test lets it finish. */
class GatedSeedService extends LocalZureService {
  readonly entered = signal();
  readonly gate = signal();
  seeded = false;

  getMetadata() {
    return { name: 'gated', version: '1.0.0', description: 'seeds slowly', dependencies: [], enabled: true };
  }
  protected override async onStart() {}
  protected override async onStop() {}
  override async seed(namespace?: string) {
    if (namespace === undefined) return;
    this.entered.resolve();
    await this.gate.promise;
    this.seeded = true;
  }
}

describe("an account's creation", () => {
  it('a second creation of an account still being seeded answers only once the seed is in', async () => {
    const runtime = new LocalZureRuntime({ logger: recordingLogger() });
    const service = new GatedSeedService(runtime.manager.context);
    runtime.manager.registerService(service);
    await runtime.start(['gated']);
    try {
      const create = () => fetch(`${runtime.controlUrl}/_localzure/namespaces`, { method: 'POST', body: JSON.stringify({ name: 'slowseeded' }) });
      const first = create();
      await service.entered.promise;
      const second = create().then((response) => ({ status: response.status, seededWhenAnswered: service.seeded }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      service.gate.resolve();
      expect((await first).status).toBe(200);
      expect(await second).toEqual({ status: 200, seededWhenAnswered: true });
    } finally {
      await runtime.stop();
    }
  });
});

describe('the seed is read once', () => {
  it('a reset restores the seed as it was read at start, not as the folder holds it since', async () => {
    const dir = seedFolder();
    const runtime = await startStorageRuntime(['blob'], { seed: { dir }, logger: recordingLogger() });
    try {
      writeFileSync(join(dir, 'blob', 'docs', 'readme.txt'), 'edited on disk');
      await runtime.manager.resetAll();
      const client = new BlobServiceClient(runtime.endpoints().blob!.url, new StorageSharedKeyCredential(runtime.account.name, runtime.account.key));
      expect((await client.getContainerClient('docs').getBlobClient('readme.txt').downloadToBuffer()).toString()).toBe('seeded');
    } finally {
      await runtime.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
