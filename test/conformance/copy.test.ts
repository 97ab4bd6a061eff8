import { createHash } from 'node:crypto';
import { BlobSASPermissions, type BlobClient, type BlobGetPropertiesResponse } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { newBlob, newContainer } from './harness/fixtures.js';
import { attempt, blobProperties, withStatus } from './harness/observe.js';
import type { AzuriteDifference } from './harness/scenario.js';

/** Copy properties without the copy id, source URL (holds the port) and times. */
const copied = withStatus((p: BlobGetPropertiesResponse) => ({
  ...blobProperties(p),
  copyProgress: p.copyProgress,
  hasCopyId: Boolean(p.copyId),
}));

/** A read SAS for the source: Copy Blob From URL needs the source authorized on its own. */
const readableUrl = (blob: BlobClient) =>
  blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) });

/**
 * A copy reads its source as a client would; Azure reports a source it cannot
 * read as CannotVerifyCopySource, where Azurite answers the source's own
 * BlobNotFound as if the target were missing.
 */
function cannotVerifyCopySource(reference: string): AzuriteDifference {
  return {
    reference,
    quote:
      'Blob error codes: "CannotVerifyCopySource" (the source could not be read); seen on Azure as ' +
      '"HTTP status code=404. ErrorCode: CannotVerifyCopySource" (github.com/Azure/azure-storage-python/issues/604).',
    expected: (azurite) => ({ ...azurite, copy: { status: 404, code: 'CannotVerifyCopySource', errorCode: 'CannotVerifyCopySource' } }),
  };
}

conformance('copy', (scenario) => {
  scenario('syncCopyFromURL copies content, headers and metadata within a container', async (client, names) => {
    const source = await newBlob(client, names, 'copy me');
    await source.setHTTPHeaders({ blobContentType: 'text/plain', blobContentLanguage: 'en' });
    await source.setMetadata({ origin: 'source' });
    const target = client.getContainerClient(source.containerName).getBlockBlobClient(names.blob());
    const sourceUrl = await readableUrl(source);
    return {
      copy: await attempt(() => target.syncCopyFromURL(sourceUrl), withStatus((r) => ({ copyStatus: r.copyStatus }))),
      properties: await attempt(() => target.getProperties(), copied),
      text: (await target.downloadToBuffer()).toString(),
    };
  });

  scenario('syncCopyFromURL with metadata replaces the source metadata', async (client, names) => {
    const source = await newBlob(client, names, 'copy me');
    await source.setMetadata({ origin: 'source' });
    const target = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await target.syncCopyFromURL(await readableUrl(source), { metadata: { origin: 'target' } });
    return { metadata: (await target.getProperties()).metadata };
  });

  scenario(
    'syncCopyFromURL from a missing source answers 404 CannotVerifyCopySource',
    async (client, names) => {
      const container = await newContainer(client, names);
      const target = container.getBlockBlobClient(names.blob());
      const missingSource = await readableUrl(container.getBlobClient(names.blob()));
      return { copy: await attempt(() => target.syncCopyFromURL(missingSource)), exists: await target.exists() };
    },
    { knownAzuriteDifference: cannotVerifyCopySource('https://learn.microsoft.com/rest/api/storageservices/copy-blob-from-url') },
  );

  scenario('beginCopyFromURL to another container completes with copy status success', async (client, names) => {
    const source = await newBlob(client, names, 'async copy');
    await source.setMetadata({ origin: 'source' });
    const target = (await newContainer(client, names)).getBlobClient(names.blob());
    const poller = await target.beginCopyFromURL(source.url, { intervalInMs: 10 });
    const result = await poller.pollUntilDone();
    return {
      result: { copyStatus: result.copyStatus, hasCopyId: Boolean(result.copyId) },
      properties: await attempt(() => target.getProperties(), copied),
      text: (await target.downloadToBuffer()).toString(),
    };
  });

  scenario('beginCopyFromURL overwrites an existing target', async (client, names) => {
    const source = await newBlob(client, names, 'new content');
    const target = await newBlob(client, names, 'old content that is longer');
    await (await target.beginCopyFromURL(source.url, { intervalInMs: 10 })).pollUntilDone();
    return { text: (await target.downloadToBuffer()).toString(), length: (await target.getProperties()).contentLength };
  });

  scenario(
    'beginCopyFromURL from a missing source answers 404 CannotVerifyCopySource',
    async (client, names) => {
      const container = await newContainer(client, names);
      const target = container.getBlobClient(names.blob());
      const missing = container.getBlobClient(names.blob()).url;
      return {
        copy: await attempt(
          async () => (await target.beginCopyFromURL(missing, { intervalInMs: 10 })).pollUntilDone(),
          (r) => ({ copyStatus: r.copyStatus }),
        ),
      };
    },
    { knownAzuriteDifference: cannotVerifyCopySource('https://learn.microsoft.com/rest/api/storageservices/copy-blob') },
  );

  scenario('copying a snapshot restores its content over the base blob', async (client, names) => {
    const blob = await newBlob(client, names, 'original');
    const { snapshot } = await blob.createSnapshot();
    await blob.upload('changed', 7);
    await (await blob.beginCopyFromURL(blob.withSnapshot(snapshot!).url, { intervalInMs: 10 })).pollUntilDone();
    return { text: (await blob.downloadToBuffer()).toString() };
  });

  scenario('a copy onto a leased target needs the lease id', async (client, names) => {
    const source = await newBlob(client, names, 'source');
    const target = await newBlob(client, names, 'target');
    await target.getBlobLeaseClient('a1b2c3d4-0000-4000-8000-000000000003').acquireLease(-1);
    return { copy: await attempt(async () => target.syncCopyFromURL(await readableUrl(source))) };
  });

  scenario('a copy of an append blob snapshot keeps its committed block count', async (client, names) => {
    const container = await newContainer(client, names);
    const source = container.getAppendBlobClient(names.blob());
    await source.create();
    await source.appendBlock('one', 3);
    await source.appendBlock('two', 3);
    const { snapshot } = await source.createSnapshot();
    const asyncTarget = container.getAppendBlobClient(names.blob());
    await (await asyncTarget.beginCopyFromURL(source.withSnapshot(snapshot!).url, { intervalInMs: 10 })).pollUntilDone();
    const syncTarget = container.getAppendBlobClient(names.blob());
    await syncTarget.syncCopyFromURL(await readableUrl(source.withSnapshot(snapshot!)));
    const count = async (blob: typeof source) => (await blob.getProperties()).blobCommittedBlockCount;
    return { async: await count(asyncTarget), sync: await count(syncTarget) };
  });

  scenario('syncCopyFromURL with copySourceTags COPY takes the source tags, and refuses tags of its own', async (client, names) => {
    const source = await newBlob(client, names, 'tagged');
    await source.setTags({ team: 'storage' });
    const target = client.getContainerClient(source.containerName).getBlockBlobClient(names.blob());
    const url = await readableUrl(source);
    await target.syncCopyFromURL(url, { copySourceTags: 'COPY' });
    const copied = (await target.getTags()).tags;
    await target.syncCopyFromURL(url);
    return {
      copied,
      replaced: (await target.getTags()).tags,
      both: await attempt(() => target.syncCopyFromURL(url, { copySourceTags: 'COPY', tags: { own: 'tag' } })),
    };
  });

  scenario('syncCopyFromURL with the source MD5 echoes it as Content-MD5', async (client, names) => {
    const source = await newBlob(client, names, 'hash me');
    const target = client.getContainerClient(source.containerName).getBlockBlobClient(names.blob());
    const md5 = createHash('md5').update('hash me').digest();
    const result = await target.syncCopyFromURL(await readableUrl(source), { sourceContentMD5: md5 });
    return { contentMd5: result.contentMD5 && Buffer.from(result.contentMD5).toString('base64') };
  }, {
    knownAzuriteDifference: {
      reference: 'https://learn.microsoft.com/rest/api/storageservices/copy-blob-from-url#response-headers',
      quote: 'Content-MD5: "This response header is returned so that the client can check for the integrity of the copied content. This header is only returned if the source content MD5 was specified." (Azurite 3.36 echoes it; 3.35 does not.)',
      expected: () => ({ contentMd5: createHash('md5').update('hash me').digest('base64') }),
    },
  });
});
