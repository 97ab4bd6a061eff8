import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableServiceClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteService } from '../support/azurite.js';

// The oracle is only as good as its isolation: it must write nothing to disk
// and give its port back, or parallel test files would see each other.

/** What Azurite leaves in the working directory when it persists to disk. */
const azuriteFiles = () => readdirSync(process.cwd()).filter((f) => /^__azurite|^__(blob|queue|table)storage__|^debug\.log$/.test(f));

function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const roundTrips: Record<AzuriteService, (connectionString: string) => Promise<unknown>> = {
  blob: async (cs) => {
    const blob = BlobServiceClient.fromConnectionString(cs).getContainerClient('oracle').getBlockBlobClient('kept.txt');
    await blob.uploadData(Buffer.from('in memory'));
    return (await blob.downloadToBuffer()).toString();
  },
  queue: async (cs) => {
    const queue = QueueServiceClient.fromConnectionString(cs).getQueueClient('oracle');
    await queue.create();
    await queue.sendMessage('in memory');
    return (await queue.receiveMessages()).receivedMessageItems[0]?.messageText;
  },
  table: async (cs) => {
    const service = TableServiceClient.fromConnectionString(cs, { allowInsecureConnection: true });
    await service.createTable('oracle');
    const tables = [];
    for await (const t of service.listTables()) tables.push(t.name);
    return tables.includes('oracle') ? 'in memory' : tables.join();
  },
};

describe('Azurite oracle', () => {
  for (const service of ['blob', 'queue', 'table'] as const) {
    it(`${service} keeps data in memory, writes no files and frees its port on stop`, async () => {
      const azurite = await startAzurite(service);
      expect(azurite.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      if (service === 'blob') await BlobServiceClient.fromConnectionString(azurite.connectionString).createContainer('oracle');
      expect(await roundTrips[service](azurite.connectionString)).toBe('in memory');
      await azurite.stop();
      expect(await accepts(azurite.url)).toBe(false);
      expect(azuriteFiles()).toEqual([]);
    });
  }

  it('keeps two blob instances apart', async () => {
    const [first, second] = await Promise.all([startAzurite('blob'), startAzurite('blob')]);
    try {
      await BlobServiceClient.fromConnectionString(first.connectionString).createContainer('only-in-first');
      const exists = await BlobServiceClient.fromConnectionString(second.connectionString).getContainerClient('only-in-first').exists();
      expect(exists).toBe(false);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
