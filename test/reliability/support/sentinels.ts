import { createHash, randomBytes } from 'node:crypto';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';

const credential = () => new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const noRetry = { retryOptions: { maxTries: 1 } };

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A picture of stored data that must not change: names to checksums. */
export type Checksums = Record<string, string>;

/**
 * Stores blobs of each type (one put whole, one committed from blocks, one
 * appended, with metadata) in a container no fuzzed request can name, and
 * returns their checksums as read back through the SDK.
 */
export async function storeBlobSentinels(url: string): Promise<{ check(): Promise<Checksums>; expected: Checksums }> {
  const client = new BlobServiceClient(url, credential(), noRetry);
  const container = client.getContainerClient(`keep-${randomBytes(6).toString('hex')}`);
  await container.create({ metadata: { owner: 'sentinel' } });
  const whole = randomBytes(50_000);
  await container.getBlockBlobClient('whole.bin').uploadData(whole, { metadata: { kind: 'whole' } });
  const blocks = [randomBytes(3_000), randomBytes(5_000)];
  const staged = container.getBlockBlobClient('blocks/staged.bin');
  const ids = blocks.map((_, i) => Buffer.from(`block-${i}`).toString('base64'));
  for (const [i, block] of blocks.entries()) await staged.stageBlock(ids[i]!, block, block.length);
  await staged.commitBlockList(ids);
  const append = container.getAppendBlobClient('log.txt');
  await append.create();
  for (const line of ['one\n', 'two\n']) await append.appendBlock(line, line.length);

  const check = async (): Promise<Checksums> => {
    const out: Checksums = {};
    out['container metadata'] = JSON.stringify((await container.getProperties()).metadata);
    for await (const item of container.listBlobsFlat({ includeMetadata: true })) {
      const data = await container.getBlobClient(item.name).downloadToBuffer();
      out[item.name] = `${sha256(data)} ${JSON.stringify(item.metadata)}`;
    }
    return out;
  };
  return { check, expected: await check() };
}

/** Queues messages in a queue no fuzzed request can name; the check peeks them (peeking changes nothing). */
export async function storeQueueSentinels(url: string): Promise<{ check(): Promise<Checksums>; expected: Checksums }> {
  const client = new QueueServiceClient(url, credential(), noRetry);
  const queue = client.getQueueClient(`keep-${randomBytes(6).toString('hex')}`);
  await queue.create({ metadata: { owner: 'sentinel' } });
  for (let i = 0; i < 5; i++) await queue.sendMessage(`sentinel message ${i} ${randomBytes(8).toString('hex')}`);
  const check = async (): Promise<Checksums> => {
    const peeked = await queue.peekMessages({ numberOfMessages: 32 });
    const properties = await queue.getProperties();
    return {
      metadata: JSON.stringify(properties.metadata),
      count: String(properties.approximateMessagesCount),
      messages: sha256(JSON.stringify(peeked.peekedMessageItems.map((m) => [m.messageId, m.messageText, m.dequeueCount]))),
    };
  };
  return { check, expected: await check() };
}

/** Entities of every property type in a table no fuzzed request can name; the check lists them back. */
export async function storeTableSentinels(url: string): Promise<{ check(): Promise<Checksums>; expected: Checksums }> {
  const client = new TableClient(url, `keep${randomBytes(6).toString('hex')}`, new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key), {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  await client.createTable();
  for (let i = 0; i < 5; i++) {
    await client.createEntity({
      partitionKey: `p${i % 2}`,
      rowKey: `r${i}`,
      text: randomBytes(20).toString('hex'),
      count: i,
      big: { value: String(2n ** 60n + BigInt(i)), type: 'Int64' },
      when: new Date(Date.UTC(2024, 0, i + 1)),
      bytes: new Uint8Array(randomBytes(16)),
    });
  }
  const check = async (): Promise<Checksums> => {
    const out: Checksums = {};
    for await (const entity of client.listEntities()) {
      const { etag: _etag, timestamp: _timestamp, ...data } = entity as Record<string, unknown>;
      out[`${String(entity.partitionKey)}/${String(entity.rowKey)}`] = sha256(JSON.stringify(data, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : typeof v === 'bigint' ? `${v}n` : v)));
    }
    return out;
  };
  return { check, expected: await check() };
}
