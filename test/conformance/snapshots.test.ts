import type { ContainerClient } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { newBlob } from './harness/fixtures.js';
import { attempt, blobProperties, withStatus } from './harness/observe.js';
import type { Observation } from './harness/scenario.js';

/**
 * What a listing with snapshots holds, sorted: where the base blob sits among
 * its snapshots is left to the listing scenarios (Azurite orders them by
 * insertion), here only what survives counts.
 */
async function versionsOf(container: ContainerClient): Promise<string[]> {
  const listed = [];
  for await (const b of container.listBlobsFlat({ includeSnapshots: true })) listed.push(b.snapshot ? `${b.name}@snapshot` : b.name);
  return listed.sort();
}

conformance('snapshots', (scenario) => {
  scenario('a snapshot keeps the content and metadata of the moment it was taken', async (client, names) => {
    const blob = await newBlob(client, names, 'version one');
    await blob.setMetadata({ version: '1' });
    const { snapshot } = await blob.createSnapshot();
    await blob.upload('version two!', 12, { metadata: { version: '2' } });
    const snap = blob.withSnapshot(snapshot!);
    return {
      snapshotIsTimestamp: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/.test(snapshot ?? ''),
      snapshotText: (await snap.downloadToBuffer()).toString(),
      snapshotProperties: await attempt(() => snap.getProperties(), withStatus(blobProperties)),
      baseText: (await blob.downloadToBuffer()).toString(),
    };
  });

  scenario('the tags of a snapshot are those the blob had when it was taken', async (client, names) => {
    const blob = await newBlob(client, names, 'tagged');
    await blob.setTags({ stage: 'draft' });
    const { snapshot } = await blob.createSnapshot();
    await blob.setTags({ stage: 'final' });
    return {
      snapshotTags: await attempt(() => blob.withSnapshot(snapshot!).getTags(), (r) => ({ tags: r.tags })),
      baseTags: await attempt(() => blob.getTags(), (r) => ({ tags: r.tags })),
    };
  });

  scenario('createSnapshot with metadata gives the snapshot that metadata only', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.setMetadata({ base: 'yes' });
    const { snapshot } = await blob.createSnapshot({ metadata: { snap: 'yes' } });
    return {
      snapshot: (await blob.withSnapshot(snapshot!).getProperties()).metadata,
      base: (await blob.getProperties()).metadata,
    };
  });

  scenario('deleting a blob that has snapshots without an option answers 409 SnapshotsPresent', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.createSnapshot();
    return { delete: await attempt(() => blob.delete()), exists: await blob.exists() };
  });

  scenario('delete with snapshots "include" removes the blob and its snapshots', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.createSnapshot();
    await blob.createSnapshot();
    const container = client.getContainerClient(blob.containerName);
    return {
      before: await versionsOf(container),
      delete: await attempt(() => blob.delete({ deleteSnapshots: 'include' })),
      after: await versionsOf(container),
    };
  });

  scenario('delete with snapshots "only" removes the snapshots and keeps the blob', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.createSnapshot();
    const container = client.getContainerClient(blob.containerName);
    return {
      delete: await attempt(() => blob.delete({ deleteSnapshots: 'only' })),
      after: await versionsOf(container),
    };
  });

  scenario('a single snapshot can be deleted on its own', async (client, names) => {
    const blob = await newBlob(client, names);
    const first = await blob.createSnapshot();
    await blob.createSnapshot();
    const container = client.getContainerClient(blob.containerName);
    return {
      delete: await attempt(() => blob.withSnapshot(first.snapshot!).delete()),
      after: await versionsOf(container),
      deletedAgain: await attempt(() => blob.withSnapshot(first.snapshot!).getProperties()),
    };
  });

  scenario(
    'a snapshot cannot take metadata or HTTP headers',
    async (client, names) => {
      const blob = await newBlob(client, names);
      const snap = blob.withSnapshot((await blob.createSnapshot()).snapshot!);
      // Only the status: the reference says "not modified" but names no error code.
      const statusOf = async (op: () => Promise<unknown>) => ((await attempt(op)) as Observation).status;
      return {
        setMetadata: await statusOf(() => snap.setMetadata({ a: 'b' })),
        setHeaders: await statusOf(() => snap.setHTTPHeaders({ blobContentType: 'text/plain' })),
        snapshotMetadata: (await snap.getProperties()).metadata,
        baseMetadata: (await blob.getProperties()).metadata,
        baseContentType: (await blob.getProperties()).contentType,
      };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/creating-a-snapshot-of-a-blob',
        // Azurite answers 200 and applies the change to the base blob instead.
        quote: 'A snapshot is a read-only version of a blob ... After a snapshot is created, it can be read, copied, or deleted, but not modified.',
        expected: () => ({ setMetadata: 400, setHeaders: 400, snapshotMetadata: {}, baseMetadata: {}, baseContentType: 'application/octet-stream' }),
      },
    },
  );

  scenario('snapshotting a missing blob answers 404 BlobNotFound', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    return { snapshot: await attempt(() => container.getBlobClient(names.blob()).createSnapshot()) };
  });

  scenario('reading a snapshot that never existed answers 404 BlobNotFound', async (client, names) => {
    const blob = await newBlob(client, names);
    return { properties: await attempt(() => blob.withSnapshot('2001-01-01T00:00:00.0000000Z').getProperties()) };
  });
});
