import { BlobServiceClient } from '@azure/storage-blob';
import { withHost } from '../hosts.mjs';
import { alternate, percentile, sequential } from '../stats.mjs';

const UPLOADS = 1000;
const DOWNLOADS = 200;
const BODY = Buffer.alloc(1024, 's');

async function readAll(stream) {
  let length = 0;
  for await (const chunk of stream) length += chunk.length;
  return length;
}

function latencyRows(row, op, count) {
  return {
    rate: row(`sdk.${op}.rate`, { title: `SDK: ${count} sequential 1 KiB ${op}s`, unit: 'ops/s', better: 'higher', target: 1 }),
    p50: row(`sdk.${op}.p50`, { title: `SDK: 1 KiB ${op} p50`, unit: 'ms', better: 'lower' }),
    p99: row(`sdk.${op}.p99`, { title: `SDK: 1 KiB ${op} p99`, unit: 'ms', better: 'lower' }),
  };
}

function record(rows, side, { latencies, totalMs }) {
  rows.rate.add(side, (latencies.length / totalMs) * 1000);
  rows.p50.add(side, percentile(latencies, 50));
  rows.p99.add(side, percentile(latencies, 99));
}

/** 1000 sequential 1 KiB uploads, then 200 downloads of them, through @azure/storage-blob. */
export default async function sdkThroughput({ rounds, row }) {
  const uploads = latencyRows(row, 'upload', UPLOADS);
  const downloads = latencyRows(row, 'download', DOWNLOADS);
  await withHost('localzure', 'blob', (lz) =>
    withHost('azurite', 'blob', async (az) => {
      const clients = {
        localzure: BlobServiceClient.fromConnectionString(lz.connectionString),
        azurite: BlobServiceClient.fromConnectionString(az.connectionString),
      };
      await alternate(Object.keys(clients), rounds, async (side, round) => {
        const container = clients[side].getContainerClient(`sdk-${round + 1}`);
        await container.create();
        const blob = (i) => container.getBlockBlobClient(`blob-${i}`);
        const up = await sequential(UPLOADS, (i) => blob(i).upload(BODY, BODY.length));
        const down = await sequential(DOWNLOADS, async (i) => {
          const length = await readAll((await blob(i * 5).download()).readableStreamBody);
          if (length !== BODY.length) throw new Error(`${side} returned ${length} bytes`);
        });
        if (round < 0) return;
        record(uploads, side, up);
        record(downloads, side, down);
      });
    }),
  );
}
