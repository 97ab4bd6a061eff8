import { randomBytes } from 'node:crypto';
import { BlobServiceClient, RestError, StorageSharedKeyCredential, type ContainerClient } from '@azure/storage-blob';
import { AzureNamedKeyCredential, RestError as TableRestError, TableClient } from '@azure/data-tables';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';
import { TableService } from '../../src/services/table/index.js';
import { recordFigure } from './support/figures.js';
import { sha256 } from './support/sentinels.js';
import { startService, type Running } from './support/services.js';

// 50 SDK clients at once on a few shared blob names and queues, for a
// bounded time; afterwards the invariants below must hold for every write.

const CLIENTS = 50;
const DURATION_MS = 3_000;
const BLOB_NAMES = ['shared-0', 'shared-1', 'shared-2', 'shared-3', 'shared-4'];
const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const noRetry = { retryOptions: { maxTries: 1 } };

let blob: Running<BlobService>;
let queue: Running<QueueService>;
let table: Running<TableService>;
beforeAll(async () => {
  [blob, queue, table] = await Promise.all([startService((c) => new BlobService(c)), startService((c) => new QueueService(c)), startService((c) => new TableService(c))]);
});
afterAll(async () => {
  await Promise.all([blob?.service.stop(), queue?.service.stop(), table?.service.stop()]);
});

function tableClients(name: string): TableClient[] {
  const named = new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
  return Array.from({ length: CLIENTS }, () => new TableClient(table.url, name, named, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } }));
}

/** One client per simulated test process: separate pipelines, separate connections. */
function blobClients(container: string): ContainerClient[] {
  return Array.from({ length: CLIENTS }, () => new BlobServiceClient(blob.url, credential, noRetry).getContainerClient(container));
}

function statusOf(error: unknown): string {
  // The tables SDK leaves `code` empty on some answers; the header always names it.
  if (error instanceof RestError || error instanceof TableRestError) return `${error.statusCode} ${error.response?.headers.get('x-ms-error-code') ?? error.code}`;
  return String(error);
}

/** A payload no other write has: who wrote it, then random bytes. */
function payload(client: number, seq: number): Buffer {
  return Buffer.concat([Buffer.from(`client ${client} write ${seq}\n`), randomBytes(Math.floor(Math.random() * 4_096))]);
}

describe('50 concurrent SDK clients', () => {
  it('on overlapping blob names: every acknowledged write is readable under its ETag, ETags never repeat, committed block lists never mix writers', async () => {
    const containerName = `race-${randomBytes(4).toString('hex')}`;
    const clients = blobClients(containerName);
    await clients[0]!.create();
    const written = new Map<string, Set<string>>(BLOB_NAMES.map((n) => [n, new Set()]));
    const etags: string[] = [];
    const violations: string[] = [];
    const outcomes = new Map<string, number>();
    const note = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
    const deadline = Date.now() + DURATION_MS;

    await Promise.all(
      clients.map(async (container, client) => {
        for (let seq = 0; Date.now() < deadline; seq++) {
          const name = BLOB_NAMES[(client + seq) % BLOB_NAMES.length]!;
          const blockBlob = container.getBlockBlobClient(name);
          const data = payload(client, seq);
          written.get(name)!.add(sha256(data));
          try {
            let etag: string | undefined;
            if (seq % 3 === 0) {
              // Staged upload: three blocks under ids of one fixed length, unique to this writer.
              const parts = [data.subarray(0, data.length / 3), data.subarray(data.length / 3, (2 * data.length) / 3), data.subarray((2 * data.length) / 3)];
              const ids = parts.map((_, i) => Buffer.from(`c${String(client).padStart(3, '0')}-s${String(seq).padStart(6, '0')}-b${i}`).toString('base64'));
              for (const [i, part] of parts.entries()) await blockBlob.stageBlock(ids[i]!, part, part.length);
              etag = (await blockBlob.commitBlockList(ids)).etag;
              note('block list committed');
            } else if (seq % 3 === 1) {
              etag = (await blockBlob.uploadData(data)).etag;
              note('put blob');
            } else {
              etag = (await blockBlob.setMetadata({ writer: String(client), seq: String(seq) })).etag;
              note('set metadata');
            }
            etags.push(etag!);
            const read = await blockBlob.downloadToBuffer(undefined, undefined, { conditions: { ifMatch: etag } }).catch((error: unknown) => error);
            if (read instanceof RestError && read.statusCode === 412) note('overwritten before read back');
            else if (!Buffer.isBuffer(read)) violations.push(`read of ${name} under its ETag failed: ${statusOf(read)}`);
            else if (seq % 3 !== 2 && !read.equals(data)) violations.push(`${name} under ETag ${etag} holds other bytes than the write that got that ETag`);
            else if (!written.get(name)!.has(sha256(read))) violations.push(`${name} holds bytes no writer sent`);
          } catch (error) {
            const status = statusOf(error);
            // A commit by another writer discards this writer's staged blocks (Azure does the same).
            if (status === '400 InvalidBlockList' || status === '404 BlobNotFound') note(status);
            else violations.push(`client ${client} write ${seq} on ${name}: ${status}`);
          }
        }
      }),
    );

    for (const name of BLOB_NAMES) {
      const final = await clients[0]!.getBlockBlobClient(name).downloadToBuffer().catch(() => undefined);
      if (final && !written.get(name)!.has(sha256(final))) violations.push(`final ${name} is no single writer's payload`);
    }
    const writes = [...outcomes].filter(([k]) => !k.startsWith('4') && k !== 'overwritten before read back').reduce((n, [, v]) => n + v, 0);
    recordFigure('blob concurrency', { clients: CLIENTS, ms: DURATION_MS, writes, ...Object.fromEntries(outcomes), violations: violations.length });

    expect(violations.slice(0, 10), `${violations.length} violations`).toEqual([]);
    expect(new Set(etags).size, 'every write gets a new ETag').toBe(etags.length);
    expect(writes).toBeGreaterThan(CLIENTS);
    expect(blob.logger.errors).toEqual([]);
  }, 30_000);

  it('racing If-Match writes: exactly one racer wins each round', async () => {
    const containerName = `ifmatch-${randomBytes(4).toString('hex')}`;
    const clients = blobClients(containerName);
    await clients[0]!.create();
    const rounds = 20;
    for (let round = 0; round < rounds; round++) {
      const name = `contended-${round}`;
      const { etag } = await clients[0]!.getBlockBlobClient(name).uploadData(Buffer.from('initial'));
      const results = await Promise.all(
        clients.map(async (container, client) => {
          const data = payload(client, round);
          try {
            await container.getBlockBlobClient(name).uploadData(data, { conditions: { ifMatch: etag } });
            return { won: true, data };
          } catch (error) {
            return { won: false, status: statusOf(error), data };
          }
        }),
      );
      const winners = results.filter((r) => r.won);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(new Set(results.filter((r) => !r.won).map((r) => r.status))).toEqual(new Set(['412 ConditionNotMet']));
      expect((await clients[0]!.getBlockBlobClient(name).downloadToBuffer()).equals(winners[0]!.data)).toBe(true);
    }
    recordFigure('if-match races', { clients: CLIENTS, rounds, winnersPerRound: 1 });
  }, 30_000);

  it('racing creates with If-None-Match: * let exactly one racer create the blob', async () => {
    const clients = blobClients(`create-${randomBytes(4).toString('hex')}`);
    await clients[0]!.create();
    const results = await Promise.allSettled(clients.map((c, i) => c.getBlockBlobClient('only-once').uploadData(payload(i, 0), { conditions: { ifNoneMatch: '*' } })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(new Set(results.filter((r) => r.status === 'rejected').map((r) => statusOf((r as PromiseRejectedResult).reason)))).toEqual(new Set(['409 BlobAlreadyExists']));
  });

  it('on shared queues: no message is received twice within its visibility window, and every sent message is received exactly once', async () => {
    const names = [0, 1, 2].map((i) => `shared-${i}-${randomBytes(3).toString('hex')}`);
    const queues = (i: number): QueueClient => new QueueServiceClient(queue.url, credential, noRetry).getQueueClient(names[i % names.length]!);
    for (const [i] of names.entries()) await queues(i).create();
    const sent = new Set<string>();
    const received = new Map<string, number>();
    const violations: string[] = [];
    const deadline = Date.now() + DURATION_MS;
    let producing = CLIENTS / 2;

    const producer = async (client: number) => {
      const q = queues(client);
      for (let seq = 0; Date.now() < deadline; seq++) {
        const text = `client ${client} message ${seq} ${randomBytes(4).toString('hex')}`;
        await q.sendMessage(text);
        sent.add(text);
      }
      producing -= 1;
    };
    const consumer = async (client: number) => {
      const q = queues(client);
      for (;;) {
        // A 60 s visibility window outlasts the run: any second delivery is a violation.
        const { receivedMessageItems } = await q.receiveMessages({ numberOfMessages: 1 + (client % 32), visibilityTimeout: 60 });
        for (const message of receivedMessageItems) {
          const seen = received.get(message.messageText) ?? 0;
          if (seen > 0) violations.push(`"${message.messageText}" received again (dequeueCount ${message.dequeueCount})`);
          received.set(message.messageText, seen + 1);
          await q.deleteMessage(message.messageId, message.popReceipt).catch((error: unknown) => violations.push(`delete failed: ${statusOf(error)}`));
        }
        if (receivedMessageItems.length === 0 && producing === 0) return;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => (i % 2 === 0 ? producer(i) : consumer(i))));
    for (const [i] of names.entries()) await consumer(i * 2 + 1);

    const counts = await Promise.all(names.map((_, i) => queues(i).getProperties().then((p) => p.approximateMessagesCount)));
    recordFigure('queue concurrency', { clients: CLIENTS, ms: DURATION_MS, sent: sent.size, received: received.size, violations: violations.length });

    expect(violations.slice(0, 10), `${violations.length} violations`).toEqual([]);
    expect([...sent].filter((text) => !received.has(text)), 'sent but never received').toEqual([]);
    expect(received.size).toBe(sent.size);
    expect(counts).toEqual([0, 0, 0]);
    expect(sent.size).toBeGreaterThan(CLIENTS);
    expect(queue.logger.errors).toEqual([]);
  }, 30_000);

  it('on overlapping entities: every acknowledged upsert is readable under its ETag, ETags never repeat', async () => {
    const name = `race${randomBytes(4).toString('hex')}`;
    const clients = tableClients(name);
    await clients[0]!.createTable();
    const etags: string[] = [];
    const violations: string[] = [];
    let writes = 0;
    const deadline = Date.now() + DURATION_MS;
    await Promise.all(
      clients.map(async (client, id) => {
        for (let seq = 0; Date.now() < deadline; seq++) {
          const rowKey = `row${(id + seq) % BLOB_NAMES.length}`;
          const text = `client ${id} write ${seq} ${randomBytes(6).toString('hex')}`;
          try {
            const { etag } = await client.upsertEntity({ partitionKey: 'p', rowKey, text, writer: id }, seq % 2 === 0 ? 'Replace' : 'Merge');
            writes += 1;
            etags.push(etag!);
            const read = await client.getEntity<{ text: string }>('p', rowKey);
            if (read.etag === etag && read.text !== text) violations.push(`p/${rowKey} under ETag ${etag} holds "${read.text}", not "${text}"`);
          } catch (error) {
            violations.push(`client ${id} write ${seq}: ${statusOf(error)}`);
          }
        }
      }),
    );
    recordFigure('table concurrency', { clients: CLIENTS, ms: DURATION_MS, writes, violations: violations.length });
    expect(violations.slice(0, 10), `${violations.length} violations`).toEqual([]);
    expect(new Set(etags).size, 'every write gets a new ETag').toBe(etags.length);
    expect(table.logger.errors).toEqual([]);
  }, 30_000);

  it('racing If-Match entity updates: exactly one racer wins each round', async () => {
    const name = `ifmatch${randomBytes(4).toString('hex')}`;
    const clients = tableClients(name);
    await clients[0]!.createTable();
    for (let round = 0; round < 10; round++) {
      const { etag } = await clients[0]!.createEntity({ partitionKey: 'p', rowKey: `r${round}`, text: 'initial' });
      const results = await Promise.all(
        clients.map((client, id) =>
          client.updateEntity({ partitionKey: 'p', rowKey: `r${round}`, text: `client ${id}` }, 'Replace', { etag }).then(
            () => ({ won: true, id }),
            (error: unknown) => ({ won: false, id, status: statusOf(error) }),
          ),
        ),
      );
      const winners = results.filter((r) => r.won);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(new Set(results.filter((r) => !r.won).map((r) => (r as { status: string }).status))).toEqual(new Set(['412 UpdateConditionNotSatisfied']));
      expect((await clients[0]!.getEntity<{ text: string }>('p', `r${round}`)).text).toBe(`client ${winners[0]!.id}`);
    }
  }, 30_000);
});
