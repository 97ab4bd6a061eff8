import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AccountSASPermissions,
  AnonymousCredential,
  BlobSASPermissions,
  ContainerSASPermissions,
  BlobServiceClient,
  ContainerClient,
  RestError,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { AnonymousCredential as QueueAnonymousCredential, QueueSASPermissions, QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { ControlClient, LocalZureRuntime, resetLocalZure, withLocalZure, type LocalZureHarness } from '../../src/index.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';
import { keepAliveAgent, recordingLogger, startService, type Running } from './support/services.js';
import { send } from './support/wire.js';

const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const noRetry = { retryOptions: { maxTries: 1 } };
const PLUGIN_PROJECT = fileURLToPath(new URL('../harness/fixtures/plugins/', import.meta.url));
const inOneHour = () => new Date(Date.now() + 3600_000);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'succeeded';
  } catch (error) {
    if (error instanceof RestError) return `${error.statusCode} ${error.code}`;
    throw error;
  }
}

describe('the control API', () => {
  const stoppers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const stop of stoppers.splice(0)) await stop();
  });

  async function runtime(options: ConstructorParameters<typeof LocalZureRuntime>[0]): Promise<LocalZureRuntime> {
    const started = new LocalZureRuntime({ cwd: PLUGIN_PROJECT, logger: recordingLogger(), ...options });
    stoppers.push(() => started.stop());
    await started.start(['kv']);
    return started;
  }

  it('listens on 127.0.0.1 without a token by default, even when the services listen on every interface', async () => {
    const rt = await runtime({ host: '0.0.0.0' });
    expect(new URL(rt.controlUrl).hostname).toBe('127.0.0.1');
    expect(rt.controlToken).toBeUndefined();
    expect((await fetch(`${rt.controlUrl}/_localzure/health`)).status).toBe(200);
  });

  it('bound beyond loopback, it generates a token and refuses every request without it', async () => {
    const rt = await runtime({ controlHost: '0.0.0.0' });
    expect(rt.controlToken).toMatch(/^[\w-]{40,}$/);
    const url = `http://127.0.0.1:${new URL(rt.controlUrl).port}/_localzure`;
    const anonymous = await fetch(`${url}/reset`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('Unauthorized');
    expect((await fetch(`${url}/health`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/health`, { headers: { authorization: `Bearer ${rt.controlToken}` } })).status).toBe(200);
  });

  it('enforces a token it is given on loopback too, and the ControlClient sends it', async () => {
    const rt = await runtime({ controlToken: 'a-token-of-my-own' });
    expect((await fetch(`${rt.controlUrl}/_localzure/health`)).status).toBe(401);
    await expect(new ControlClient(rt.controlUrl, 'a-token-of-my-own').reset(DEFAULT_ACCOUNT.name)).resolves.toEqual(['kv']);
    await expect(new ControlClient(rt.controlUrl, 'not-it').reset(DEFAULT_ACCOUNT.name)).rejects.toThrow(/401/);
  });

  it('hands the token to workers through the environment, so resetLocalZure works from a worker', async () => {
    const lz: LocalZureHarness = withLocalZure(['kv'], { cwd: PLUGIN_PROJECT, controlHost: '0.0.0.0', logger: recordingLogger() });
    stoppers.push(() => lz.teardown());
    const env = await lz.setup();
    expect(env.env.LOCALZURE_CONTROL_TOKEN).toBe(lz.runtime.controlToken);
    expect(process.env.LOCALZURE_CONTROL_TOKEN).toBe(lz.runtime.controlToken);
    await expect(resetLocalZure()).resolves.toEqual(['kv']);
    expect((await fetch(`${env.controlUrl}/_localzure/reset`, { method: 'POST' })).status).toBe(401);
  });

  it('keeps __proto__ and constructor keys of JSON bodies as data, polluting nothing', async () => {
    const rt = await runtime({});
    const before = rt.clock.now();
    const clock = await fetch(`${rt.controlUrl}/_localzure/clock`, { method: 'POST', body: '{"__proto__": {"advanceMs": 86400000}, "constructor": {"prototype": {"advanceMs": 1}}}' });
    expect(clock.status).toBe(400);
    expect(rt.clock.now() - before).toBeLessThan(60_000);
    const added = await fetch(`${rt.controlUrl}/_localzure/namespaces`, { method: 'POST', body: '{"name": "protoacct1", "__proto__": {"polluted": "yes", "name": "hijacked"}}' });
    expect(((await added.json()) as { name: string }).name).toBe('protoacct1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('advanceMs');
  });
});

describe('anonymous requests', () => {
  let blob: Running<BlobService>;
  let queue: Running<QueueService>;
  let publicContainer: ContainerClient;
  beforeAll(async () => {
    [blob, queue] = await Promise.all([startService((c) => new BlobService(c)), startService((c) => new QueueService(c))]);
    publicContainer = new BlobServiceClient(blob.url, credential, noRetry).getContainerClient('wide-open');
    await publicContainer.create({ access: 'container', metadata: { kept: 'yes' } });
    await publicContainer.getBlockBlobClient('page.txt').uploadData(Buffer.from('original'));
    await new QueueServiceClient(queue.url, credential, noRetry).getQueueClient('private').create();
    await new QueueServiceClient(queue.url, credential, noRetry).getQueueClient('private').sendMessage('kept');
  });
  afterAll(async () => {
    await Promise.all([blob?.service.stop(), queue?.service.stop()]);
  });

  const blobWrites: Array<[string, string, Array<[string, string]>]> = [
    ['PUT', '/wide-open/page.txt', [['x-ms-blob-type', 'BlockBlob']]],
    ['PUT', '/wide-open/new.txt', [['x-ms-blob-type', 'BlockBlob']]],
    ['PUT', '/wide-open/page.txt?comp=block&blockid=YQ==', []],
    ['PUT', '/wide-open/page.txt?comp=blocklist', []],
    ['PUT', '/wide-open/page.txt?comp=metadata', [['x-ms-meta-evil', '1']]],
    ['PUT', '/wide-open/page.txt?comp=properties', []],
    ['PUT', '/wide-open/page.txt?comp=snapshot', []],
    ['PUT', '/wide-open/page.txt?comp=lease', [['x-ms-lease-action', 'acquire'], ['x-ms-lease-duration', '-1']]],
    ['PUT', '/wide-open/page.txt?comp=tags', []],
    ['PUT', '/wide-open/copy.txt', [['x-ms-copy-source', `${'http://127.0.0.1'}/${DEFAULT_ACCOUNT.name}/wide-open/page.txt`]]],
    ['DELETE', '/wide-open/page.txt', []],
    ['PUT', '/wide-open?restype=container&comp=metadata', [['x-ms-meta-evil', '1']]],
    ['PUT', '/wide-open?restype=container&comp=acl', [['x-ms-blob-public-access', 'container']]],
    ['PUT', '/wide-open?restype=container&comp=lease', [['x-ms-lease-action', 'acquire'], ['x-ms-lease-duration', '-1']]],
    ['DELETE', '/wide-open?restype=container', []],
    ['PUT', '/brand-new?restype=container', []],
    ['PUT', '?restype=service&comp=properties', []],
  ];

  it.each(blobWrites)('refuses anonymous %s %s even on a public container', async (method, path, headers) => {
    const agent = keepAliveAgent();
    const response = await send(agent, blob.port, { method, target: `/${DEFAULT_ACCOUNT.name}${path}`, headers: [...headers, ['x-ms-version', '2025-11-05']], body: Buffer.from('overwritten') });
    agent.destroy();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await publicContainer.getBlockBlobClient('page.txt').downloadToBuffer()).toString()).toBe('original');
    expect((await publicContainer.getProperties()).metadata).toEqual({ kept: 'yes' });
  });

  it.each([
    ['POST', '/private/messages'],
    ['GET', '/private/messages'],
    ['DELETE', '/private/messages'],
    ['DELETE', '/private'],
    ['PUT', '/private?comp=metadata'],
    ['PUT', '/anonymous-queue'],
  ])('refuses anonymous queue %s %s with 401 NoAuthenticationInformation', async (method, path) => {
    const agent = keepAliveAgent();
    const body = Buffer.from('<QueueMessage><MessageText>x</MessageText></QueueMessage>');
    const response = await send(agent, queue.port, { method, target: `/${DEFAULT_ACCOUNT.name}${path}`, headers: [['x-ms-version', '2025-11-05']], body });
    agent.destroy();
    expect([response.status, response.headers['x-ms-error-code']]).toEqual([401, 'NoAuthenticationInformation']);
    const peeked = await new QueueServiceClient(queue.url, credential, noRetry).getQueueClient('private').peekMessages();
    expect(peeked.peekedMessageItems.map((m) => m.messageText)).toEqual(['kept']);
  });
});

describe('SAS fields are enforced', () => {
  let blob: Running<BlobService>;
  let queue: Running<QueueService>;
  let blobs: BlobServiceClient;
  let messages: QueueClient;
  beforeAll(async () => {
    [blob, queue] = await Promise.all([startService((c) => new BlobService(c)), startService((c) => new QueueService(c))]);
    blobs = new BlobServiceClient(blob.url, credential, noRetry);
    for (const name of ['scoped', 'elsewhere']) await blobs.getContainerClient(name).create();
    await blobs.getContainerClient('scoped').getBlockBlobClient('a.txt').uploadData(Buffer.from('a'));
    await blobs.getContainerClient('elsewhere').getBlockBlobClient('a.txt').uploadData(Buffer.from('a'));
    messages = new QueueServiceClient(queue.url, credential, noRetry).getQueueClient('sas-queue');
    await messages.create();
  });
  afterAll(async () => {
    await Promise.all([blob?.service.stop(), queue?.service.stop()]);
  });

  const blobSas = (options: Parameters<ContainerClient['generateSasUrl']>[0]) => blobs.getContainerClient('scoped').generateSasUrl({ expiresOn: inOneHour(), ...options });
  const writeWith = async (sasUrl: string, blobName = 'written.txt') =>
    codeOf(new ContainerClient(sasUrl, new AnonymousCredential(), noRetry).getBlockBlobClient(blobName).uploadData(Buffer.from('x')));

  it('refuses a write with a read-only permission', async () => {
    expect(await writeWith(await blobSas({ permissions: ContainerSASPermissions.parse('r') }))).toBe('403 AuthorizationPermissionMismatch');
  });

  it('refuses a container SAS used on another container', async () => {
    const sas = new URL(await blobSas({ permissions: ContainerSASPermissions.parse('rw') })).search;
    expect(await writeWith(`${blob.url}/elsewhere${sas}`)).toBe('403 AuthenticationFailed');
  });

  it('refuses a blob SAS used on another blob of the same container', async () => {
    const sasUrl = await blobs.getContainerClient('scoped').getBlockBlobClient('a.txt').generateSasUrl({ permissions: BlobSASPermissions.parse('rw'), expiresOn: inOneHour() });
    const other = sasUrl.replace('/a.txt?', '/b.txt?');
    expect(await codeOf(new ContainerClient(other.replace('/b.txt?', '?'), new AnonymousCredential(), noRetry).getBlockBlobClient('b.txt').uploadData(Buffer.from('x')))).toBe('403 AuthenticationFailed');
  });

  it('refuses a caller outside the SAS IP range and accepts one inside it', async () => {
    expect(await writeWith(await blobSas({ permissions: ContainerSASPermissions.parse('w'), ipRange: { start: '10.0.0.1', end: '10.0.0.9' } }))).toBe('403 AuthorizationSourceIPMismatch');
    expect(await writeWith(await blobSas({ permissions: ContainerSASPermissions.parse('w'), ipRange: { start: '127.0.0.1' } }))).toBe('succeeded');
  });

  it('refuses plain HTTP under an HTTPS-only SAS and accepts it under https,http', async () => {
    expect(await writeWith(await blobSas({ permissions: ContainerSASPermissions.parse('w'), protocol: SASProtocol.Https }))).toBe('403 AuthorizationProtocolMismatch');
    expect(await writeWith(await blobSas({ permissions: ContainerSASPermissions.parse('w'), protocol: SASProtocol.HttpsAndHttp }))).toBe('succeeded');
  });

  it('refuses an account SAS for another service or resource type', async () => {
    const queueOnly = new URL(new QueueServiceClient(queue.url, credential).generateAccountSasUrl(inOneHour(), undefined, 'sco')).search;
    expect(await writeWith(`${blob.url}/scoped${queueOnly}`)).toBe('403 AuthorizationServiceMismatch');
    const objectsOnly = blobs.generateAccountSasUrl(inOneHour(), undefined, 'o');
    expect(await codeOf(new BlobServiceClient(objectsOnly, new AnonymousCredential(), noRetry).getContainerClient('scoped').getProperties())).toBe('403 AuthorizationResourceTypeMismatch');
  });

  it('enforces queue SAS permissions, IP range and protocol', async () => {
    const sasQueue = async (options: Parameters<QueueClient['generateSasUrl']>[0]) => new QueueClient(messages.generateSasUrl({ expiresOn: inOneHour(), ...options }), new QueueAnonymousCredential(), noRetry);
    expect(await codeOf((await sasQueue({ permissions: QueueSASPermissions.parse('r') })).sendMessage('x'))).toBe('403 AuthorizationPermissionMismatch');
    expect(await codeOf((await sasQueue({ permissions: QueueSASPermissions.parse('a'), ipRange: { start: '192.168.0.1' } })).sendMessage('x'))).toBe('403 AuthorizationSourceIPMismatch');
    expect(await codeOf((await sasQueue({ permissions: QueueSASPermissions.parse('a'), protocol: SASProtocol.Https })).sendMessage('x'))).toBe('403 AuthorizationProtocolMismatch');
    expect(await codeOf((await sasQueue({ permissions: QueueSASPermissions.parse('a'), ipRange: { start: '127.0.0.0', end: '127.0.0.255' } })).sendMessage('x'))).toBe('succeeded');
  });
});

describe('metadata names that are prototype keys', () => {
  it('keeps x-ms-meta-__proto__ and x-ms-meta-constructor as plain metadata', async () => {
    const blob = await startService((c) => new BlobService(c));
    const agent = keepAliveAgent();
    try {
      const blobs = new BlobServiceClient(blob.url, credential, noRetry);
      await blobs.getContainerClient('proto').create();
      const sas = new URL(blobs.generateAccountSasUrl(inOneHour(), AccountSASPermissions.parse('rwc'), 'sco')).search;
      const target = `/${DEFAULT_ACCOUNT.name}/proto/a.txt${sas}`;
      const meta: Array<[string, string]> = [['x-ms-meta-__proto__', 'p'], ['x-ms-meta-constructor', 'c'], ['x-ms-version', '2025-11-05']];
      expect((await send(agent, blob.port, { method: 'PUT', target, headers: [['x-ms-blob-type', 'BlockBlob'], ...meta], body: Buffer.from('a') })).status).toBe(201);
      const read = await send(agent, blob.port, { method: 'HEAD', target, headers: [['x-ms-version', '2025-11-05']] });
      expect([read.headers['x-ms-meta-__proto__'], read.headers['x-ms-meta-constructor']]).toEqual(['p', 'c']);
      expect(({} as Record<string, unknown>).constructor).toBe(Object);
    } finally {
      agent.destroy();
      await blob.service.stop();
    }
  });
});

describe('seed folders', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lz-seed-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a blob folder that links back into itself instead of recursing forever', async () => {
    const seed = join(dir, 'loop');
    await mkdir(join(seed, 'blob', 'box'), { recursive: true });
    await writeFile(join(seed, 'blob', 'box', 'a.txt'), 'a');
    await symlink(join(seed, 'blob', 'box'), join(seed, 'blob', 'box', 'again'));
    const service = new BlobService({ seed: { dir: seed }, logger: recordingLogger() });
    await expect(service.seed()).rejects.toThrow(/loop/);
  });

  it.each([
    ['blob', (s: { seed: { dir: string } }) => new BlobService({ ...s, logger: recordingLogger() })],
    ['queue', (s: { seed: { dir: string } }) => new QueueService({ ...s, logger: recordingLogger() })],
  ] as const)('refuses a %s service folder that is a link out of the seed folder', async (service, create) => {
    const outside = join(dir, `outside-${service}`);
    await mkdir(join(outside, 'box'), { recursive: true });
    await writeFile(join(outside, 'box', 'secret.txt'), 'secret');
    await writeFile(join(outside, 'q.json'), '["secret"]');
    const seed = join(dir, `linked-${service}`);
    await mkdir(seed, { recursive: true });
    await symlink(outside, join(seed, service));
    await expect(create({ seed: { dir: seed } }).seed()).rejects.toThrow(/outside the seed folder/);
  });
});
