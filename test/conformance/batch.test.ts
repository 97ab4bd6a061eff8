import type { BlobBatchSubmitBatchResponse } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { newContainer } from './harness/fixtures.js';
import { attempt, withStatus } from './harness/observe.js';

const perSubrequest = withStatus((r: BlobBatchSubmitBatchResponse) => ({
  subResponses: r.subResponses.map((s) => ({ status: s.status, errorCode: s.errorCode })),
  succeeded: r.subResponsesSucceededCount,
  failed: r.subResponsesFailedCount,
}));

conformance('blob batch', (scenario) => {
  scenario('a delete batch answers each subrequest, a missing blob with 404', async (client, names) => {
    const container = await newContainer(client, names);
    const present = container.getBlockBlobClient(names.blob());
    await present.upload('x', 1);
    const missing = container.getBlobClient(names.blob());
    const batch = await attempt(() => client.getBlobBatchClient().deleteBlobs([present.url, missing.url], client.credential), perSubrequest);
    return { batch, exists: await present.exists() };
  });

  scenario('a container-scoped set-tier batch changes every tier', async (client, names) => {
    const container = await newContainer(client, names);
    const blobs = [container.getBlockBlobClient(names.blob()), container.getBlockBlobClient(names.blob())];
    for (const b of blobs) await b.upload('x', 1);
    const batch = await attempt(() => container.getBlobBatchClient().setBlobsAccessTier(blobs, 'Cool'), perSubrequest);
    return { batch, tiers: await Promise.all(blobs.map(async (b) => (await b.getProperties()).accessTier)) };
  });
});
