import { createHash } from 'node:crypto';
import { AdjustableClock } from '../../../src/core/clock.js';
import { AnonymousCredential, BlobSASPermissions, BlobServiceClient, BlockBlobClient, ContainerSASPermissions, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import { BlobService } from '../../../src/services/blob/index.js';
import { crc64Base64 } from '../../../src/services/storage-common/crc64.js';
import { errorOf, noRetry, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();
const inOneHour = () => new Date(Date.now() + 3_600_000);
const SOURCE = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
const md5Of = (bytes: Buffer) => createHash('md5').update(bytes).digest();
const crc64Of = (bytes: Buffer) => Buffer.from(crc64Base64([bytes]), 'base64');

let container: ContainerClient;
let sourceUrl: string;
beforeAll(async () => {
  container = blob.client.getContainerClient(uniqueName('from-url'));
  await container.create();
  const source = container.getBlockBlobClient('source.bin');
  await source.uploadData(SOURCE, { blobHTTPHeaders: { blobContentType: 'application/x-source' }, metadata: { origin: 'source' } });
  sourceUrl = source.url;
});

describe('Put Block From URL', () => {
  it('stages the whole source without a range', async () => {
    const target = container.getBlockBlobClient(uniqueName('whole'));
    await target.stageBlockFromURL('YQ==', sourceUrl);
    await target.commitBlockList(['YQ==']);
    expect((await target.downloadToBuffer()).equals(SOURCE)).toBe(true);
  });

  it('answers the MD5 of the staged bytes', async () => {
    const response = await container.getBlockBlobClient(uniqueName('md5')).stageBlockFromURL('YQ==', sourceUrl, 10, 90);
    expect(Buffer.from(response.contentMD5!).equals(md5Of(SOURCE.subarray(10, 100)))).toBe(true);
  });

  it('accepts a matching x-ms-source-content-md5 and refuses another with 400 Md5Mismatch', async () => {
    const target = container.getBlockBlobClient(uniqueName('srcmd5'));
    await target.stageBlockFromURL('YQ==', sourceUrl, 0, 100, { sourceContentMD5: md5Of(SOURCE.subarray(0, 100)) });
    expect(await errorOf(target.stageBlockFromURL('Yg==', sourceUrl, 0, 100, { sourceContentMD5: md5Of(Buffer.from('other')) }))).toEqual({ statusCode: 400, code: 'Md5Mismatch' });
  });

  it('accepts a matching x-ms-source-content-crc64 and refuses another with 400 Crc64Mismatch', async () => {
    const target = container.getBlockBlobClient(uniqueName('srccrc'));
    const ok = await target.stageBlockFromURL('YQ==', sourceUrl, 0, 100, { sourceContentCrc64: crc64Of(SOURCE.subarray(0, 100)) });
    expect(Buffer.from(ok.xMsContentCrc64!).equals(crc64Of(SOURCE.subarray(0, 100)))).toBe(true);
    expect(await errorOf(target.stageBlockFromURL('Yg==', sourceUrl, 0, 100, { sourceContentCrc64: crc64Of(Buffer.from('other')) }))).toEqual({ statusCode: 400, code: 'Crc64Mismatch' });
  });

  it('refuses a source range that starts past the end of the source', async () => {
    expect(await errorOf(container.getBlockBlobClient(uniqueName('past')).stageBlockFromURL('YQ==', sourceUrl, SOURCE.length, 10))).toEqual({
      statusCode: 416,
      code: 'CannotVerifyCopySource',
    });
  });

  it('refuses OAuth source authorization it cannot verify, naming the alternatives', async () => {
    const failure = container.getBlockBlobClient(uniqueName('oauth')).stageBlockFromURL('YQ==', sourceUrl, 0, undefined, { sourceAuthorization: { scheme: 'Bearer', value: 'token' } });
    await expect(failure).rejects.toThrow(/SAS on the source URL/);
  });

  it('honours x-ms-source-if-match against the source', async () => {
    const etag = (await container.getBlockBlobClient('source.bin').getProperties()).etag!;
    const target = container.getAppendBlobClient(uniqueName('cond'));
    await target.create();
    await target.appendBlockFromURL(sourceUrl, 0, 10, { sourceConditions: { ifMatch: etag } });
    expect(await errorOf(target.appendBlockFromURL(sourceUrl, 0, 10, { sourceConditions: { ifMatch: '"0x1"' } }))).toEqual({ statusCode: 412, code: 'SourceConditionNotMet' });
    expect((await target.getProperties()).contentLength).toBe(10);
  });
});

describe('Append Block From URL and Upload Pages From URL', () => {
  it('appends source ranges in order at the append offsets', async () => {
    const target = container.getAppendBlobClient(uniqueName('append'));
    await target.create();
    const first = await target.appendBlockFromURL(sourceUrl, 100, 50);
    const second = await target.appendBlockFromURL(sourceUrl, 0, 50);
    expect([first.blobAppendOffset, second.blobAppendOffset, second.blobCommittedBlockCount]).toEqual(['0', '50', 2]);
    expect((await target.downloadToBuffer()).equals(Buffer.concat([SOURCE.subarray(100, 150), SOURCE.subarray(0, 50)]))).toBe(true);
  });

  it('refuses Upload Pages From URL whose source range length differs from the page range', async () => {
    const target = container.getPageBlobClient(uniqueName('pages'));
    await target.create(1024);
    const response = await fetchRaw(target.url, {
      'x-ms-page-write': 'update',
      'x-ms-range': 'bytes=0-511',
      'x-ms-source-range': 'bytes=0-99',
      'x-ms-copy-source': await readableSource(),
    });
    expect([response.status, response.headers.get('x-ms-error-code')]).toEqual([400, 'InvalidHeaderValue']);
  });

  it('needs x-ms-source-range on Upload Pages From URL', async () => {
    const target = container.getPageBlobClient(uniqueName('norange'));
    await target.create(512);
    const response = await fetchRaw(target.url, { 'x-ms-page-write': 'update', 'x-ms-range': 'bytes=0-511', 'x-ms-copy-source': await readableSource() });
    expect([response.status, response.headers.get('x-ms-error-code')]).toEqual([400, 'MissingRequiredHeader']);
  });

  const readableSource = () => container.getBlockBlobClient('source.bin').generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });

  async function fetchRaw(url: string, headers: Record<string, string>): Promise<Response> {
    const sas = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('rw'), expiresOn: inOneHour() });
    return fetch(`${url}?comp=page&${new URL(sas).search.slice(1)}`, { method: 'PUT', headers: { 'x-ms-version': '2025-11-05', 'content-length': '0', ...headers } });
  }
});

describe('copying the whole source', () => {
  it('echoes Content-MD5 on a sync copy given the source MD5', async () => {
    const response = await container.getBlobClient(uniqueName('sync')).syncCopyFromURL(sourceUrl, { sourceContentMD5: md5Of(SOURCE) });
    expect(Buffer.from(response.contentMD5!).equals(md5Of(SOURCE))).toBe(true);
  });

  it('refuses a sync copy whose source MD5 does not match, writing nothing', async () => {
    const target = container.getBlobClient(uniqueName('syncbad'));
    expect(await errorOf(target.syncCopyFromURL(sourceUrl, { sourceContentMD5: md5Of(Buffer.from('x')) }))).toEqual({ statusCode: 400, code: 'Md5Mismatch' });
    expect(await target.exists()).toBe(false);
  });

  it('Put Blob From URL keeps the source content type, unless told not to copy the source properties', async () => {
    const kept = container.getBlockBlobClient(uniqueName('props'));
    await kept.syncUploadFromURL(sourceUrl);
    const dropped = container.getBlockBlobClient(uniqueName('noprops'));
    await dropped.syncUploadFromURL(sourceUrl, { copySourceBlobProperties: false });
    expect([(await kept.getProperties()).contentType, (await dropped.getProperties()).contentType]).toEqual(['application/x-source', 'application/octet-stream']);
  });

  it('Put Blob From URL makes a block blob of an append blob source', async () => {
    const append = container.getAppendBlobClient(uniqueName('append-src'));
    await append.create();
    await append.appendBlock('abc', 3);
    const target = container.getBlockBlobClient(uniqueName('put-from-url'));
    await target.syncUploadFromURL(append.url);
    const properties = await target.getProperties();
    expect([properties.blobType, (await target.downloadToBuffer()).toString()]).toEqual(['BlockBlob', 'abc']);
  });
});

describe('a source on another emulator, fetched over HTTP', () => {
  let other: BlobService;
  let otherClient: BlobServiceClient;
  beforeAll(async () => {
    other = new BlobService({ clock: new AdjustableClock(), namespaces: new NamespaceRegistry() });
    await other.start();
    otherClient = new BlobServiceClient(other.getEndpoint(DEFAULT_ACCOUNT)!.url, blob.credential, noRetry);
    await otherClient.getContainerClient('public').create({ access: 'blob' });
    await otherClient.getContainerClient('private').create();
    await otherClient.getContainerClient('public').getBlockBlobClient('remote.bin').uploadData(SOURCE, { metadata: { far: 'away' }, blobHTTPHeaders: { blobContentType: 'text/remote' } });
    await otherClient.getContainerClient('private').getBlockBlobClient('remote.bin').uploadData(SOURCE);
  });
  afterAll(async () => {
    await other?.stop();
  });

  it('stages a range of a public remote blob', async () => {
    const target = container.getBlockBlobClient(uniqueName('remote-block'));
    await target.stageBlockFromURL('YQ==', otherClient.getContainerClient('public').getBlockBlobClient('remote.bin').url, 1000, 24);
    await target.commitBlockList(['YQ==']);
    expect((await target.downloadToBuffer()).equals(SOURCE.subarray(1000, 1024))).toBe(true);
  });

  it('copies a private remote blob through a SAS on its URL, keeping its content type', async () => {
    const remote = otherClient.getContainerClient('private').getBlockBlobClient('remote.bin');
    const sasUrl = await remote.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
    const target = container.getBlockBlobClient(uniqueName('remote-copy'));
    await (await target.beginCopyFromURL(sasUrl)).pollUntilDone();
    expect((await target.downloadToBuffer()).equals(SOURCE)).toBe(true);
  });

  it('keeps the metadata and headers of a remote source on Copy Blob', async () => {
    const target = container.getBlockBlobClient(uniqueName('remote-meta'));
    await (await target.beginCopyFromURL(otherClient.getContainerClient('public').getBlockBlobClient('remote.bin').url)).pollUntilDone();
    const properties = await target.getProperties();
    expect([properties.metadata, properties.contentType]).toEqual([{ far: 'away' }, 'text/remote']);
  });

  it('answers the remote source\'s 404 as CannotVerifyCopySource for a private remote blob without a SAS', async () => {
    const target = container.getBlockBlobClient(uniqueName('remote-private'));
    expect(await errorOf(target.syncUploadFromURL(otherClient.getContainerClient('private').getBlockBlobClient('remote.bin').url))).toEqual({
      statusCode: 404,
      code: 'CannotVerifyCopySource',
    });
    expect(await target.exists()).toBe(false);
  });

  it('answers CannotVerifyCopySource when nothing listens at the source', async () => {
    const target = container.getBlockBlobClient(uniqueName('nowhere'));
    expect(await errorOf(target.syncUploadFromURL('http://127.0.0.1:1/devstoreaccount1/c/b'))).toEqual({ statusCode: 400, code: 'CannotVerifyCopySource' });
  });

  it('reads a remote source through a SAS from a client that itself uses a SAS', async () => {
    const remote = otherClient.getContainerClient('private').getBlockBlobClient('remote.bin');
    const sourceSas = await remote.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
    const targetSas = await container.getBlockBlobClient(uniqueName('sas-to-sas')).generateSasUrl({ permissions: BlobSASPermissions.parse('rcw'), expiresOn: inOneHour() });
    const target = new BlockBlobClient(targetSas, new AnonymousCredential(), noRetry);
    await target.stageBlockFromURL('YQ==', sourceSas, 0, 16);
    await target.commitBlockList(['YQ==']);
    expect((await target.downloadToBuffer()).equals(SOURCE.subarray(0, 16))).toBe(true);
  });
});
