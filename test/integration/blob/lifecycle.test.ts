import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterEach, describe, expect, it } from 'vitest';
import { PortInUseError } from '../../../src/core/errors.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import type { ServiceContext } from '../../../src/core/service.js';
import BlobServiceDefault, { BlobService } from '../../../src/services/blob/index.js';
import { BlobSeedError } from '../../../src/services/blob/seed.js';
import { noRetry } from './support.js';

const started: BlobService[] = [];

async function start(context: Partial<ServiceContext> = {}): Promise<BlobService> {
  const service = new BlobService(context);
  started.push(service);
  await service.start();
  return service;
}

function clientFor(service: BlobService, account = DEFAULT_ACCOUNT): BlobServiceClient {
  return new BlobServiceClient(service.getEndpoint(account)!.url, new StorageSharedKeyCredential(account.name, account.key), noRetry);
}

async function blobNames(client: BlobServiceClient): Promise<string[]> {
  const names: string[] = [];
  for await (const container of client.listContainers()) {
    for await (const item of client.getContainerClient(container.name).listBlobsFlat()) names.push(`${container.name}/${item.name}`);
  }
  return names;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe('BlobService lifecycle', () => {
  it('is the default export too', () => {
    expect(BlobServiceDefault).toBe(BlobService);
  });

  it('reports its name and the bound port in its metadata', async () => {
    const service = await start();
    const metadata = service.getMetadata();
    expect(metadata.name).toBe('blob');
    expect(metadata.dependencies).toEqual([]);
    expect(metadata.port).toBeGreaterThan(0);
    expect(service.getEndpoint(DEFAULT_ACCOUNT)).toEqual({
      url: `http://127.0.0.1:${metadata.port}/${DEFAULT_ACCOUNT.name}`,
      connectionStringKey: 'BlobEndpoint',
    });
  });

  it('works through a connection string built from its endpoint', async () => {
    const service = await start();
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEFAULT_ACCOUNT.name};AccountKey=${DEFAULT_ACCOUNT.key};BlobEndpoint=${service.getEndpoint(DEFAULT_ACCOUNT)!.url};`;
    const client = BlobServiceClient.fromConnectionString(connectionString, noRetry);
    await client.getContainerClient('from-connection-string').create();
    expect(await client.getContainerClient('from-connection-string').exists()).toBe(true);
  });

  it('throws PortInUseError when its fixed port is taken', async () => {
    const first = await start();
    const port = first.getMetadata().port!;
    const second = new BlobService({ port });
    const failure = await second.start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PortInUseError);
    expect((failure as PortInUseError).code).toBe('LZ_PORT_IN_USE');
    await second.stop();
  });

  it('reports healthy while running', async () => {
    const service = await start();
    expect((await service.health()).status).toBe('healthy');
  });
});

describe('reset', () => {
  it('empties one account and leaves the others', async () => {
    const other = { name: 'resetother', key: DEFAULT_ACCOUNT.key };
    const namespaces = new NamespaceRegistry([DEFAULT_ACCOUNT, other]);
    const service = await start({ namespaces });
    await clientFor(service).getContainerClient('kept-or-not').create();
    await clientFor(service, other).getContainerClient('kept-or-not').create();
    await service.reset('resetother');
    expect(await clientFor(service).getContainerClient('kept-or-not').exists()).toBe(true);
    expect(await clientFor(service, other).getContainerClient('kept-or-not').exists()).toBe(false);
  });

  it('empties every account when none is named', async () => {
    const service = await start();
    await clientFor(service).getContainerClient('wiped').create();
    await service.reset();
    expect(await clientFor(service).getContainerClient('wiped').exists()).toBe(false);
  });
});

describe('seed', () => {
  it('loads the seed folder with content types by extension', async () => {
    const service = await start({ seed: { dir: resolve('fixtures/seed') } });
    await service.seed();
    const client = clientFor(service);
    expect((await blobNames(client)).sort()).toEqual(['images/logo.svg', 'samples/docs/guide.md', 'samples/hello.txt']);
    const hello = client.getContainerClient('samples').getBlockBlobClient('hello.txt');
    expect((await hello.downloadToBuffer()).toString()).toBe('Hello from the LocalZure sample seed.\n');
    expect((await hello.getProperties()).contentType).toBe('text/plain');
  });

  it('loads inline seed data into the named account and again after a reset', async () => {
    const other = { name: 'seedother', key: DEFAULT_ACCOUNT.key };
    const service = await start({ namespaces: new NamespaceRegistry([DEFAULT_ACCOUNT, other]), seed: { data: { blob: { docs: { 'a/b.json': '{"x":1}' } } } } });
    await service.seed('seedother');
    expect(await blobNames(clientFor(service, other))).toEqual(['docs/a/b.json']);
    expect(await blobNames(clientFor(service))).toEqual([]);
    await service.reset('seedother');
    await service.seed('seedother');
    const seeded = clientFor(service, other).getContainerClient('docs').getBlockBlobClient('a/b.json');
    expect((await seeded.getProperties()).contentType).toBe('application/json');
  });

  describe('with files outside the seed folder', () => {
    let dir: string | undefined;
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('refuses a link that leads out of the seed folder', async () => {
      dir = await mkdtemp(join(tmpdir(), 'lz-seed-'));
      await mkdir(join(dir, 'seed', 'blob', 'box'), { recursive: true });
      await writeFile(join(dir, 'secret.txt'), 'outside');
      await symlink(join(dir, 'secret.txt'), join(dir, 'seed', 'blob', 'box', 'escape.txt'));
      const service = await start({ seed: { dir: join(dir, 'seed') } });
      await expect(service.seed()).rejects.toBeInstanceOf(BlobSeedError);
    });

    it('refuses a blob folder that links out of the seed folder', async () => {
      dir = await mkdtemp(join(tmpdir(), 'lz-seed-'));
      await mkdir(join(dir, 'elsewhere', 'box'), { recursive: true });
      await writeFile(join(dir, 'elsewhere', 'box', 'secret.txt'), 'outside');
      await mkdir(join(dir, 'seed'));
      await symlink(join(dir, 'elsewhere'), join(dir, 'seed', 'blob'));
      const service = await start({ seed: { dir: join(dir, 'seed') } });
      await expect(service.seed()).rejects.toBeInstanceOf(BlobSeedError);
    });
  });

  describe('with links that loop', () => {
    let dir: string | undefined;
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function seedWithLink(target: (blob: string) => string, link: string): Promise<string> {
      dir = await mkdtemp(join(tmpdir(), 'lz-seed-loop-'));
      const blob = join(dir, 'blob');
      await mkdir(join(blob, 'box'), { recursive: true });
      await writeFile(join(blob, 'box', 'a.txt'), 'a');
      await symlink(target(blob), join(blob, link));
      return dir;
    }

    it('refuses a folder that links back to the blob folder with LZ_INVALID_SEED', async () => {
      const service = await start({ seed: { dir: await seedWithLink((blob) => blob, 'box/up') } });
      await expect(service.seed()).rejects.toMatchObject({ name: 'BlobSeedError', code: 'LZ_INVALID_SEED', message: expect.stringMatching(/must not loop/) });
    });

    it('refuses a folder that links back to the folder holding it', async () => {
      const service = await start({ seed: { dir: await seedWithLink(() => '.', 'box/here') } });
      await expect(service.seed()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED', message: expect.stringMatching(/must not loop/) });
    });

    it('refuses a link that leads back to itself', async () => {
      const service = await start({ seed: { dir: await seedWithLink((blob) => join(blob, 'box', 'self'), 'box/self') } });
      await expect(service.seed()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED', message: expect.stringMatching(/loops back on itself/) });
    });

    it('refuses a link that leads nowhere', async () => {
      const service = await start({ seed: { dir: await seedWithLink((blob) => join(blob, 'missing'), 'box/gone') } });
      await expect(service.seed()).rejects.toMatchObject({ code: 'LZ_INVALID_SEED', message: expect.stringMatching(/leads nowhere/) });
    });

    it('stores nothing from a seed it refuses', async () => {
      const seed = await seedWithLink((blob) => blob, 'box/up');
      await mkdir(join(seed, 'blob', 'aaa'));
      await writeFile(join(seed, 'blob', 'aaa', 'first.txt'), 'walked before the loop');
      const service = await start({ seed: { dir: seed } });
      await expect(service.seed()).rejects.toBeInstanceOf(BlobSeedError);
      expect(await blobNames(clientFor(service))).toEqual([]);
    });
  });

  it('refuses an inline seed container with an invalid name', async () => {
    const service = await start({ seed: { data: { blob: { Bad_Name: { x: 'y' } } } } });
    await expect(service.seed()).rejects.toThrow(BlobSeedError);
  });
});
