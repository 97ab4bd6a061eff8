import { BlobServiceClient } from '@azure/storage-blob';
import { withHost } from '../hosts.mjs';
import { alternate, pooled, time } from '../stats.mjs';

const CONTAINERS = 50;
const BLOBS = 20;
const BODY = Buffer.alloc(1024, 'r');

async function populate(client) {
  await pooled(CONTAINERS, 8, (c) => client.getContainerClient(`reset-${c}`).create());
  await pooled(CONTAINERS * BLOBS, 16, (i) =>
    client.getContainerClient(`reset-${i % CONTAINERS}`).getBlockBlobClient(`blob-${i}`).upload(BODY, BODY.length),
  );
}

async function assertEmpty(client, what) {
  for await (const container of client.listContainers()) throw new Error(`${what} left container ${container.name} behind`);
}

/** Per-test reset with 50 containers × 20 blobs present. */
export default async function reset({ rounds, row }) {
  const title = `Reset, ${CONTAINERS} containers × ${BLOBS} blobs`;
  const viaRestart = row('reset.restart', { title: `${title}: control API vs Azurite close+clean+restart`, unit: 'ms', better: 'lower', target: 10 });
  const viaSdk = row('reset.sdk', { title: `${title}: control API vs Azurite SDK list+delete`, unit: 'ms', better: 'lower', target: 50 });
  const inProcess = row('reset.in-process', { title: `${title}: in-process resetAll vs Azurite restart, both timed inside the emulator process`, unit: 'ms', better: 'lower' });
  viaRestart.note('Azurite restart time is measured inside its own process (close, clean, new server listening on the same port); LocalZure time is the client-side POST /_localzure/reset round trip (fetch), as resetLocalZure() does it.');
  await withHost('localzure', 'blob', (lz) =>
    withHost('azurite', 'blob', async (az) => {
      const lzClient = BlobServiceClient.fromConnectionString(lz.connectionString);
      const azClient = BlobServiceClient.fromConnectionString(az.connectionString);
      // Each way of emptying the emulator, the side it belongs to, and the rows it feeds.
      const ways = {
        'localzure-control-api': {
          client: lzClient,
          rows: [viaRestart, viaSdk],
          reset: () =>
            time(async () => {
              const response = await fetch(`${lz.controlUrl}/_localzure/reset`, { method: 'POST' });
              const body = await response.text();
              if (!response.ok) throw new Error(`reset answered ${response.status}: ${body}`);
            }),
        },
        'localzure-in-process': { client: lzClient, rows: [inProcess], reset: async () => (await lz.call('reset')).ms },
        'azurite-restart': { client: azClient, rows: [viaRestart, inProcess], reset: async () => (await az.call('restart')).ms },
        'azurite-sdk': {
          client: azClient,
          rows: [viaSdk],
          reset: () =>
            time(async () => {
              const names = [];
              for await (const container of azClient.listContainers()) names.push(container.name);
              await Promise.all(names.map((name) => azClient.getContainerClient(name).delete()));
            }),
        },
      };
      await alternate(Object.keys(ways), rounds, async (name, round) => {
        const way = ways[name];
        await populate(way.client);
        const ms = await way.reset();
        await assertEmpty(way.client, name);
        if (round < 0) return;
        for (const r of way.rows) r.add(name.startsWith('localzure') ? 'localzure' : 'azurite', ms);
      });
    }),
  );
}
