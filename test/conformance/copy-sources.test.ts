import { AnonymousCredential, BlobSASPermissions, ContainerClient, ContainerSASPermissions, type BlobClient } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { blockId, newBlob, newContainer } from './harness/fixtures.js';
import { attempt, withStatus } from './harness/observe.js';
import type { AzuriteDifference, Observation } from './harness/scenario.js';
import { PIPELINE } from './harness/targets.js';

const inAnHour = () => new Date(Date.now() + 3_600_000);
const readableUrl = (blob: BlobClient) => blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inAnHour() });
const containerSas = async (container: ContainerClient, permissions: string) =>
  new ContainerClient(await container.generateSasUrl({ permissions: ContainerSASPermissions.parse(permissions), expiresOn: inAnHour() }), new AnonymousCredential(), PIPELINE);

/** Azurite answers 501 APINotImplemented to these From URL writes; Azure writes the source range. */
function fromUrlImplemented(reference: string, quote: string, azure: Observation): AzuriteDifference {
  return { reference, quote, expected: () => azure };
}

// Put Block, Append Block and Upload Pages From URL, and SAS permissions on copies.
conformance('copy sources and From URL writes', (scenario) => {
  scenario('stageBlockFromURL stages the source range, committed as the blob', async (client, names) => {
    const source = await newBlob(client, names, '0123456789abcdef');
    const target = client.getContainerClient(source.containerName).getBlockBlobClient(names.blob());
    const staged = await attempt(() => target.stageBlockFromURL(blockId(1), source.url, 4, 8));
    const committed = await attempt(() => target.commitBlockList([blockId(1)]));
    return { staged, committed, text: await attempt(() => target.downloadToBuffer(), (bytes) => ({ text: bytes.toString() })) };
  }, {
    knownAzuriteDifference: fromUrlImplemented(
      'https://learn.microsoft.com/rest/api/storageservices/put-block-from-url',
      'The Put Block From URL operation creates a new block to be committed as part of a blob where the contents are read from a URL. [...] x-ms-source-range: Uploads only the bytes of the blob in the source URL in the specified range.',
      { staged: { status: 201 }, committed: { status: 201 }, text: { text: '456789ab' } },
    ),
  });

  scenario('appendBlockFromURL appends the source range at the append offset', async (client, names) => {
    const source = await newBlob(client, names, '0123456789abcdef');
    const target = client.getContainerClient(source.containerName).getAppendBlobClient(names.blob());
    await target.create();
    await target.appendBlock('head-', 5);
    const appended = await attempt(() => target.appendBlockFromURL(source.url, 10, 6), withStatus((r) => ({ offset: r.blobAppendOffset, count: r.blobCommittedBlockCount })));
    return { appended, text: (await target.downloadToBuffer()).toString() };
  }, {
    knownAzuriteDifference: fromUrlImplemented(
      'https://learn.microsoft.com/rest/api/storageservices/append-block-from-url',
      'The Append Block From URL operation commits a new block of data to the end of an existing append blob. [...] x-ms-source-range: Uploads only the bytes of the blob in the source URL in the specified range.',
      { appended: { status: 201, offset: '5', count: 2 }, text: 'head-abcdef' },
    ),
  });

  scenario('uploadPagesFromURL writes the source range to the pages', async (client, names) => {
    const source = await newBlob(client, names, 'p'.repeat(1024));
    const target = client.getContainerClient(source.containerName).getPageBlobClient(names.blob());
    await target.create(1024);
    const written = await attempt(() => target.uploadPagesFromURL(source.url, 512, 0, 512));
    const pages = await target.downloadToBuffer();
    return { written, first: pages.subarray(0, 512).toString(), rest: pages.subarray(512).equals(Buffer.alloc(512)) };
  }, {
    knownAzuriteDifference: fromUrlImplemented(
      'https://learn.microsoft.com/rest/api/storageservices/put-page-from-url',
      'The Put Page From URL operation writes a range of pages to a page blob where the contents are read from a URL. [...] x-ms-source-range: Uploads only the bytes of the blob in the source URL in the specified range.',
      { written: { status: 201 }, first: 'p'.repeat(512), rest: true },
    ),
  });

  scenario('a service SAS for a container cannot read the container properties', async (client, names) => {
    const container = await newContainer(client, names);
    return { properties: await attempt(async () => (await containerSas(container, 'racwdl')).getProperties()) };
  });

  scenario('a SAS on the source URL is its credential even under Shared Key of its account: without read the copy fails', async (client, names) => {
    const source = await newBlob(client, names, 'source');
    const writeOnly = await source.generateSasUrl({ permissions: BlobSASPermissions.parse('w'), expiresOn: inAnHour() });
    const target = client.getContainerClient(source.containerName).getBlobClient('target');
    return {
      withoutRead: await attempt(async () => (await target.beginCopyFromURL(writeOnly)).pollUntilDone()),
      withRead: await attempt(async () => (await target.beginCopyFromURL(await readableUrl(source))).pollUntilDone(), (r) => ({ copyStatus: r.copyStatus })),
    };
  });

  scenario('a SAS with create alone cannot overwrite a blob by copy', async (client, names) => {
    const source = await newBlob(client, names, 'source');
    const container = client.getContainerClient(source.containerName);
    await container.getBlockBlobClient('existing').upload('kept', 4);
    const sourceUrl = await readableUrl(source);
    const copy = await attempt(async () => (await containerSas(container, 'c')).getBlobClient('existing').syncCopyFromURL(sourceUrl));
    return { copy, text: (await container.getBlobClient('existing').downloadToBuffer()).toString() };
  });

  scenario('a SAS with create alone copies to a new blob', async (client, names) => {
    const source = await newBlob(client, names, 'source');
    const container = client.getContainerClient(source.containerName);
    const sourceUrl = await readableUrl(source);
    const copy = await attempt(async () => (await containerSas(container, 'c')).getBlobClient('fresh').syncCopyFromURL(sourceUrl), withStatus((r) => ({ copyStatus: r.copyStatus })));
    return { copy, text: (await container.getBlobClient('fresh').downloadToBuffer()).toString() };
  });
});
