import { BlobServiceClient } from '@azure/storage-blob';
import { expect, it } from 'vitest';
import { useLocalZure } from 'localzure/vitest';
import { uploads } from '../src/app.js';

const env = useLocalZure();

it("configures the app at import time with this worker's account", async () => {
  await uploads.save('from-app.txt', 'saved through the shared instance');
  const mine = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('uploads');
  expect((await mine.getBlobClient('from-app.txt').downloadToBuffer()).toString()).toBe('saved through the shared instance');
});
