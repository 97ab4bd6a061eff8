import { AnonymousCredential, BlobSASPermissions, BlobServiceClient, BlockBlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidAccountsError, LocalZureRuntime, parseAzuriteAccounts } from '../../../src/index.js';
import { errorOf, noRetry, uniqueName } from './support.js';

const OTHER = { name: 'otheraccount', key: Buffer.from('the other account key').toString('base64'), secondaryKey: Buffer.from('its second key').toString('base64') };

describe('more than one account', () => {
  let runtime: LocalZureRuntime;
  let primary: BlobServiceClient;
  let other: BlobServiceClient;

  beforeAll(async () => {
    runtime = new LocalZureRuntime({ accounts: [OTHER] });
    await runtime.start(['blob']);
    const base = runtime.endpoints().blob!.url.replace(/\/devstoreaccount1$/, '');
    primary = new BlobServiceClient(`${base}/devstoreaccount1`, new StorageSharedKeyCredential(runtime.account.name, runtime.account.key), noRetry);
    other = new BlobServiceClient(`${base}/${OTHER.name}`, new StorageSharedKeyCredential(OTHER.name, OTHER.key), noRetry);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('serves the accounts option next to the default account, each with its own key', async () => {
    const container = other.getContainerClient(uniqueName('other'));
    await container.create();
    expect(await primary.getContainerClient(container.containerName).exists()).toBe(false);
    const wrongKey = new BlobServiceClient(other.url, new StorageSharedKeyCredential(OTHER.name, runtime.account.key), noRetry);
    expect(await errorOf(wrongKey.getProperties())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('verifies requests and SAS signed with the account\'s second key', async () => {
    const second = new StorageSharedKeyCredential(OTHER.name, OTHER.secondaryKey);
    const container = new BlobServiceClient(other.url, second, noRetry).getContainerClient(uniqueName('second'));
    await container.create();
    const blob = container.getBlockBlobClient('b');
    await blob.upload('signed', 6);
    const sasUrl = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) });
    expect((await new BlockBlobClient(sasUrl, new AnonymousCredential(), noRetry).downloadToBuffer()).toString()).toBe('signed');
  });

  it('copies across accounts with a SAS on the source', async () => {
    const source = other.getContainerClient(uniqueName('src'));
    await source.create();
    const blob = source.getBlockBlobClient('b');
    await blob.upload('cross', 5);
    const sasUrl = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) });
    const target = primary.getContainerClient(uniqueName('dst'));
    await target.create();
    await target.getBlockBlobClient('copy').syncCopyFromURL(sasUrl);
    expect((await target.getBlockBlobClient('copy').downloadToBuffer()).toString()).toBe('cross');
  });

  it('answers reads and Get Service Stats on <account>-secondary, and refuses writes there', async () => {
    const container = primary.getContainerClient(uniqueName('geo'));
    await container.create();
    await container.getBlockBlobClient('b').upload('replicated', 10);
    const secondary = new BlobServiceClient(primary.url.replace(/devstoreaccount1$/, 'devstoreaccount1-secondary'), new StorageSharedKeyCredential(runtime.account.name, runtime.account.key), noRetry);
    expect((await secondary.getContainerClient(container.containerName).getBlockBlobClient('b').downloadToBuffer()).toString()).toBe('replicated');
    expect((await secondary.getStatistics()).geoReplication?.status).toBe('live');
    expect(await errorOf(primary.getStatistics())).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
    expect(await errorOf(secondary.getContainerClient(uniqueName('nowrite')).create())).toEqual({ statusCode: 403, code: 'AuthorizationFailure' });
  });
});

describe('AZURITE_ACCOUNTS', () => {
  it('reads name:key pairs and a second key', () => {
    expect(parseAzuriteAccounts('account1:a2V5MQ==:c2Vjb25k;account2:a2V5Mg==;')).toEqual([
      { name: 'account1', key: 'a2V5MQ==', secondaryKey: 'c2Vjb25k' },
      { name: 'account2', key: 'a2V5Mg==' },
    ]);
  });

  it('reads keys as Azurite does, URL-safe alphabet and missing padding included, as the same bytes', () => {
    const [account] = parseAzuriteAccounts('account1:a2V5cw:testing_key');
    expect(Buffer.from(account!.key, 'base64')).toEqual(Buffer.from('a2V5cw', 'base64'));
    expect(Buffer.from(account!.secondaryKey!, 'base64')).toEqual(Buffer.from('testing_key', 'base64'));
  });

  it('refuses an entry without a key with LZ_INVALID_ACCOUNTS', () => {
    expect(() => parseAzuriteAccounts('lonely')).toThrow(InvalidAccountsError);
  });

  it('adds its accounts to a runtime started without the accounts option', async () => {
    process.env.AZURITE_ACCOUNTS = `${OTHER.name}:${OTHER.key}`;
    try {
      const runtime = new LocalZureRuntime();
      expect(runtime.namespaces.list().map((a) => a.name)).toEqual(['devstoreaccount1', OTHER.name]);
    } finally {
      delete process.env.AZURITE_ACCOUNTS;
    }
  });
});
