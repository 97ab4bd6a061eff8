import { randomInt } from 'node:crypto';
import { AccountSASPermissions, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AccountSASPermissions as QueueAccountSASPermissions, QueueServiceClient } from '@azure/storage-queue';
import { AzureNamedKeyCredential, generateAccountSas as generateTableAccountSas, TableClient } from '@azure/data-tables';
import fc from 'fast-check';
import type { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';
import { TableService } from '../../src/services/table/index.js';
import { keepAliveAgent, pool, startService, type Running } from './support/services.js';
import { storeBlobSentinels, storeQueueSentinels, storeTableSentinels } from './support/sentinels.js';
import { tableRequests, type TableFuzzTargets } from './support/table-requests.js';
import { blobRequests, queueRequests, type BlobFuzzTargets, type QueueFuzzTargets } from './support/storage-requests.js';
import { answerViolation, send, type RawRequest } from './support/wire.js';
import { recordFigure } from './support/figures.js';

// Thousands of generated hostile requests against running services, over
// raw node:http. Every answer must be a success or Azure's error shape;
// nothing may hang, crash or change data stored before the run.

const BLOB_REQUESTS = 6_000;
const QUEUE_REQUESTS = 3_000;
// The table service answers errors in OData JSON (XML for its XML endpoints, ACL and properties).
const TABLE_REQUESTS = 3_000;
const CONCURRENCY = 24;
const PER_REQUEST_TIMEOUT_MS = 5_000;
const SEED = Number(process.env.LOCALZURE_FUZZ_SEED ?? randomInt(2 ** 31));

const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const noRetry = { retryOptions: { maxTries: 1 } };

const tomorrow = () => new Date(Date.now() + 24 * 3600_000);
const queryOf = (url: string) => new URL(url).search.slice(1);

interface Violation {
  request: string;
  problem: string;
}

function describeRequest(req: RawRequest): string {
  const body = req.body ? ` body(${req.body.length}B)=${JSON.stringify(req.body.toString('latin1').slice(0, 160))}` : '';
  return `${req.method} ${req.target.slice(0, 300)} headers=${JSON.stringify(req.headers).slice(0, 400)}${body}`;
}

/** Sends every request and returns what went wrong, at most `keep` examples. */
async function fire(agent: Agent, port: number, requests: RawRequest[], format: 'xml' | 'json' = 'xml', keep = 10): Promise<{ violations: Violation[]; count: number; statuses: Map<number, number> }> {
  const violations: Violation[] = [];
  const statuses = new Map<number, number>();
  let count = 0;
  const codes = new Map<string, number>();
  await pool(requests, CONCURRENCY, async (req) => {
    const response = await send(agent, port, req, PER_REQUEST_TIMEOUT_MS);
    count += 1;
    if (response.status !== undefined) statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const code = response.headers['x-ms-error-code'];
    if (process.env.LOCALZURE_FUZZ_STATS && typeof code === 'string') codes.set(code, (codes.get(code) ?? 0) + 1);
    const problem = answerViolation(req.method, response, format);
    if (problem && violations.length < keep) violations.push({ request: describeRequest(req), problem });
    else if (problem) violations.push({ request: '', problem });
  });
  if (process.env.LOCALZURE_FUZZ_STATS) console.log(JSON.stringify({ statuses: [...statuses], codes: [...codes].sort((a, b) => b[1] - a[1]) }));
  return { violations, count, statuses };
}

describe(`hostile requests (fast-check seed ${SEED}; rerun with LOCALZURE_FUZZ_SEED=${SEED})`, () => {
  let blob: Running<BlobService>;
  let queue: Running<QueueService>;
  let table: Running<TableService>;
  let agent: Agent;

  beforeAll(async () => {
    [blob, queue, table] = await Promise.all([
      startService((c) => new BlobService(c)),
      startService((c) => new QueueService(c)),
      startService((c) => new TableService(c)),
    ]);
    agent = keepAliveAgent();
  });
  afterAll(async () => {
    agent?.destroy();
    await Promise.all([blob?.service.stop(), queue?.service.stop(), table?.service.stop()]);
  });

  it('answers every hostile blob request with a success or an Azure-style 4xx, and keeps data stored before', async () => {
    const sentinels = await storeBlobSentinels(blob.url);
    const targets = await blobTargets(blob.url);
    const requests = fc.sample(blobRequests(targets), { numRuns: BLOB_REQUESTS, seed: SEED });
    const started = Date.now();
    const result = await fire(agent, blob.port, requests);
    recordFigure('blob hostile requests', { requests: result.count, ms: Date.now() - started, violations: result.violations.length });

    expect(result.violations.slice(0, 10), `${result.violations.length} violations`).toEqual([]);
    expect(blob.logger.errors).toEqual([]);
    expect(result.count).toBe(BLOB_REQUESTS);
    expect(await sentinels.check()).toEqual(sentinels.expected);
  }, 90_000);

  it('answers every hostile queue request with a success or an Azure-style 4xx, and keeps messages stored before', async () => {
    const sentinels = await storeQueueSentinels(queue.url);
    const targets = await queueTargets(queue.url);
    const requests = fc.sample(queueRequests(targets), { numRuns: QUEUE_REQUESTS, seed: SEED });
    const started = Date.now();
    const result = await fire(agent, queue.port, requests);
    recordFigure('queue hostile requests', { requests: result.count, ms: Date.now() - started, violations: result.violations.length });

    expect(result.violations.slice(0, 10), `${result.violations.length} violations`).toEqual([]);
    expect(queue.logger.errors).toEqual([]);
    expect(result.count).toBe(QUEUE_REQUESTS);
    expect(await sentinels.check()).toEqual(sentinels.expected);
  }, 90_000);

  it('answers every hostile table request (JSON entities, OData queries, batches) with a success or an Azure-style 4xx, and keeps entities stored before', async () => {
    const sentinels = await storeTableSentinels(table.url);
    const targets = await tableTargets(table.url, table.port);
    const requests = fc.sample(tableRequests(targets), { numRuns: TABLE_REQUESTS, seed: SEED });
    const started = Date.now();
    const result = await fire(agent, table.port, requests, 'json');
    recordFigure('table hostile requests', { requests: result.count, ms: Date.now() - started, violations: result.violations.length });

    expect(result.violations.slice(0, 10), `${result.violations.length} violations`).toEqual([]);
    expect(table.logger.errors).toEqual([]);
    expect(result.count).toBe(TABLE_REQUESTS);
    expect(await sentinels.check()).toEqual(sentinels.expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 90_000);
});

async function tableTargets(url: string, port: number): Promise<TableFuzzTargets> {
  const named = new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
  const tables = ['fuzztablea', 'fuzztableb'];
  for (const name of tables) {
    const client = new TableClient(url, name, named, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await client.createTable();
    await client.createEntity({ partitionKey: 'p', rowKey: 'r', Name: 'existing', Age: 30 });
  }
  const sas = generateTableAccountSas(named, { expiresOn: tomorrow(), resourceTypes: 'sco', permissions: { query: true, write: true, delete: true, list: true, add: true, update: true } }).replace(/^\?/, '');
  return { account: DEFAULT_ACCOUNT.name, sas, tables, port };
}

async function blobTargets(url: string): Promise<BlobFuzzTargets> {
  const client = new BlobServiceClient(url, credential, noRetry);
  const containers = ['fuzz-a', 'fuzz-b'];
  const blockIds = ['blk-0001', 'blk-0002', 'blk-0003', 'blk-0004'].map((id) => Buffer.from(id).toString('base64'));
  for (const name of containers) {
    const container = client.getContainerClient(name);
    await container.create();
    const block = container.getBlockBlobClient('block.txt');
    await block.stageBlock(blockIds[0]!, 'first', 5);
    await block.stageBlock(blockIds[1]!, 'second', 6);
    await block.commitBlockList([blockIds[0]!, blockIds[1]!]);
    await block.stageBlock(blockIds[2]!, 'staged', 6);
    await container.getAppendBlobClient('append.log').create();
    await container.getPageBlobClient('page.bin').create(4096);
  }
  return { account: DEFAULT_ACCOUNT.name, sas: queryOf(client.generateAccountSasUrl(tomorrow(), AccountSASPermissions.parse('rwdlacuptf'), 'sco')), containers, blockBlob: 'block.txt', appendBlob: 'append.log', pageBlob: 'page.bin', blockIds };
}

async function queueTargets(url: string): Promise<QueueFuzzTargets> {
  const client = new QueueServiceClient(url, credential, noRetry);
  const queues = ['fuzzq-a', 'fuzzq-b'];
  const messageIds: string[] = [];
  for (const name of queues) {
    const queue = client.getQueueClient(name);
    await queue.create();
    for (let i = 0; i < 10; i++) messageIds.push((await queue.sendMessage(`message ${i}`)).messageId);
  }
  return { account: DEFAULT_ACCOUNT.name, sas: queryOf(client.generateAccountSasUrl(tomorrow(), QueueAccountSASPermissions.parse('rwdlacup'), 'sco')), queues, messageIds };
}
