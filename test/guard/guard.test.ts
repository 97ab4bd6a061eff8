import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { isAzureHost } from '../../src/index.js';
import { guardedEmulators } from './guarded-emulators.js';

const lz = guardedEmulators();

const production = () =>
  new BlobServiceClient(`https://${lz.env.account.name}.blob.core.windows.net`, new StorageSharedKeyCredential(lz.env.account.name, lz.env.account.key), {
    retryOptions: { maxTries: 1 },
  });

describe('network guard', () => {
  it('fails an SDK call to a production storage URL at once, naming the URL and the emulator to use', async () => {
    const error = await production().getContainerClient('photos').create().then(() => undefined, (e: Error & { code?: string }) => e);
    expect(error?.code).toBe('LZ_REAL_AZURE_BLOCKED');
    expect(error?.message).toContain(`https://${lz.env.account.name}.blob.core.windows.net/photos?restype=container`);
    expect(error?.message).toContain('LOCALZURE_BLOB_ENDPOINT');
    expect(error?.message).toContain(lz.env.endpoints.blob!);
  });

  it('fails fetch calls to Azure sign-in and management hosts too', async () => {
    for (const url of ['https://login.microsoftonline.com/common/oauth2/v2.0/token', 'https://management.azure.com/subscriptions?api-version=2022-12-01']) {
      const error = await fetch(url).then(() => undefined, (e: Error) => e);
      expect(error?.cause ?? error).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
    }
  });

  it('lets requests to the emulator through', async () => {
    const container = BlobServiceClient.fromConnectionString(lz.env.connectionString).getContainerClient('guard-allowed');
    await container.create();
    await container.getBlockBlobClient('a.txt').upload('ok', 2);
    expect((await container.getBlockBlobClient('a.txt').downloadToBuffer()).toString()).toBe('ok');
  });

  it("leaves the user's own nock interceptors for other hosts working", async () => {
    nock('https://api.example.test').get('/orders/1').reply(200, { id: 1 });
    const response = await fetch('https://api.example.test/orders/1');
    expect(await response.json()).toEqual({ id: 1 });
  });

  it("lets the user's own nock interceptor for an Azure host answer: the request never leaves the process", async () => {
    nock('https://login.microsoftonline.com').post('/tenant/oauth2/v2.0/token').reply(200, { access_token: 'fake' });
    const response = await fetch('https://login.microsoftonline.com/tenant/oauth2/v2.0/token', { method: 'POST' });
    expect(await response.json()).toEqual({ access_token: 'fake' });
  });

  it('holds again after nock.cleanAll() once re-armed, as the harness does before every test', async () => {
    nock.cleanAll();
    lz.guard.arm();
    const error = await fetch('https://myaccount.queue.core.windows.net/jobs/messages').then(() => undefined, (e: Error) => e);
    expect(error?.cause ?? error).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
  });
});

describe('isAzureHost', () => {
  it('knows the public Azure API domains and nothing around them', () => {
    for (const host of ['acct.blob.core.windows.net', 'ns.servicebus.windows.net', 'db.documents.azure.com', 'management.azure.com', 'kv.vault.azure.net', 'login.microsoftonline.com', 'hub.azure-devices.net']) {
      expect(isAzureHost(host), host).toBe(true);
    }
    for (const host of ['127.0.0.1', 'localhost', 'example.com', 'notwindows.net', 'azure.com.evil.test']) {
      expect(isAzureHost(host), host).toBe(false);
    }
  });
});
