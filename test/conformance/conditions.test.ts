import { conformance } from './harness/conformance.js';
import { newBlob, newContainer } from './harness/fixtures.js';
import { attempt } from './harness/observe.js';

const STALE_ETAG = '"0x8D000000000DEAD"';
const seconds = (date: Date, delta: number) => new Date(date.getTime() + delta * 1000);

conformance('conditional requests', (scenario) => {
  scenario('every write changes the ETag and reads keep it', async (client, names) => {
    const blob = await newBlob(client, names);
    const etags = [(await blob.getProperties()).etag];
    await blob.download();
    etags.push((await blob.getProperties()).etag);
    await blob.setMetadata({ a: 'b' });
    etags.push((await blob.getProperties()).etag);
    await blob.setHTTPHeaders({ blobContentType: 'text/plain' });
    etags.push((await blob.getProperties()).etag);
    await blob.upload('new', 3);
    etags.push((await blob.getProperties()).etag);
    return {
      readKeepsEtag: etags[0] === etags[1],
      distinctAfterWrites: new Set(etags.slice(1)).size,
      quoted: etags.every((e) => /^".+"$/.test(e ?? '')),
    };
  });

  scenario('If-Match with the current ETag reads and writes', async (client, names) => {
    const blob = await newBlob(client, names);
    const { etag } = await blob.getProperties();
    return {
      read: await attempt(() => blob.download(0, undefined, { conditions: { ifMatch: etag } })),
      write: await attempt(() => blob.setMetadata({ ok: '1' }, { conditions: { ifMatch: etag } })),
    };
  });

  scenario('If-Match with a stale ETag answers 412 ConditionNotMet', async (client, names) => {
    const blob = await newBlob(client, names);
    return {
      read: await attempt(() => blob.download(0, undefined, { conditions: { ifMatch: STALE_ETAG } })),
      head: await attempt(() => blob.getProperties({ conditions: { ifMatch: STALE_ETAG } })),
      write: await attempt(() => blob.setMetadata({ no: '1' }, { conditions: { ifMatch: STALE_ETAG } })),
      upload: await attempt(() => blob.upload('x', 1, { conditions: { ifMatch: STALE_ETAG } })),
      delete: await attempt(() => blob.delete({ conditions: { ifMatch: STALE_ETAG } })),
    };
  });

  scenario(
    'If-Match "*" succeeds on an existing blob and answers 412 on a missing one',
    async (client, names) => {
      const container = await newContainer(client, names);
      const existing = container.getBlockBlobClient(names.blob());
      await existing.upload('x', 1);
      const missing = container.getBlockBlobClient(names.blob());
      return {
        existing: await attempt(() => existing.upload('y', 1, { conditions: { ifMatch: '*' } })),
        missing: await attempt(() => missing.upload('y', 1, { conditions: { ifMatch: '*' } })),
        missingCreated: await missing.exists(),
      };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations',
        // Azurite treats "*" as always matching and creates the blob.
        quote:
          'The Blob service follows the HTTP/1.1 protocol specification for conditional headers. ' +
          '(RFC 9110 13.1.1: If-Match "*" is false if the origin server has no current representation; the server responds 412.)',
        expected: (azurite) => ({
          ...azurite,
          missing: { status: 412, code: 'ConditionNotMet', errorCode: 'ConditionNotMet' },
          missingCreated: false,
        }),
      },
    },
  );

  scenario('If-None-Match with the current ETag answers 304 on reads', async (client, names) => {
    const blob = await newBlob(client, names);
    const { etag } = await blob.getProperties();
    return {
      download: await attempt(() => blob.download(0, undefined, { conditions: { ifNoneMatch: etag } })),
      head: await attempt(() => blob.getProperties({ conditions: { ifNoneMatch: etag } })),
      otherEtag: await attempt(() => blob.getProperties({ conditions: { ifNoneMatch: STALE_ETAG } })),
    };
  });

  scenario('If-None-Match with the current ETag answers 412 on writes', async (client, names) => {
    const blob = await newBlob(client, names);
    const { etag } = await blob.getProperties();
    return { write: await attempt(() => blob.setMetadata({ a: 'b' }, { conditions: { ifNoneMatch: etag } })) };
  });

  scenario('If-None-Match "*" creates a missing blob but refuses to overwrite (409 BlobAlreadyExists)', async (client, names) => {
    const container = await newContainer(client, names);
    const blob = container.getBlockBlobClient(names.blob());
    return {
      create: await attempt(() => blob.upload('first', 5, { conditions: { ifNoneMatch: '*' } })),
      overwrite: await attempt(() => blob.upload('second', 6, { conditions: { ifNoneMatch: '*' } })),
      text: (await blob.downloadToBuffer()).toString(),
    };
  });

  scenario('If-Modified-Since answers 304 for reads when unchanged since then', async (client, names) => {
    const blob = await newBlob(client, names);
    const { lastModified } = await blob.getProperties();
    return {
      sameInstant: await attempt(() => blob.download(0, undefined, { conditions: { ifModifiedSince: lastModified } })),
      before: await attempt(() => blob.download(0, undefined, { conditions: { ifModifiedSince: seconds(lastModified!, -60) } })),
      head: await attempt(() => blob.getProperties({ conditions: { ifModifiedSince: seconds(lastModified!, 60) } })),
    };
  });

  scenario('If-Modified-Since answers 412 for writes when unchanged since then', async (client, names) => {
    const blob = await newBlob(client, names);
    const { lastModified } = await blob.getProperties();
    return {
      write: await attempt(() => blob.setMetadata({ a: 'b' }, { conditions: { ifModifiedSince: seconds(lastModified!, 60) } })),
      writeBefore: await attempt(() => blob.setMetadata({ a: 'c' }, { conditions: { ifModifiedSince: seconds(lastModified!, -60) } })),
    };
  });

  scenario('If-Unmodified-Since answers 412 when the blob changed after that time', async (client, names) => {
    const blob = await newBlob(client, names);
    const { lastModified } = await blob.getProperties();
    return {
      read: await attempt(() => blob.download(0, undefined, { conditions: { ifUnmodifiedSince: seconds(lastModified!, -60) } })),
      write: await attempt(() => blob.setMetadata({ a: 'b' }, { conditions: { ifUnmodifiedSince: seconds(lastModified!, -60) } })),
      readAfter: await attempt(() => blob.download(0, undefined, { conditions: { ifUnmodifiedSince: seconds(lastModified!, 60) } })),
      sameInstant: await attempt(() => blob.setMetadata({ a: 'c' }, { conditions: { ifUnmodifiedSince: lastModified } })),
    };
  });

  scenario(
    'conditions on a missing blob are ignored: reads answer 404 BlobNotFound',
    async (client, names) => {
      const container = await newContainer(client, names);
      const blob = container.getBlockBlobClient(names.blob());
      return {
        ifMatch: await attempt(() => blob.download(0, undefined, { conditions: { ifMatch: STALE_ETAG } })),
        ifNoneMatch: await attempt(() => blob.getProperties({ conditions: { ifNoneMatch: STALE_ETAG } })),
      };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations',
        // Azurite evaluates If-Match against the missing blob and answers 412.
        quote:
          'The Blob service follows the HTTP/1.1 protocol specification for conditional headers. (RFC 9110 13.2.1: a server MUST ignore ' +
          'all received preconditions if its response to the same request without those conditions would have been a status code other than 2xx or 412.)',
        expected: (azurite) => ({ ...azurite, ifMatch: { status: 404, code: 'BlobNotFound', errorCode: 'BlobNotFound' } }),
      },
    },
  );

  scenario('container delete honours If-Modified-Since and If-Unmodified-Since', async (client, names) => {
    const container = await newContainer(client, names);
    const { lastModified } = await container.getProperties();
    return {
      notModified: await attempt(() => container.delete({ conditions: { ifModifiedSince: seconds(lastModified!, 60) } })),
      modifiedBefore: await attempt(() => container.delete({ conditions: { ifUnmodifiedSince: seconds(lastModified!, -60) } })),
      exists: await container.exists(),
    };
  });
});
