import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { importLocalZure } from '../package.mjs';
import { pooled, time } from '../stats.mjs';

const ITEMS = 1000;
const RESTORES = 20;

/** Restoring a baseline of 1,000 blobs, 1,000 queue messages and 1,000 table entities. */
export default async function snapshotRestore({ rounds, row }) {
  const title = `Snapshot restore, ${ITEMS} blobs + ${ITEMS} messages + ${ITEMS} entities`;
  const inside = row('snapshot.restore', { title: `${title}: inside the emulator`, unit: 'ms', better: 'lower', limit: 2 });
  const api = row('snapshot.restore.api', { title: `${title}: restore() over the control API`, unit: 'ms', better: 'lower' });
  inside.note('Timed in the emulator process: every running service restoring the namespace, as POST /_localzure/snapshots/<name> does; no Azurite equivalent. Each round changes part of the data before restoring.');
  const { LocalZureRuntime, buildEnvironment, restore, snapshot } = await importLocalZure();
  const runtime = new LocalZureRuntime({ logger: { info() {}, warn() {}, error() {} } });
  await runtime.start(['blob', 'queue', 'table']);
  try {
    const env = buildEnvironment(runtime);
    const container = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('baseline');
    const queue = QueueServiceClient.fromConnectionString(env.connectionString).getQueueClient('baseline');
    const table = TableClient.fromConnectionString(env.connectionString, 'baseline', { allowInsecureConnection: true });
    await Promise.all([container.create(), queue.create(), table.createTable()]);
    await pooled(ITEMS, 16, (i) => container.getBlockBlobClient(`blob-${i}`).upload('x'.repeat(100), 100));
    await pooled(ITEMS, 16, (i) => queue.sendMessage(`message-${i}`));
    await pooled(ITEMS, 16, (i) => table.createEntity({ partitionKey: 'p', rowKey: `r${i}`, value: i }));
    await snapshot('baseline', env);
    const captured = Object.fromEntries(await Promise.all(runtime.services.map(async (name) => [name, await runtime.manager.getService(name).captureNamespace(env.account.name)])));
    for (let round = -1; round < rounds; round++) {
      const insideMs = [];
      const apiMs = [];
      for (let i = 0; i < RESTORES; i++) {
        await container.getBlockBlobClient('blob-0').upload('changed', 7);
        insideMs.push(
          await time(async () => {
            for (const name of [...runtime.services].reverse()) await runtime.manager.getService(name).restoreNamespace(env.account.name, captured[name]);
          }),
        );
        apiMs.push(await time(() => restore('baseline', env)));
      }
      if (round < 0) continue;
      insideMs.sort((a, b) => a - b);
      apiMs.sort((a, b) => a - b);
      inside.add('localzure', insideMs[RESTORES / 2]);
      api.add('localzure', apiMs[RESTORES / 2]);
    }
  } finally {
    await runtime.stop();
  }
}
