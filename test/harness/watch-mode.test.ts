import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, expect, it } from 'vitest';
import { ControlClient, withLocalZure, workerEnvironment } from '../../src/index.js';
import { quietLogger } from './support.js';

const lz = withLocalZure(['blob'], { logger: quietLogger, seed: { blob: { seeded: { 'a.txt': 'from the seed' } } } });
afterAll(() => lz.teardown());

it("empties every account before a watch-mode rerun and re-seeds it, keeping the emulators that are up", async () => {
  const reruns: (() => Promise<void>)[] = [];
  const base = await lz.setup({ provide() {}, onTestsRerun: (handler) => void reruns.push(handler) });
  const worker = workerEnvironment(base, '3');
  await new ControlClient(base.controlUrl).registerNamespace(worker.account);
  const clients = [base, worker].map((env) => BlobServiceClient.fromConnectionString(env.connectionString));
  for (const blobs of clients) await blobs.getContainerClient('left-over').create();

  expect(reruns).toHaveLength(1);
  await reruns[0]!();

  for (const blobs of clients) {
    const names: string[] = [];
    for await (const container of blobs.listContainers()) names.push(container.name);
    expect(names).toEqual(['seeded']);
  }
  expect(lz.environment.endpoints.blob).toBe(base.endpoints.blob);
});
