import { ContainerSASPermissions } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { clearRequests, requests, resetLocalZure } from '../../../src/index.js';
import { uniqueName, useControlRuntime } from './support.js';

const lz = useControlRuntime();

describe('request journal', () => {
  it('shows that exactly one blob was uploaded, with its content type and size', async () => {
    const env = await lz.worker('j1');
    const container = lz.blobClient(env).getContainerClient(uniqueName('photos'));
    await container.create();
    await container.getBlockBlobClient('cat.png').uploadData(Buffer.alloc(1234, 7), { blobHTTPHeaders: { blobContentType: 'image/png' } });

    const puts = await requests({ service: 'blob', operation: 'PutBlob' }, env);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({
      service: 'blob',
      namespace: env.account.name,
      operation: 'PutBlob',
      method: 'PUT',
      path: `/${container.containerName}/cat.png`,
      status: 201,
      requestSize: 1234,
      headers: { 'x-ms-blob-content-type': 'image/png', 'x-ms-blob-type': 'BlockBlob' },
    });
    expect(puts[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(puts[0]!.time)).not.toBeNaN();
  });

  it("records Azure's operation names in the order the client sent them", async () => {
    const env = await lz.worker('j2');
    const container = lz.blobClient(env).getContainerClient(uniqueName('docs'));
    await container.create();
    const blob = container.getBlockBlobClient('a.txt');
    await blob.upload('hello', 5);
    await blob.download();
    await blob.getProperties();
    for await (const _ of container.listBlobsFlat()) void _;
    await blob.delete();

    expect((await requests({}, env)).map((r) => r.operation)).toEqual([
      'CreateContainer',
      'PutBlob',
      'GetBlob',
      'GetBlobProperties',
      'ListBlobs',
      'DeleteBlob',
    ]);
  });

  it('names staged uploads PutBlock and PutBlockList', async () => {
    const env = await lz.worker('j3');
    const container = lz.blobClient(env).getContainerClient(uniqueName('big'));
    await container.create();
    await container.getBlockBlobClient('big.bin').uploadData(Buffer.alloc(3 * 1024, 1), { maxSingleShotSize: 1024, blockSize: 1024 });

    const operations = (await requests({}, env)).map((r) => r.operation);
    expect(operations.filter((o) => o === 'PutBlock')).toHaveLength(3);
    expect(operations.at(-1)).toBe('PutBlockList');
  });

  it('records failures with their status and Azure error code', async () => {
    const env = await lz.worker('j4');
    const container = lz.blobClient(env).getContainerClient(uniqueName('missing'));
    await expect(container.getBlockBlobClient('nope.txt').download()).rejects.toMatchObject({ statusCode: 404 });

    const [failed] = await requests({ status: '4xx' }, env);
    expect(failed).toMatchObject({ operation: 'GetBlob', status: 404, errorCode: 'ContainerNotFound' });
    expect(await requests({ status: 404 }, env)).toHaveLength(1);
    expect(await requests({ status: '2xx' }, env)).toEqual([]);
  });

  it('keeps each account to its own requests', async () => {
    const [mine, theirs] = [await lz.worker('j5'), await lz.worker('j6')];
    await lz.blobClient(mine).getContainerClient(uniqueName('mine')).create();
    await lz.blobClient(theirs).getContainerClient(uniqueName('theirs')).create();

    const seen = await requests({}, mine);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.namespace).toBe(mine.account.name);
  });

  it("is emptied by the account's reset and by clearRequests, not by another account's reset", async () => {
    const [mine, theirs] = [await lz.worker('j7'), await lz.worker('j8')];
    await lz.blobClient(mine).getContainerClient(uniqueName('kept')).create();
    await lz.blobClient(theirs).getContainerClient(uniqueName('gone')).create();

    await resetLocalZure(undefined, theirs);
    expect(await requests({}, theirs)).toEqual([]);
    expect(await requests({}, mine)).toHaveLength(1);
    await clearRequests(mine);
    expect(await requests({}, mine)).toEqual([]);
  });

  it('never records the signature of a SAS', async () => {
    const env = await lz.worker('j9');
    const container = lz.blobClient(env).getContainerClient(uniqueName('sas'));
    await container.create();
    const url = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('rl'), expiresOn: new Date(Date.now() + 60_000) });
    await fetch(`${url}&comp=list&restype=container`);

    const [listed] = await requests({ operation: 'ListBlobs' }, env);
    expect(listed!.status).toBe(200);
    expect(listed!.query).toContain('sig=REDACTED');
    expect(listed!.headers.authorization).toBeUndefined();
  });

  it('answers the control API with filters, and refuses a status that is not one', async () => {
    const env = await lz.worker('j10');
    await lz.blobClient(env).getContainerClient(uniqueName('api')).create();
    const url = `${env.controlUrl}/_localzure/requests?namespace=${env.account.name}&operation=createcontainer&service=blob`;
    const page = (await (await fetch(url)).json()) as { requests: unknown[]; dropped: number; capacity: number };
    expect(page).toMatchObject({ dropped: 0, capacity: 1000 });
    expect(page.requests).toHaveLength(1);

    const bad = await fetch(`${env.controlUrl}/_localzure/requests?status=teapot`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('InvalidInput');
  });
});

describe('request journal capacity', () => {
  const small = useControlRuntime({ journalCapacity: 3 });

  it('drops the oldest requests past the cap and counts them', async () => {
    const env = await small.worker('c1');
    const container = small.blobClient(env).getContainerClient(uniqueName('cap'));
    await container.create();
    for (const name of ['1', '2', '3', '4']) await container.getBlockBlobClient(name).upload(name, 1);

    const page = await small.control.requests({ namespace: env.account.name });
    expect(page.capacity).toBe(3);
    expect(page.dropped).toBe(2);
    expect(page.requests.map((r) => r.path)).toEqual([2, 3, 4].map((n) => `/${container.containerName}/${n}`));
  });
});
