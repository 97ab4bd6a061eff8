import { AzureNamedKeyCredential, AzureSASCredential, generateTableSas, TableClient } from '@azure/data-tables';
import {
  AnonymousCredential,
  BlobSASPermissions,
  BlobServiceClient,
  BlockBlobClient,
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { QueueClient, QueueSASPermissions, QueueServiceClient, AnonymousCredential as QueueAnonymousCredential } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/core/clock.js';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';
import { TableService } from '../../src/services/table/index.js';
import { keepAliveAgent, startService, type Running } from './support/services.js';
import { send } from './support/wire.js';

// Shared Key and SAS as an attacker holding one captured request or URL would try them.

const ACCOUNT = DEFAULT_ACCOUNT.name;
const credential = new StorageSharedKeyCredential(ACCOUNT, DEFAULT_ACCOUNT.key);
const tableCredential = new AzureNamedKeyCredential(ACCOUNT, DEFAULT_ACCOUNT.key);
const tableOptions = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };
const noRetry = { retryOptions: { maxTries: 1 } };
const VERSION = '2025-11-05';
const inOneHour = () => new Date(Date.now() + 3600_000);
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toUTCString();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'succeeded';
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; details?: { errorCode?: string; odataError?: { code?: string } } };
    if (e.statusCode === undefined) throw error;
    return `${e.statusCode} ${e.details?.errorCode ?? e.details?.odataError?.code ?? e.code}`;
  }
}

/** A GET signed with Shared Key the way the storage SDKs sign a path-style URL: `/account` + the path. */
function blobQueueGet(path: string, date: string): Array<[string, string]> {
  const stringToSign = `GET\n${'\n'.repeat(11)}x-ms-date:${date}\nx-ms-version:${VERSION}\n/${ACCOUNT}${path}`;
  return [['x-ms-date', date], ['x-ms-version', VERSION], ['authorization', `SharedKey ${ACCOUNT}:${credential.computeHMACSHA256(stringToSign)}`]];
}

/** A blob SAS for sas-rules/a.txt, signed with the account key over exactly the fields given (version 2020-12-06 layout or the one before 2018-11-09). */
function signedBlobSas(fields: { sp: string; sv: string; sr?: string }): string {
  const se = inOneHour().toISOString().replace(/\.\d+Z$/, 'Z');
  const sr = fields.sr ?? 'b';
  const canonical = `/blob/${ACCOUNT}/sas-rules/a.txt`;
  const common = [fields.sp, '', se, canonical, '', '', '', fields.sv];
  const layout = fields.sv >= '2020-12-06' ? [...common, sr, '', '', '', '', '', '', ''] : [...common, '', '', '', '', ''];
  const query = new URLSearchParams({ sv: fields.sv, sr, sp: fields.sp, se, sig: credential.computeHMACSHA256(layout.join('\n')) });
  return `${blob.url}/sas-rules/a.txt?${query}`;
}

let blob: Running<BlobService>;
let queue: Running<QueueService>;
let table: Running<TableService>;
const agent = keepAliveAgent();
beforeAll(async () => {
  [blob, queue, table] = await Promise.all([startService((c) => new BlobService(c)), startService((c) => new QueueService(c)), startService((c) => new TableService(c))]);
});
afterAll(async () => {
  agent.destroy();
  await Promise.all([blob?.service.stop(), queue?.service.stop(), table?.service.stop()]);
});

describe('Shared Key', () => {
  it('does not verify a signature for /acct/c/b on container "acct", blob "c/b"', async () => {
    const blobs = new BlobServiceClient(blob.url, credential, noRetry);
    await blobs.getContainerClient(ACCOUNT).create();
    await blobs.getContainerClient(ACCOUNT).getBlockBlobClient('c/b').uploadData(Buffer.from('secret'));
    const signedForCB = blobQueueGet(`/${ACCOUNT}/c/b`, new Date().toUTCString());
    const replayed = await send(agent, blob.port, { method: 'GET', target: `/${ACCOUNT}/${ACCOUNT}/c/b`, headers: signedForCB });
    expect([replayed.status, replayed.headers['x-ms-error-code']]).toEqual([403, 'AuthenticationFailed']);
    expect(replayed.body).not.toContain('secret');
  });

  it.each(['blob', 'queue'] as const)('refuses a %s request dated more than 15 minutes ago with 403 AuthenticationFailed', async (service) => {
    const running = service === 'blob' ? blob : queue;
    const signed = blobQueueGet(`/${ACCOUNT}/\ncomp:list`, minutesAgo(16));
    const response = await send(agent, running.port, { method: 'GET', target: `/${ACCOUNT}/?comp=list`, headers: signed });
    expect([response.status, response.headers['x-ms-error-code']]).toEqual([403, 'AuthenticationFailed']);
  });

  it('accepts a blob request dated 10 minutes ago, within Azure\'s 15 minutes', async () => {
    const response = await send(agent, blob.port, { method: 'GET', target: `/${ACCOUNT}/?comp=list`, headers: blobQueueGet(`/${ACCOUNT}/\ncomp:list`, minutesAgo(10)) });
    expect(response.status).toBe(200);
  });

  it('refuses a request dated more than 15 minutes ahead', async () => {
    const ahead = new Date(Date.now() + 16 * 60_000).toUTCString();
    const response = await send(agent, blob.port, { method: 'GET', target: `/${ACCOUNT}/?comp=list`, headers: blobQueueGet(`/${ACCOUNT}/\ncomp:list`, ahead) });
    expect([response.status, response.headers['x-ms-error-code']]).toEqual([403, 'AuthenticationFailed']);
  });

  it('keeps accepting SDK requests after the emulators\' clock moved a day ahead', async () => {
    const clock = new AdjustableClock();
    const running = await startService((c) => new BlobService(c), { clock });
    try {
      clock.advance(86_400_000);
      expect(await codeOf(new BlobServiceClient(running.url, credential, noRetry).getContainerClient('later').create())).toBe('succeeded');
    } finally {
      await running.service.stop();
    }
  });

  it("verifies a table SharedKeyLite delete signed over Tables('t') and sent as Tables(%27t%27), as the legacy azure-storage client does", async () => {
    await new TableClient(table.url, 'legacy', tableCredential, tableOptions).createTable();
    const date = new Date().toUTCString();
    const signature = credential.computeHMACSHA256(`${date}\n/${ACCOUNT}/${ACCOUNT}/Tables('legacy')`);
    const headers: Array<[string, string]> = [['x-ms-date', date], ['x-ms-version', '2019-02-02'], ['accept', 'application/json'], ['authorization', `SharedKeyLite ${ACCOUNT}:${signature}`]];
    const response = await send(agent, table.port, { method: 'DELETE', target: `/${ACCOUNT}/Tables(%27legacy%27)`, headers });
    expect(response.status).toBe(204);
  });

  it.each(['SharedKey', 'SharedKeyLite'] as const)('refuses a table %s request dated more than 15 minutes ago', async (kind) => {
    const date = minutesAgo(16);
    const resource = `/${ACCOUNT}/${ACCOUNT}/Tables`;
    const stringToSign = kind === 'SharedKey' ? `GET\n\n\n${date}\n${resource}` : `${date}\n${resource}`;
    const headers: Array<[string, string]> = [
      ['x-ms-date', date],
      ['x-ms-version', '2019-02-02'],
      ['accept', 'application/json;odata=nometadata'],
      ['authorization', `${kind} ${ACCOUNT}:${credential.computeHMACSHA256(stringToSign)}`],
    ];
    const response = await send(agent, table.port, { method: 'GET', target: `/${ACCOUNT}/Tables`, headers });
    expect(response.status).toBe(403);
    expect(response.body).toContain('AuthenticationFailed');
  });
});

describe('SAS', () => {
  let container: ContainerClient;
  let messages: QueueClient;
  beforeAll(async () => {
    container = new BlobServiceClient(blob.url, credential, noRetry).getContainerClient('sas-rules');
    await container.create();
    await container.getBlockBlobClient('a.txt').uploadData(Buffer.from('a'));
    messages = new QueueServiceClient(queue.url, credential, noRetry).getQueueClient('sas-rules');
    await messages.create();
  });

  const readBlob = (url: string) => codeOf(new BlockBlobClient(url, new AnonymousCredential(), noRetry).downloadToBuffer());

  it('refuses a blob SAS that repeats the expiry its stored access policy sets', async () => {
    await container.setAccessPolicy(undefined, [{ id: 'short', accessPolicy: { permissions: 'r', expiresOn: new Date(Date.now() + 60_000) } }]);
    const url = await container.getBlockBlobClient('a.txt').generateSasUrl({ identifier: 'short', expiresOn: new Date(Date.now() + 86_400_000) });
    expect(await readBlob(url)).toBe('403 AuthenticationFailed');
  });

  it('refuses a blob SAS that repeats the permissions its stored access policy sets', async () => {
    await container.setAccessPolicy(undefined, [{ id: 'readonly', accessPolicy: { permissions: 'r', expiresOn: inOneHour() } }]);
    const url = await container.getBlockBlobClient('a.txt').generateSasUrl({ identifier: 'readonly', permissions: BlobSASPermissions.parse('rw') });
    expect(await readBlob(url)).toBe('403 AuthenticationFailed');
  });

  it('refuses a queue SAS that repeats the start its stored access policy sets', async () => {
    await messages.setAccessPolicy([{ id: 'adders', accessPolicy: { permissions: 'a', startsOn: new Date(Date.now() - 60_000), expiresOn: inOneHour() } }]);
    const url = messages.generateSasUrl({ identifier: 'adders', startsOn: new Date(Date.now() - 3_600_000) });
    expect(await codeOf(new QueueClient(url, new QueueAnonymousCredential(), noRetry).sendMessage('x'))).toBe('403 AuthenticationFailed');
  });

  it('refuses a queue stored access policy granting a permission a queue does not have with 400 InvalidXmlDocument', async () => {
    expect(await codeOf(messages.setAccessPolicy([{ id: 'odd', accessPolicy: { permissions: 'rwd', expiresOn: inOneHour() } }]))).toBe('400 InvalidXmlDocument');
    expect(await messages.getAccessPolicy()).toMatchObject({ signedIdentifiers: expect.not.arrayContaining([expect.objectContaining({ id: 'odd' })]) });
  });

  it('still honours a SAS that takes every field from its stored access policy', async () => {
    await container.setAccessPolicy(undefined, [{ id: 'whole', accessPolicy: { permissions: 'r', expiresOn: inOneHour() } }]);
    expect(await readBlob(await container.getBlockBlobClient('a.txt').generateSasUrl({ identifier: 'whole' }))).toBe('succeeded');
  });

  it('refuses a table SAS named by a stored access policy once the policy no longer allows the operation', async () => {
    const tables = new TableClient(table.url, 'policytable', tableCredential, tableOptions);
    await tables.createTable();
    await tables.createEntity({ partitionKey: 'p', rowKey: 'r' });
    await tables.setAccessPolicy([{ id: 'readers', accessPolicy: { permission: 'r', expiry: inOneHour() } }]);
    const sasClient = new TableClient(table.url, 'policytable', new AzureSASCredential(generateTableSas('policytable', tableCredential, { identifier: 'readers' })), tableOptions);
    expect(await codeOf(sasClient.getEntity('p', 'r'))).toBe('succeeded');
    await tables.setAccessPolicy([{ id: 'readers', accessPolicy: { permission: 'a', expiry: inOneHour() } }]);
    expect(await codeOf(sasClient.getEntity('p', 'r'))).toBe('403 AuthorizationPermissionMismatch');
  });

  it('refuses a table SAS that repeats the permissions its stored access policy sets', async () => {
    const tables = new TableClient(table.url, 'repeats', tableCredential, tableOptions);
    await tables.createTable();
    await tables.setAccessPolicy([{ id: 'readers', accessPolicy: { permission: 'r', expiry: inOneHour() } }]);
    const sas = generateTableSas('repeats', tableCredential, { identifier: 'readers', permissions: { add: true } });
    expect(await codeOf(new TableClient(table.url, 'repeats', new AzureSASCredential(sas), tableOptions).createEntity({ partitionKey: 'p', rowKey: 'r' }))).toBe('403 AuthenticationFailed');
  });

  it('refuses a correctly signed blob SAS granting a permission letter Azure does not define', async () => {
    expect(await readBlob(signedBlobSas({ sp: 'rz', sv: VERSION }))).toBe('403 AuthenticationFailed');
  });

  it('refuses a correctly signed account SAS naming a resource type Azure does not define', async () => {
    const fields = { sv: VERSION, ss: 'b', srt: 'scoq', sp: 'r', se: inOneHour().toISOString().replace(/\.\d+Z$/, 'Z') };
    const stringToSign = [ACCOUNT, fields.sp, fields.ss, fields.srt, '', fields.se, '', '', fields.sv, ''].join('\n') + '\n';
    const query = new URLSearchParams({ ...fields, sig: credential.computeHMACSHA256(stringToSign) });
    expect(await readBlob(`${container.getBlockBlobClient('a.txt').url}?${query}`)).toBe('403 AuthenticationFailed');
  });

  it.each(['2016-01-01', '2099-01-01x', '1.0'])('refuses a correctly signed SAS with sv=%s, which is no storage service version', async (sv) => {
    expect(await readBlob(signedBlobSas({ sp: 'r', sv }))).toBe('403 AuthenticationFailed');
  });

  it('refuses a correctly signed blob SAS for a signed resource Azure does not define', async () => {
    expect(await readBlob(signedBlobSas({ sp: 'r', sv: VERSION, sr: 'q' }))).toBe('403 AuthenticationFailed');
  });

  it('accepts a SAS with a service version newer than any this emulator knows', async () => {
    expect(await readBlob(signedBlobSas({ sp: 'r', sv: '2099-01-01' }))).toBe('succeeded');
  });

  it('refuses a blob SAS with a second sig parameter', async () => {
    const url = await container.getBlockBlobClient('a.txt').generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
    expect(await readBlob(`${url}&sig=${encodeURIComponent('AAAA')}`)).toBe('403 AuthenticationFailed');
    const sig = new URL(url).searchParams.get('sig')!;
    expect(await readBlob(`${url}&sig=${encodeURIComponent(sig)}`)).toBe('403 AuthenticationFailed');
  });

  it('refuses a queue SAS with a second sig parameter', async () => {
    const url = messages.generateSasUrl({ permissions: QueueSASPermissions.parse('a'), expiresOn: inOneHour() });
    const sig = new URL(url).searchParams.get('sig')!;
    const target = `/${ACCOUNT}/sas-rules/messages${new URL(url).search}&sig=${encodeURIComponent(sig)}`;
    const response = await send(agent, queue.port, { method: 'POST', target, headers: [['x-ms-version', VERSION]], body: Buffer.from('<QueueMessage><MessageText>x</MessageText></QueueMessage>') });
    expect([response.status, response.headers['x-ms-error-code']]).toEqual([403, 'AuthenticationFailed']);
  });

  it('refuses a table SAS with a second sig parameter', async () => {
    const sas = generateTableSas('policytable', tableCredential, { permissions: { query: true }, expiresOn: inOneHour() });
    const sig = new URLSearchParams(sas).get('sig')!;
    const target = `/${ACCOUNT}/policytable()?${sas}&sig=${encodeURIComponent(sig)}`;
    const response = await send(agent, table.port, { method: 'GET', target, headers: [['x-ms-version', '2019-02-02'], ['accept', 'application/json']] });
    expect(response.status).toBe(403);
    expect(response.body).toContain('AuthenticationFailed');
  });

  it('refuses Get Container Properties under a service SAS for the container', async () => {
    const url = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: inOneHour() });
    expect(await codeOf(new ContainerClient(url, new AnonymousCredential(), noRetry).getProperties())).toBe('403 AuthorizationPermissionMismatch');
  });

  it('stores, lists and signs a blob named with \\ under its / form, as Azure does', async () => {
    const client = container.getBlockBlobClient('back\\slash\\name.txt');
    await client.uploadData(Buffer.from('b'));
    const names: string[] = [];
    for await (const item of container.listBlobsFlat({ prefix: 'back' })) names.push(item.name);
    expect(names).toEqual(['back/slash/name.txt']);
    const url = await client.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
    expect(await readBlob(url)).toBe('succeeded');
  });

  it.each(['a b.txt', 'ünïcödé/日本語.txt', "~!@#$%^&*()_+={}[];',.txt", 'many///slashes//x', 'percent%20not%2Fdecoded.txt', 'plus+and=equals&amp.txt', '特殊 `1234567890-={}|[]:";\'<>?,#/x', '/leading/and/trailing/', ' spaced  out ', '////Upper/blob/empty /adir/./adir1/../another 汉字 ру́сский язы́к عربي/عربى にっぽんご . special ~!@#$%^&*()_+`1234567890-={}|[]\\:";\'<>?,/\''])(
    'verifies a blob SAS for the name %s',
    async (name) => {
      const client = container.getBlockBlobClient(name);
      await client.uploadData(Buffer.from('odd'));
      const url = await client.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
      const read = new BlockBlobClient(url, new AnonymousCredential(), noRetry);
      expect((await read.downloadToBuffer()).toString()).toBe('odd');
    },
  );
});
