import { conformance } from './harness/conformance.js';
import { newBlob, newContainer } from './harness/fixtures.js';
import { attempt } from './harness/observe.js';

// Soft delete and versioning as an account without them answers: both emulators start with both off.
conformance('soft delete and versions, switched off', (scenario) => {
  scenario('without soft delete a delete is permanent and include=deleted lists nothing', async (client, names) => {
    const blob = await newBlob(client, names);
    const deleted = await blob.delete();
    const listed = [];
    for await (const item of client.getContainerClient(blob.containerName).listBlobsFlat({ includeDeleted: true, includeVersions: true })) listed.push(item.name);
    return { permanent: deleted._response.headers.get('x-ms-delete-type-permanent'), listed };
  });

  scenario('the delete retention policy set is the one read back', async (client) => {
    await client.setProperties({ deleteRetentionPolicy: { enabled: true, days: 5 } });
    const set = (await client.getProperties()).deleteRetentionPolicy;
    await client.setProperties({ deleteRetentionPolicy: { enabled: false } });
    return { set: { enabled: set?.enabled, days: set?.days }, after: (await client.getProperties()).deleteRetentionPolicy?.enabled };
  });

  scenario(
    'undelete of a live blob succeeds',
    async (client, names) => {
      const blob = await newBlob(client, names);
      return { undelete: await attempt(() => blob.undelete()), text: (await blob.downloadToBuffer()).toString() };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/undelete-blob',
        quote: 'If the blob has no snapshots and is not soft deleted, then calling Undelete Blob will succeed without any changes.',
        // Azurite has no Undelete Blob (501 APINotImplemented).
        expected: (azurite) => ({ ...azurite, undelete: { status: 200 } }),
      },
    },
  );

  scenario('include=deleted without soft delete lists no deleted containers', async (client, names) => {
    const container = await newContainer(client, names);
    await container.delete();
    const found = [];
    for await (const item of client.listContainers({ includeDeleted: true, prefix: names.prefix })) found.push(item.name);
    return { found };
  });
});
