import { randomBytes } from 'node:crypto';
import {
  AccountSASPermissions,
  AnonymousCredential,
  BlobSASPermissions,
  BlobServiceClient,
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  BlockBlobClient,
} from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { errorOf, noRetry, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

const inOneHour = () => new Date(Date.now() + 3_600_000);

async function containerWithBlob(access?: 'blob' | 'container') {
  const container = blob.client.getContainerClient(uniqueName('auth'));
  await container.create(access ? { access } : {});
  const client = container.getBlockBlobClient('secret.txt');
  await client.upload('top secret', 10);
  return { container, client };
}

describe('Shared Key', () => {
  it('refuses a request signed with the wrong key with 403 AuthenticationFailed', async () => {
    const wrongKey = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, randomBytes(64).toString('base64'));
    const client = new BlobServiceClient(blob.url, wrongKey, noRetry);
    expect(await errorOf(client.getContainerClient(uniqueName('x')).create())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('refuses an account the emulator does not know', async () => {
    const url = blob.url.replace(DEFAULT_ACCOUNT.name, 'nosuchaccount');
    const client = new BlobServiceClient(url, new StorageSharedKeyCredential('nosuchaccount', DEFAULT_ACCOUNT.key), noRetry);
    expect(await errorOf(client.getContainerClient(uniqueName('x')).create())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('serves an account added while running, with its own key and its own data', async () => {
    const account = { name: `acct${randomBytes(4).toString('hex')}`, key: randomBytes(64).toString('base64') };
    blob.namespaces.add(account);
    const url = blob.url.replace(DEFAULT_ACCOUNT.name, account.name);
    const client = new BlobServiceClient(url, new StorageSharedKeyCredential(account.name, account.key), noRetry);
    const name = uniqueName('own');
    await client.getContainerClient(name).create();
    expect(await client.getContainerClient(name).exists()).toBe(true);
    expect(await blob.client.getContainerClient(name).exists()).toBe(false);
  });

  it('signs query parameters and special characters in names correctly', async () => {
    const { container } = await containerWithBlob();
    const name = 'a b/c+d=e&f?g#h%i.txt';
    await container.getBlockBlobClient(name).upload('x', 1, { metadata: { spaced: '  two  spaces  ' } });
    const items = [];
    for await (const item of container.listBlobsFlat({ prefix: 'a b/', includeMetadata: true })) items.push(item.name);
    expect(items).toEqual([name]);
  });
});

describe('service SAS', () => {
  it('reads a blob through a read SAS', async () => {
    const { client } = await containerWithBlob();
    const url = await client.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
    expect((await new BlockBlobClient(url, new AnonymousCredential(), noRetry).downloadToBuffer()).toString()).toBe('top secret');
  });

  it('refuses a write through a read-only SAS with 403 AuthorizationPermissionMismatch', async () => {
    const { client } = await containerWithBlob();
    const url = await client.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
    expect(await errorOf(new BlockBlobClient(url, new AnonymousCredential(), noRetry).upload('x', 1))).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
  });

  it('refuses a SAS whose permissions were tampered with', async () => {
    const { client } = await containerWithBlob();
    const url = await client.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inOneHour() });
    const tampered = url.replace('sp=r', 'sp=rw');
    expect(await errorOf(new BlockBlobClient(tampered, new AnonymousCredential(), noRetry).upload('x', 1))).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('refuses a SAS once the service clock passes its expiry', async () => {
    const { client } = await containerWithBlob();
    const url = await client.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(blob.clock.now() + 60_000) });
    const sasClient = new BlockBlobClient(url, new AnonymousCredential(), noRetry);
    await expect(sasClient.getProperties()).resolves.toBeDefined();
    blob.clock.advance(120_000);
    expect(await errorOf(sasClient.getProperties())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('refuses a SAS before its start time', async () => {
    const { client } = await containerWithBlob();
    const url = await client.generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      startsOn: new Date(blob.clock.now() + 3_600_000),
      expiresOn: new Date(blob.clock.now() + 7_200_000),
    });
    expect(await errorOf(new BlockBlobClient(url, new AnonymousCredential(), noRetry).download())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('lists and writes through a container SAS', async () => {
    const { container } = await containerWithBlob();
    const url = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('rwl'), expiresOn: new Date(blob.clock.now() + 3_600_000) });
    const sasContainer = new ContainerClient(url, new AnonymousCredential(), noRetry);
    await sasContainer.getBlockBlobClient('via-sas.txt').upload('x', 1);
    const names = [];
    for await (const item of sasContainer.listBlobsFlat()) names.push(item.name);
    expect(names).toEqual(['secret.txt', 'via-sas.txt']);
  });

  it('does not let a blob SAS reach another blob', async () => {
    const { client, container } = await containerWithBlob();
    await container.getBlockBlobClient('other.txt').upload('o', 1);
    const url = await client.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(blob.clock.now() + 3_600_000) });
    const other = url.replace('/secret.txt?', '/other.txt?');
    expect(await errorOf(new BlockBlobClient(other, new AnonymousCredential(), noRetry).download())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });

  it('takes permissions and expiry from a stored access policy', async () => {
    const { container, client } = await containerWithBlob();
    await container.setAccessPolicy(undefined, [
      { id: 'readers', accessPolicy: { permissions: 'r', expiresOn: new Date(blob.clock.now() + 3_600_000) } },
    ]);
    const url = await client.generateSasUrl({ identifier: 'readers' });
    const sasClient = new BlockBlobClient(url, new AnonymousCredential(), noRetry);
    expect((await sasClient.downloadToBuffer()).toString()).toBe('top secret');
    expect(await errorOf(sasClient.upload('x', 1))).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
  });

  it('refuses a SAS naming a stored access policy that does not exist', async () => {
    const { client } = await containerWithBlob();
    const url = await client.generateSasUrl({ identifier: 'nobody' });
    expect(await errorOf(new BlockBlobClient(url, new AnonymousCredential(), noRetry).download())).toEqual({ statusCode: 403, code: 'AuthenticationFailed' });
  });
});

describe('account SAS', () => {
  it('lists containers and reads blobs with an account SAS', async () => {
    const { container } = await containerWithBlob();
    const url = blob.client.generateAccountSasUrl(new Date(blob.clock.now() + 3_600_000), AccountSASPermissions.parse('rl'), 'sco');
    const sasClient = new BlobServiceClient(url, new AnonymousCredential(), noRetry);
    const names = [];
    for await (const c of sasClient.listContainers({ prefix: container.containerName })) names.push(c.name);
    expect(names).toEqual([container.containerName]);
    expect((await sasClient.getContainerClient(container.containerName).getBlobClient('secret.txt').downloadToBuffer()).toString()).toBe('top secret');
  });

  it('refuses a resource type the SAS does not cover with AuthorizationResourceTypeMismatch', async () => {
    const url = blob.client.generateAccountSasUrl(new Date(blob.clock.now() + 3_600_000), AccountSASPermissions.parse('rl'), 'o');
    const sasClient = new BlobServiceClient(url, new AnonymousCredential(), noRetry);
    expect(await errorOf(sasClient.listContainers().next())).toEqual({ statusCode: 403, code: 'AuthorizationResourceTypeMismatch' });
  });

  it('refuses an operation the SAS does not permit with AuthorizationPermissionMismatch', async () => {
    const url = blob.client.generateAccountSasUrl(new Date(blob.clock.now() + 3_600_000), AccountSASPermissions.parse('r'), 'sco');
    const sasClient = new BlobServiceClient(url, new AnonymousCredential(), noRetry);
    expect(await errorOf(sasClient.getContainerClient(uniqueName('nope')).create())).toEqual({ statusCode: 403, code: 'AuthorizationPermissionMismatch' });
  });
});

describe('anonymous access', () => {
  const anonymous = () => new BlobServiceClient(blob.url, new AnonymousCredential(), noRetry);

  it('reads a blob in a container with blob-level public access', async () => {
    const { container } = await containerWithBlob('blob');
    const client = anonymous().getContainerClient(container.containerName).getBlobClient('secret.txt');
    expect((await client.downloadToBuffer()).toString()).toBe('top secret');
  });

  it('lists a container with container-level public access', async () => {
    const { container } = await containerWithBlob('container');
    const names = [];
    for await (const item of anonymous().getContainerClient(container.containerName).listBlobsFlat()) names.push(item.name);
    expect(names).toEqual(['secret.txt']);
  });

  it('does not list a container with only blob-level public access', async () => {
    const { container } = await containerWithBlob('blob');
    expect(await errorOf(anonymous().getContainerClient(container.containerName).listBlobsFlat().next())).toEqual({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });

  it('answers 404 ResourceNotFound for a blob in a private container', async () => {
    const { container } = await containerWithBlob();
    const client = anonymous().getContainerClient(container.containerName).getBlobClient('secret.txt');
    expect(await errorOf(client.download())).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('refuses anonymous writes even to a public container', async () => {
    const { container } = await containerWithBlob('container');
    const client = anonymous().getContainerClient(container.containerName).getBlockBlobClient('new.txt');
    expect((await errorOf(client.upload('x', 1))).statusCode).toBe(404);
  });
});
