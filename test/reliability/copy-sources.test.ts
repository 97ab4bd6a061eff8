import { AnonymousCredential, BlobSASPermissions, BlobServiceClient, ContainerClient, ContainerSASPermissions, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { startService, type Running } from './support/services.js';

// Copies and From URL writes as an attacker holding a SAS for one container would use them, and as a user expects their bytes kept.

const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const noRetry = { retryOptions: { maxTries: 1 } };
const inOneHour = () => new Date(Date.now() + 3600_000);
const SECRET = Buffer.alloc(1024, 'secret-');

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'succeeded';
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    if (e.statusCode === undefined) throw error;
    return `${e.statusCode} ${e.details?.errorCode ?? e.code}`;
  }
}

let blob: Running<BlobService>;
let blobs: BlobServiceClient;
let vault: ContainerClient;
let drop: ContainerClient;
beforeAll(async () => {
  blob = await startService((c) => new BlobService(c));
  blobs = new BlobServiceClient(blob.url, credential, noRetry);
  vault = blobs.getContainerClient('vault');
  drop = blobs.getContainerClient('drop');
  await Promise.all([vault.create(), drop.create()]);
  await vault.getBlockBlobClient('secret.bin').uploadData(SECRET);
});
afterAll(async () => {
  await blob?.service.stop();
});

describe('From URL writes keep the source bytes', () => {
  it('Put Block From URL stages the bytes of the source range', async () => {
    const target = drop.getBlockBlobClient('staged.bin');
    await target.stageBlockFromURL('YmxvY2sx', vault.getBlockBlobClient('secret.bin').url, 7, 100);
    await target.commitBlockList(['YmxvY2sx']);
    expect((await target.downloadToBuffer()).equals(SECRET.subarray(7, 107))).toBe(true);
  });

  it('Append Block From URL appends the bytes of the source range', async () => {
    const target = drop.getAppendBlobClient('appended.bin');
    await target.create();
    await target.appendBlockFromURL(vault.getBlockBlobClient('secret.bin').url, 0, 300);
    expect((await target.downloadToBuffer()).equals(SECRET.subarray(0, 300))).toBe(true);
  });

  it('Upload Pages From URL writes the source range to the pages', async () => {
    const target = drop.getPageBlobClient('paged.bin');
    await target.create(2048);
    await target.uploadPagesFromURL(vault.getBlockBlobClient('secret.bin').url, 512, 1024, 512);
    const pages = await target.downloadToBuffer();
    expect(pages.subarray(1024, 1536).equals(SECRET.subarray(512, 1024))).toBe(true);
    expect(pages.subarray(0, 1024).equals(Buffer.alloc(1024))).toBe(true);
  });

  it('answers no 201 for a From URL write whose source is missing, and stores nothing', async () => {
    const target = drop.getBlockBlobClient('never.bin');
    expect(await codeOf(target.stageBlockFromURL('YmxvY2sx', vault.getBlockBlobClient('absent.bin').url))).toBe('404 CannotVerifyCopySource');
    expect(await codeOf(target.getBlockList('all'))).toBe('404 BlobNotFound');
  });
});

describe('a SAS for one container copies nothing out of another', () => {
  let dropSas: ContainerClient;
  beforeAll(async () => {
    dropSas = new ContainerClient(await drop.generateSasUrl({ permissions: ContainerSASPermissions.parse('rcw'), expiresOn: inOneHour() }), new AnonymousCredential(), noRetry);
  });
  const secretUrl = () => vault.getBlockBlobClient('secret.bin').url;

  it('refuses Copy Blob from a private container', async () => {
    expect(await codeOf(dropSas.getBlobClient('stolen-async.bin').beginCopyFromURL(secretUrl()))).toBe('404 CannotVerifyCopySource');
    expect(await drop.getBlobClient('stolen-async.bin').exists()).toBe(false);
  });

  it('refuses Copy Blob From URL from a private container', async () => {
    expect(await codeOf(dropSas.getBlobClient('stolen-sync.bin').syncCopyFromURL(secretUrl()))).toBe('404 CannotVerifyCopySource');
    expect(await drop.getBlobClient('stolen-sync.bin').exists()).toBe(false);
  });

  it('refuses Put Blob From URL from a private container', async () => {
    expect(await codeOf(dropSas.getBlockBlobClient('stolen-put.bin').syncUploadFromURL(secretUrl()))).toBe('404 CannotVerifyCopySource');
    expect(await drop.getBlobClient('stolen-put.bin').exists()).toBe(false);
  });

  it('refuses Put Block From URL from a private container', async () => {
    expect(await codeOf(dropSas.getBlockBlobClient('stolen-block.bin').stageBlockFromURL('YmxvY2sx', secretUrl()))).toBe('404 CannotVerifyCopySource');
  });

  it('refuses Append Block From URL from a private container', async () => {
    await drop.getAppendBlobClient('stolen-append.bin').create();
    expect(await codeOf(dropSas.getAppendBlobClient('stolen-append.bin').appendBlockFromURL(secretUrl(), 0, 100))).toBe('404 CannotVerifyCopySource');
    expect((await drop.getBlobClient('stolen-append.bin').getProperties()).contentLength).toBe(0);
  });

  it('refuses Upload Pages From URL from a private container', async () => {
    await drop.getPageBlobClient('stolen-pages.bin').create(512);
    expect(await codeOf(dropSas.getPageBlobClient('stolen-pages.bin').uploadPagesFromURL(secretUrl(), 0, 0, 512))).toBe('404 CannotVerifyCopySource');
  });

  it('copies a private source that carries its own read SAS', async () => {
    const sourceSas = await vault.getBlockBlobClient('secret.bin').generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
    await dropSas.getBlobClient('granted.bin').syncCopyFromURL(sourceSas);
    expect((await drop.getBlobClient('granted.bin').downloadToBuffer()).equals(SECRET)).toBe(true);
  });

  it('copies from a container with public read access without a SAS', async () => {
    const open = blobs.getContainerClient('open');
    await open.create({ access: 'blob' });
    await open.getBlockBlobClient('shared.txt').uploadData(Buffer.from('shared'));
    await dropSas.getBlobClient('from-public.txt').syncCopyFromURL(open.getBlockBlobClient('shared.txt').url);
    expect((await drop.getBlobClient('from-public.txt').downloadToBuffer()).toString()).toBe('shared');
  });

  it('refuses a source in another account of the emulator under Shared Key of this one', async () => {
    const other = { name: 'otheracct', key: Buffer.from('another key of 32 bytes, base64!').toString('base64') };
    blob.service.context.namespaces.add(other);
    const otherBlobs = new BlobServiceClient(blob.url.replace(DEFAULT_ACCOUNT.name, other.name), new StorageSharedKeyCredential(other.name, other.key), noRetry);
    await otherBlobs.getContainerClient('theirs').create();
    await otherBlobs.getContainerClient('theirs').getBlockBlobClient('private.txt').uploadData(Buffer.from('theirs'));
    expect(await codeOf(drop.getBlobClient('cross-account.txt').syncCopyFromURL(otherBlobs.getContainerClient('theirs').getBlockBlobClient('private.txt').url))).toBe('404 CannotVerifyCopySource');
  });

  it('refuses a source SAS without read permission', async () => {
    const writeOnly = await vault.getBlockBlobClient('secret.bin').generateSasUrl({ permissions: BlobSASPermissions.parse('w'), expiresOn: inOneHour() });
    expect(await codeOf(dropSas.getBlobClient('write-only.bin').syncCopyFromURL(writeOnly))).toBe('403 CannotVerifyCopySource');
  });
});

describe('SAS permissions on the copy destination', () => {
  const sasFor = async (permissions: string) =>
    new ContainerClient(await drop.generateSasUrl({ permissions: ContainerSASPermissions.parse(permissions), expiresOn: inOneHour() }), new AnonymousCredential(), noRetry);
  const source = async () => drop.getBlockBlobClient('source.txt').generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
  beforeAll(async () => {
    await drop.getBlockBlobClient('source.txt').uploadData(Buffer.from('source'));
  });

  it('refuses a copy over an existing blob with create permission alone', async () => {
    await drop.getBlockBlobClient('existing.txt').uploadData(Buffer.from('kept'));
    expect(await codeOf((await sasFor('c')).getBlobClient('existing.txt').syncCopyFromURL(await source()))).toBe('403 AuthorizationPermissionMismatch');
    expect((await drop.getBlobClient('existing.txt').downloadToBuffer()).toString()).toBe('kept');
  });

  it('copies to a new blob with create permission alone', async () => {
    expect(await codeOf((await sasFor('c')).getBlobClient('created.txt').syncCopyFromURL(await source()))).toBe('succeeded');
  });

  it('overwrites an existing blob by copy with write permission', async () => {
    await drop.getBlockBlobClient('overwritten.txt').uploadData(Buffer.from('old'));
    await (await sasFor('w')).getBlobClient('overwritten.txt').syncCopyFromURL(await source());
    expect((await drop.getBlobClient('overwritten.txt').downloadToBuffer()).toString()).toBe('source');
  });

  it('refuses Put Blob over an existing blob with create permission alone', async () => {
    await drop.getBlockBlobClient('put-existing.txt').uploadData(Buffer.from('kept'));
    expect(await codeOf((await sasFor('c')).getBlockBlobClient('put-existing.txt').uploadData(Buffer.from('new')))).toBe('403 AuthorizationPermissionMismatch');
  });
});

describe('copies under limits.maxStoredBytes', () => {
  it('refuses with 507 InsufficientStorage a copy that would go past the cap, and writes nothing', async () => {
    const capped = await startService((c) => new BlobService(c), { limits: { maxStoredBytes: 1500 } });
    try {
      const box = new BlobServiceClient(capped.url, credential, noRetry).getContainerClient('box');
      await box.create();
      await box.getBlockBlobClient('one.bin').uploadData(SECRET);
      expect(await codeOf(box.getBlobClient('two.bin').syncCopyFromURL(box.getBlockBlobClient('one.bin').url))).toBe('507 InsufficientStorage');
      expect(await codeOf(box.getBlockBlobClient('three.bin').stageBlockFromURL('YmxvY2sx', box.getBlockBlobClient('one.bin').url))).toBe('507 InsufficientStorage');
      expect(await box.getBlobClient('two.bin').exists()).toBe(false);
    } finally {
      await capped.service.stop();
    }
  });
});
