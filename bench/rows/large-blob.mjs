import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { withHost } from '../hosts.mjs';
import { MiB, alternate, time } from '../stats.mjs';

/**
 * One large upload (uploadData) and download (downloadToBuffer) against a
 * fresh emulator process; returns MiB/s both ways and the process's memory.
 */
export async function transfer(kind, data) {
  return withHost(kind, 'blob', async (host) => {
    const container = BlobServiceClient.fromConnectionString(host.connectionString).getContainerClient('large');
    await container.create();
    // Warm-up: the same path once with 1 MiB, in every fresh process alike.
    const warm = container.getBlockBlobClient('warm-up');
    await warm.uploadData(data.subarray(0, MiB));
    await warm.downloadToBuffer();
    const before = await host.call('memory');
    const blob = container.getBlockBlobClient('large');
    const uploadMs = await time(() => blob.uploadData(data));
    const held = await host.call('memory');
    let copy;
    const downloadMs = await time(async () => (copy = await blob.downloadToBuffer()));
    if (!copy.equals(data)) throw new Error(`${kind} returned different bytes`);
    const after = await host.call('memory');
    const size = data.length / MiB;
    return { uploadMiBs: size / (uploadMs / 1000), downloadMiBs: size / (downloadMs / 1000), baseRss: before.rss, heldRss: held.rss, peakRss: after.maxRss };
  });
}

/** 64 MiB through uploadData/downloadToBuffer; each emulator in its own fresh process per round. */
export default async function largeBlob({ rounds, row }) {
  const up = row('large.upload', { title: '64 MiB uploadData', unit: 'MiB/s', better: 'higher', target: 1 });
  const down = row('large.download', { title: '64 MiB downloadToBuffer', unit: 'MiB/s', better: 'higher', target: 1 });
  const peak = row('large.peak', { title: '64 MiB up+down: emulator process peak RSS', unit: 'MiB', better: 'lower', target: 1 });
  const data = randomBytes(64 * MiB);
  await alternate(
    ['localzure', 'azurite'],
    rounds,
    async (side) => {
      const result = await transfer(side, data);
      up.add(side, result.uploadMiBs);
      down.add(side, result.downloadMiBs);
      peak.add(side, result.peakRss / MiB);
    },
    { warmup: false },
  );
}
