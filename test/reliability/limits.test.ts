import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { AccountSASPermissions, BlobServiceClient, RestError, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { withLocalZure } from '../../src/index.js';
import type { ServiceLimits } from '../../src/core/service.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';
import type { StorageService } from '../../src/services/storage-common/storage-service.js';
import { TableService } from '../../src/services/table/index.js';
import { errorOf } from '../integration/table/support.js';
import { recordingLogger, startService, type Running } from './support/services.js';
import { parseAnswers, sendBytes } from './support/wire.js';

const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const noRetry = { retryOptions: { maxTries: 1 } };
const running: Array<Running<StorageService>> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.service.stop();
});

async function blobService(limits: ServiceLimits): Promise<Running<BlobService> & { client: BlobServiceClient }> {
  const started = await startService((c) => new BlobService(c), { limits });
  running.push(started);
  return { ...started, client: new BlobServiceClient(started.url, credential, noRetry) };
}

async function failure(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RestError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function cappedTable(maxStoredBytes: number, name: string): Promise<Running<TableService> & { table: TableClient }> {
  const started = await startService((c) => new TableService(c), { limits: { maxStoredBytes } });
  running.push(started);
  const tableCredential = new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
  const table = new TableClient(started.url, name, tableCredential, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
  await table.createTable();
  return { ...started, table };
}

async function rowKeysOf(table: TableClient): Promise<string[]> {
  const keys: string[] = [];
  for await (const entity of table.listEntities()) keys.push(entity.rowKey!);
  return keys;
}

function sasTarget(client: BlobServiceClient, path: string): string {
  const sas = new URL(client.generateAccountSasUrl(new Date(Date.now() + 3600_000), AccountSASPermissions.parse('rwdlac'), 'sco')).search.slice(1);
  return `/${DEFAULT_ACCOUNT.name}/${path}?${sas}`;
}

describe('limits.maxStoredBytes', () => {
  it('refuses a blob upload past the cap with 507 InsufficientStorage naming the option', async () => {
    const { client } = await blobService({ maxStoredBytes: 1_000_000 });
    const container = client.getContainerClient('capped');
    await container.create();
    await container.getBlockBlobClient('first').uploadData(randomBytes(600_000));
    const error = await failure(container.getBlockBlobClient('second').uploadData(randomBytes(600_000)));
    expect(error.statusCode).toBe(507);
    expect(error.code).toBe('InsufficientStorage');
    expect(error.message).toContain('limits.maxStoredBytes');
    expect(await container.getBlockBlobClient('second').exists()).toBe(false);
  });

  it('accepts writes again once data is deleted', async () => {
    const { client } = await blobService({ maxStoredBytes: 1_000_000 });
    const container = client.getContainerClient('freed');
    await container.create();
    await container.getBlockBlobClient('first').uploadData(randomBytes(600_000));
    await container.getBlockBlobClient('first').delete();
    await expect(container.getBlockBlobClient('second').uploadData(randomBytes(600_000))).resolves.toBeDefined();
  });

  it('counts staged blocks, so blocks cannot pile up past the cap', async () => {
    const { client } = await blobService({ maxStoredBytes: 500_000 });
    const container = client.getContainerClient('staged');
    await container.create();
    const blob = container.getBlockBlobClient('big');
    await blob.stageBlock(Buffer.from('a').toString('base64'), randomBytes(300_000), 300_000);
    const error = await failure(blob.stageBlock(Buffer.from('b').toString('base64'), randomBytes(300_000), 300_000));
    expect(error.statusCode).toBe(507);
  });

  it('refuses a chunked upload as it streams past the cap, without waiting for its end', async () => {
    const { port, client } = await blobService({ maxStoredBytes: 1_000_000 });
    await client.getContainerClient('streamed').create();
    const status = await new Promise<{ status?: number; code?: unknown; sentWhenAnswered: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: sasTarget(client, 'streamed/endless'),
        headers: { 'x-ms-blob-type': 'BlockBlob', 'transfer-encoding': 'chunked', 'x-ms-version': '2025-11-05' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode, code: res.headers['x-ms-error-code'], sentWhenAnswered: sent });
        req.destroy();
      });
      req.on('error', reject);
      const pump = () => {
        // 64 MiB would be sent if nobody stopped us; the answer must come long before.
        while (sent < 64 * 1024 * 1024 && !req.destroyed) {
          sent += 64 * 1024;
          if (!req.write(randomBytes(64 * 1024))) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status.status).toBe(507);
    expect(status.code).toBe('InsufficientStorage');
    expect(status.sentWhenAnswered).toBeLessThan(64 * 1024 * 1024);
    expect(await client.getContainerClient('streamed').getBlobClient('endless').exists()).toBe(false);
  });

  it('reaches the built-in services from withLocalZure({ limits })', async () => {
    const lz = withLocalZure(['blob'], { limits: { maxStoredBytes: 100_000 }, logger: recordingLogger() });
    const env = await lz.setup();
    try {
      const container = BlobServiceClient.fromConnectionString(env.connectionString, noRetry).getContainerClient('through-harness');
      await container.create();
      expect((await failure(container.getBlockBlobClient('big').uploadData(randomBytes(150_000)))).statusCode).toBe(507);
    } finally {
      await lz.teardown();
    }
  });

  it('refuses queue messages past the cap', async () => {
    const queue = await startService((c) => new QueueService(c), { limits: { maxStoredBytes: 100_000 } });
    running.push(queue);
    const client = new QueueServiceClient(queue.url, credential, noRetry).getQueueClient('capped');
    await client.create();
    for (let i = 0; i < 3; i++) await client.sendMessage('m'.repeat(30_000));
    const error = await failure(client.sendMessage('m'.repeat(30_000)));
    expect(error.statusCode).toBe(507);
    expect(error.code).toBe('InsufficientStorage');
    expect((await client.getProperties()).approximateMessagesCount).toBe(3);
  });

  // Entities count at their Azure size: 2 bytes a character, so 'x'.repeat(20_000) holds about 40 KB.
  it('refuses a table entity past the cap with 507 InsufficientStorage naming the option, and stores none of it', async () => {
    const { table } = await cappedTable(100_000, 'cappedentities');
    await table.createEntity({ partitionKey: 'p', rowKey: 'first', s: 'x'.repeat(20_000) });
    await table.createEntity({ partitionKey: 'p', rowKey: 'second', s: 'x'.repeat(20_000) });
    const error = await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'third', s: 'x'.repeat(20_000) }));
    expect(error).toMatchObject({ statusCode: 507, code: 'InsufficientStorage' });
    expect(error.message).toContain('limits.maxStoredBytes');
    expect(await rowKeysOf(table)).toEqual(['first', 'second']);
  });

  it('undoes a table update whose stored entity would grow past the cap, though its body fitted', async () => {
    const { table } = await cappedTable(100_000, 'cappedupdates');
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', s: 'x'.repeat(30_000) });
    const before = await table.getEntity('p', 'r');
    // A 25 KB body fits in the 40 KB left, but its 50 KB of UTF-16 text does not.
    const error = await errorOf(table.updateEntity({ partitionKey: 'p', rowKey: 'r', t: 'y'.repeat(25_000) }, 'Merge'));
    expect(error).toMatchObject({ statusCode: 507, code: 'InsufficientStorage' });
    const after = await table.getEntity<{ t?: string }>('p', 'r');
    expect(after.t).toBeUndefined();
    expect(after.etag).toBe(before.etag);
  });

  it('applies none of a table batch that would go past the cap', async () => {
    const { table } = await cappedTable(100_000, 'cappedbatch');
    await table.createEntity({ partitionKey: 'p', rowKey: 'kept', s: 'x'.repeat(30_000) });
    const actions = ['b1', 'b2', 'b3'].map((rowKey) => ['create', { partitionKey: 'p', rowKey, s: 'x'.repeat(10_000) }] as ['create', { partitionKey: string; rowKey: string; s: string }]);
    const error = await errorOf(table.submitTransaction(actions));
    expect(error).toMatchObject({ statusCode: 507, code: 'InsufficientStorage' });
    expect(error.message).toContain('limits.maxStoredBytes');
    expect(await rowKeysOf(table)).toEqual(['kept']);
  });

  it('refuses a table batch body larger than the room left while it streams in', async () => {
    const { table } = await cappedTable(50_000, 'cappedbatchbody');
    const actions = ['b1', 'b2', 'b3'].map((rowKey) => ['create', { partitionKey: 'p', rowKey, s: 'x'.repeat(20_000) }] as ['create', { partitionKey: string; rowKey: string; s: string }]);
    expect(await errorOf(table.submitTransaction(actions))).toMatchObject({ statusCode: 507, code: 'InsufficientStorage' });
    expect(await rowKeysOf(table)).toEqual([]);
  });

  it('keeps accepting table writes that fit under the cap after one was refused', async () => {
    const { table } = await cappedTable(100_000, 'cappedsmall');
    await table.createEntity({ partitionKey: 'p', rowKey: 'big', s: 'x'.repeat(30_000) });
    expect((await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'too-big', s: 'x'.repeat(30_000) }))).statusCode).toBe(507);
    await table.createEntity({ partitionKey: 'p', rowKey: 'small', s: 'x'.repeat(1_000) });
    // A replace counts the new size instead of the old one, not on top of it.
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'big', s: 'x'.repeat(20_000) }, 'Replace');
    expect(await rowKeysOf(table)).toEqual(['big', 'small']);
  });

  it('frees the space of table entities on reset', async () => {
    const { service, table } = await cappedTable(100_000, 'cappedreset');
    await table.createEntity({ partitionKey: 'p', rowKey: 'first', s: 'x'.repeat(30_000) });
    expect((await errorOf(table.createEntity({ partitionKey: 'p', rowKey: 'second', s: 'x'.repeat(30_000) }))).statusCode).toBe(507);
    await service.reset();
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'second', s: 'x'.repeat(30_000) });
    expect(await rowKeysOf(table)).toEqual(['second']);
  });
});

describe('slow, idle and oversized requests', () => {
  it('closes an idle keep-alive connection after limits.keepAliveTimeoutMs', async () => {
    const { port } = await blobService({ keepAliveTimeoutMs: 200 });
    const socket = await openSocket(port);
    socket.write(`GET /${DEFAULT_ACCOUNT.name}?comp=list HTTP/1.1\r\nHost: x\r\n\r\n`);
    const closedAfter = await timeUntilClosed(socket, 3_000);
    expect(closedAfter).toBeLessThan(2_000);
  });

  it('answers 408 and closes a connection whose headers dribble in past limits.headersTimeoutMs', async () => {
    const { port } = await blobService({ headersTimeoutMs: 300 });
    const started = Date.now();
    const { text, closed } = await sendBytes(port, Buffer.from(`PUT /${DEFAULT_ACCOUNT.name}/c?restype=container HTTP/1.1\r\nHost: x\r\n`), { halfClose: false, timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(4_000);
    const [answer] = parseAnswers(text);
    expect(answer?.status).toBe(408);
    expect(answer?.headers['x-ms-error-code']).toBe('RequestTimeout');
    expect(closed || answer !== undefined).toBe(true);
  });

  it('answers 408 to a body that stops arriving past limits.requestTimeoutMs, and stores nothing', async () => {
    const { port, client } = await blobService({ requestTimeoutMs: 600 });
    await client.getContainerClient('slow').create();
    const head = `PUT ${sasTarget(client, 'slow/half')} HTTP/1.1\r\nHost: x\r\nx-ms-blob-type: BlockBlob\r\nContent-Length: 1000\r\n\r\n`;
    const started = Date.now();
    const { text } = await sendBytes(port, Buffer.concat([Buffer.from(head), randomBytes(10)]), { halfClose: false, timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(parseAnswers(text)[0]?.status).toBe(408);
    expect(await client.getContainerClient('slow').getBlobClient('half').exists()).toBe(false);
  });

  it('refuses headers larger than limits.maxHeaderSize with 431 and an error code', async () => {
    const { port } = await blobService({});
    const big = `GET /${DEFAULT_ACCOUNT.name}?comp=list HTTP/1.1\r\nHost: x\r\nx-ms-meta-big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const [answer] = parseAnswers((await sendBytes(port, Buffer.from(big))).text);
    expect(answer?.status).toBe(431);
    expect(answer?.headers['x-ms-error-code']).toBe('RequestHeaderFieldsTooLarge');
  });

  it('reads headers up to a raised limits.maxHeaderSize', async () => {
    const { port } = await blobService({ maxHeaderSize: 64 * 1024 });
    const big = `GET /${DEFAULT_ACCOUNT.name}?comp=list HTTP/1.1\r\nHost: x\r\nx-ms-meta-big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const [answer] = parseAnswers((await sendBytes(port, Buffer.from(big))).text);
    // Past the parser: the request is judged on its (missing) credentials.
    expect(answer?.headers['x-ms-error-code']).toBe('NoAuthenticationInformation');
  });
});

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function timeUntilClosed(socket: Socket, timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    socket.resume();
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Infinity);
    }, timeoutMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}
