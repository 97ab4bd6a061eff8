import type { BlobGetPropertiesResponse } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { newBlob, newContainer } from './harness/fixtures.js';
import { attempt, withStatus } from './harness/observe.js';

const tierOf = withStatus((p: BlobGetPropertiesResponse) => ({ accessTier: p.accessTier, inferred: p.accessTierInferred, archiveStatus: p.archiveStatus }));

conformance('access tiers', (scenario) => {
  scenario('a new block blob is Hot by inference; Set Blob Tier makes it explicit', async (client, names) => {
    const blob = await newBlob(client, names);
    const before = await attempt(() => blob.getProperties(), tierOf);
    const set = await attempt(() => blob.setAccessTier('Cool'));
    return { before, set, after: await attempt(() => blob.getProperties(), tierOf) };
  });

  scenario('an upload with a tier keeps it', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('cold', 4, { tier: 'Cold' });
    return { properties: await attempt(() => blob.getProperties(), tierOf) };
  });

  scenario('an archived blob refuses downloads with 409 BlobArchived', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.setAccessTier('Archive');
    return { download: await attempt(() => blob.download()), properties: await attempt(() => blob.getProperties(), tierOf) };
  });

  scenario(
    'leaving Archive answers 202 and the blob stays archived while it rehydrates',
    async (client, names) => {
      const blob = await newBlob(client, names);
      await blob.setAccessTier('Archive');
      return { rehydrate: await attempt(() => blob.setAccessTier('Hot')), properties: await attempt(() => blob.getProperties(), tierOf) };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/azure/storage/blobs/archive-rehydrate-overview',
        quote:
          'Rehydrate overview: "During rehydration, the blob\'s access tier remains archive until rehydration is complete ... you can check the x-ms-archive-status property": Azurite moves the tier at once.',
        expected: (azurite) => ({ ...azurite, properties: { status: 200, accessTier: 'Archive', inferred: false, archiveStatus: 'rehydrate-pending-to-hot' } }),
      },
    },
  );

  scenario('tiers of page and append blobs are refused with 400', async (client, names) => {
    const container = await newContainer(client, names);
    const page = container.getPageBlobClient(names.blob());
    await page.create(512);
    const append = container.getAppendBlobClient(names.blob());
    await append.create();
    return { pageHot: await attempt(() => page.setAccessTier('Hot')), appendCool: await attempt(() => append.setAccessTier('Cool')), pageP10: await attempt(() => page.setAccessTier('P10')) };
  });
});
