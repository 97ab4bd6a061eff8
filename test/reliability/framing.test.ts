import { randomBytes } from 'node:crypto';
import { AccountSASPermissions, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AccountSASPermissions as QueueAccountSASPermissions, QueueServiceClient } from '@azure/storage-queue';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';
import { recordFigure } from './support/figures.js';
import { pool, startService, type Running } from './support/services.js';
import { answerViolation, parseAnswers, sendBytes } from './support/wire.js';

// Requests whose framing lies (Content-Length against the bytes sent,
// chunk sizes, duplicate lengths), written byte by byte on raw sockets.
// A body that does not arrive in full must never be stored in part.

const RUNS = 300;
const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);

type Framing = 'longer-than-sent' | 'shorter-than-sent' | 'bad-chunk-size' | 'two-lengths' | 'length-and-chunked' | 'garbage-line' | 'control-bytes';

interface Lie {
  framing: Framing;
  declared: number;
  body: Buffer;
}

const lies: fc.Arbitrary<Lie> = fc.record({
  framing: fc.constantFrom<Framing>('longer-than-sent', 'shorter-than-sent', 'bad-chunk-size', 'two-lengths', 'length-and-chunked', 'garbage-line', 'control-bytes'),
  declared: fc.integer({ min: 0, max: 100_000 }),
  body: fc.uint8Array({ minLength: 1, maxLength: 2_000 }).map((b) => Buffer.from(b)),
});

function frame(method: string, target: string, lie: Lie, extraHeaders: string): Buffer {
  const head = (headers: string) => Buffer.from(`${method} ${target} HTTP/1.1\r\nHost: localhost\r\nx-ms-version: 2025-11-05\r\n${extraHeaders}${headers}\r\n`, 'latin1');
  const { body } = lie;
  switch (lie.framing) {
    case 'longer-than-sent':
      return Buffer.concat([head(`Content-Length: ${body.length + 1 + lie.declared}\r\n`), body]);
    case 'shorter-than-sent':
      return Buffer.concat([head(`Content-Length: ${Math.floor(body.length / 2)}\r\n`), body]);
    case 'bad-chunk-size':
      return Buffer.concat([head('Transfer-Encoding: chunked\r\n'), Buffer.from(`${(body.length + lie.declared).toString(16)}zz\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    case 'two-lengths':
      return Buffer.concat([head(`Content-Length: ${body.length}\r\nContent-Length: ${lie.declared}\r\n`), body]);
    case 'length-and-chunked':
      return Buffer.concat([head(`Content-Length: ${lie.declared}\r\nTransfer-Encoding: chunked\r\n`), Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    case 'garbage-line':
      return Buffer.concat([Buffer.from(`${method} ${target} HTTP/9.9 ${body.toString('latin1')}\r\n\r\n`, 'latin1')]);
    case 'control-bytes':
      return Buffer.concat([head(`X-Odd: a\u0000b\u0001\r\nContent-Length: ${body.length}\r\n`), body]);
  }
}

describe('lying framing on raw sockets', () => {
  let blob: Running<BlobService>;
  let queue: Running<QueueService>;
  beforeAll(async () => {
    [blob, queue] = await Promise.all([startService((c) => new BlobService(c)), startService((c) => new QueueService(c))]);
  });
  afterAll(async () => {
    await Promise.all([blob?.service.stop(), queue?.service.stop()]);
  });

  it('answers every lie with an Azure-style 4xx or closes the connection, and never stores part of a body', async () => {
    const blobs = new BlobServiceClient(blob.url, credential, { retryOptions: { maxTries: 1 } });
    const container = blobs.getContainerClient('framing');
    await container.create();
    const existing = randomBytes(1_000);
    await container.getBlockBlobClient('existing').uploadData(existing);
    const blobSas = new URL(blobs.generateAccountSasUrl(new Date(Date.now() + 3600_000), AccountSASPermissions.parse('rwdlac'), 'sco')).search;
    const queues = new QueueServiceClient(queue.url, credential, { retryOptions: { maxTries: 1 } });
    const q = queues.getQueueClient('framing');
    await q.create();
    const queueSas = new URL(queues.generateAccountSasUrl(new Date(Date.now() + 3600_000), QueueAccountSASPermissions.parse('rwdlacup'), 'sco')).search;

    const samples = fc.sample(fc.tuple(lies, fc.constantFrom('new', 'existing', 'message')), RUNS);
    const violations: string[] = [];
    let answers = 0;
    await pool(samples, 16, async ([lie, target], i) => {
      const bytes =
        target === 'message'
          ? frame('POST', `/${DEFAULT_ACCOUNT.name}/framing/messages${queueSas}`, lie, '')
          : frame('PUT', `/${DEFAULT_ACCOUNT.name}/framing/${target === 'new' ? `lied-${i}` : 'existing'}${blobSas}`, lie, 'x-ms-blob-type: BlockBlob\r\n');
      const { text, timedOut } = await sendBytes(target === 'message' ? queue.port : blob.port, bytes, { timeoutMs: 5_000 });
      if (timedOut) violations.push(`${lie.framing} to ${target}: no answer and no close (hang)`);
      for (const answer of parseAnswers(text)) {
        answers += 1;
        const problem = answerViolation('PUT', { status: answer.status, headers: answer.headers, body: answer.body });
        if (problem) violations.push(`${lie.framing} to ${target}: ${problem}`);
      }
    });

    const listed: string[] = [];
    for await (const item of container.listBlobsFlat()) listed.push(item.name);
    const stored = await container.getBlockBlobClient('existing').downloadToBuffer();
    recordFigure('lying framing', { requests: RUNS, answers, violations: violations.length });

    expect(violations.slice(0, 10), `${violations.length} violations`).toEqual([]);
    // A blob may exist only with exactly the body its Content-Length framed (a shorter length ends the body
    // early, and the bytes after it are a malformed next request); never with part of it.
    const partial = [];
    for (const name of listed.filter((n) => n.startsWith('lied-'))) {
      const [lie] = samples[Number(name.slice(5))]!;
      const framed = lie.framing === 'shorter-than-sent' ? lie.body.subarray(0, Math.floor(lie.body.length / 2)) : lie.body;
      const data = await container.getBlockBlobClient(name).downloadToBuffer();
      if (!data.equals(framed)) partial.push(`${name} (${lie.framing}) holds ${data.length} bytes, not the ${framed.length} framed`);
    }
    expect(partial).toEqual([]);
    expect(stored.equals(existing) || samples.some(([lie, t]) => t === 'existing' && lie.framing === 'shorter-than-sent' && stored.equals(lie.body.subarray(0, Math.floor(lie.body.length / 2))))).toBe(true);
    expect(blob.logger.errors).toEqual([]);
    expect(queue.logger.errors).toEqual([]);
  }, 60_000);
});
