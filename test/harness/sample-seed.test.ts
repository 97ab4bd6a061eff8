import { BlobServiceClient } from '@azure/storage-blob';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withLocalZure, type Environment } from '../../src/index.js';

// The sample seed shipped under fixtures/, loaded the way a user would: by folder, through the built-in blob service.
const lz = withLocalZure(['blob'], { seed: fileURLToPath(new URL('../../fixtures/seed/', import.meta.url)) });
let env: Environment;
beforeAll(async () => {
  env = await lz.setup();
});
afterAll(() => lz.teardown());

it('loads one container per folder under blob/, with nested paths as blob names', async () => {
  const blobs = BlobServiceClient.fromConnectionString(env.connectionString);
  const containers: string[] = [];
  for await (const container of blobs.listContainers()) containers.push(container.name);
  expect(containers).toEqual(['images', 'samples']);
  const names: string[] = [];
  for await (const blob of blobs.getContainerClient('samples').listBlobsFlat()) names.push(blob.name);
  expect(names).toEqual(['docs/guide.md', 'hello.txt']);
});

it('gives seeded blobs a content type from their extension', async () => {
  const logo = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('images').getBlobClient('logo.svg');
  expect((await logo.getProperties()).contentType).toBe('image/svg+xml');
});
