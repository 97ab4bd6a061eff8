import type { PageBlobClient } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { newBlob, newContainer } from './harness/fixtures.js';
import { attempt, blobProperties, withStatus } from './harness/observe.js';
import type { AzuriteDifference } from './harness/scenario.js';

const pages = (fill: string, count = 1) => Buffer.alloc(512 * count, fill);

/**
 * Azurite answers a range past the end with 416 but puts the status text
 * where the error code belongs ("Requested Range Not Satisfiable"), and a
 * range of a length that is no multiple of 512 with 400 InvalidOperation.
 */
function invalidPageRange(...steps: string[]): AzuriteDifference {
  const outcome = { status: 416, code: 'InvalidPageRange', errorCode: 'InvalidPageRange' };
  return {
    reference: 'https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes',
    quote: 'InvalidPageRange | Requested Range Not Satisfiable (416) | The page range specified is invalid.',
    expected: (azurite) => ({ ...azurite, ...Object.fromEntries(steps.map((step) => [step, outcome])) }),
  };
}

async function pageRanges(blob: PageBlobClient) {
  const ranges = [];
  for await (const page of blob.listPageRanges()) ranges.push({ start: page.start, end: page.end });
  return ranges;
}

conformance('append blobs', (scenario) => {
  scenario('appended blocks accumulate in order and are counted', async (client, names) => {
    const blob = (await newContainer(client, names)).getAppendBlobClient(names.blob('log'));
    return {
      create: await attempt(() => blob.create({ blobHTTPHeaders: { blobContentType: 'text/plain' } })),
      first: await attempt(() => blob.appendBlock('line 1\n', 7), withStatus((r) => ({ offset: r.blobAppendOffset, count: r.blobCommittedBlockCount }))),
      second: await attempt(() => blob.appendBlock('line 2\n', 7), withStatus((r) => ({ offset: r.blobAppendOffset, count: r.blobCommittedBlockCount }))),
      text: (await blob.downloadToBuffer()).toString(),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
    };
  });

  scenario('createIfNotExists keeps an existing append blob', async (client, names) => {
    const blob = (await newContainer(client, names)).getAppendBlobClient(names.blob('log'));
    await blob.create();
    await blob.appendBlock('kept', 4);
    return {
      again: await attempt(() => blob.createIfNotExists(), (r) => ({ succeeded: r.succeeded, errorCode: r.errorCode })),
      text: (await blob.downloadToBuffer()).toString(),
    };
  });

  scenario('appending to a block blob answers 409 InvalidBlobType', async (client, names) => {
    const blob = await newBlob(client, names);
    const asAppend = client.getContainerClient(blob.containerName).getAppendBlobClient(blob.name);
    return { append: await attempt(() => asAppend.appendBlock('x', 1)) };
  });

  scenario('appending to a missing blob answers 404 BlobNotFound', async (client, names) => {
    const blob = (await newContainer(client, names)).getAppendBlobClient(names.blob('log'));
    return { append: await attempt(() => blob.appendBlock('x', 1)) };
  });

  scenario('an append-position condition that does not hold answers 412 AppendPositionConditionNotMet', async (client, names) => {
    const blob = (await newContainer(client, names)).getAppendBlobClient(names.blob('log'));
    await blob.create();
    await blob.appendBlock('12345', 5);
    return {
      wrong: await attempt(() => blob.appendBlock('x', 1, { conditions: { appendPosition: 3 } })),
      right: await attempt(() => blob.appendBlock('x', 1, { conditions: { appendPosition: 5 } })),
    };
  });

  scenario('a max-size condition that would be exceeded answers 412 MaxBlobSizeConditionNotMet', async (client, names) => {
    const blob = (await newContainer(client, names)).getAppendBlobClient(names.blob('log'));
    await blob.create();
    await blob.appendBlock('12345', 5);
    return { append: await attempt(() => blob.appendBlock('678', 3, { conditions: { maxSize: 6 } })) };
  });

  scenario('re-creating an append blob empties it', async (client, names) => {
    const blob = (await newContainer(client, names)).getAppendBlobClient(names.blob('log'));
    await blob.create();
    await blob.appendBlock('old', 3);
    await blob.create();
    return { properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)) };
  });
});

conformance('page blobs', (scenario) => {
  scenario('a new page blob has its size, zeroed content and no page ranges', async (client, names) => {
    const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
    return {
      create: await attempt(() => blob.create(2048)),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
      allZero: (await blob.downloadToBuffer()).every((b) => b === 0),
      ranges: await pageRanges(blob),
    };
  });

  scenario('uploaded pages are readable and listed as ranges', async (client, names) => {
    const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
    await blob.create(4096);
    await blob.uploadPages(pages('a'), 0, 512);
    await blob.uploadPages(pages('b', 2), 1024, 1024);
    const content = await blob.downloadToBuffer();
    return {
      ranges: await pageRanges(blob),
      first: content.subarray(0, 512).equals(pages('a')),
      gapIsZero: content.subarray(512, 1024).every((b) => b === 0),
      third: content.subarray(1024, 2048).equals(pages('b', 2)),
    };
  });

  // Unsettled against Azure: the Get Page Ranges reference only promises non-overlapping ranges in address order,
  // and no captured Azure response with two adjacent writes was found. Azurite keeps one range per write; so does LocalZure.
  scenario('adjacent page uploads are listed as contiguous ranges', async (client, names) => {
    const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
    await blob.create(2048);
    await blob.uploadPages(pages('a'), 0, 512);
    await blob.uploadPages(pages('b'), 512, 512);
    return { ranges: await pageRanges(blob) };
  });

  scenario('clearPages zeroes a range and splits the page ranges', async (client, names) => {
    const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
    await blob.create(2048);
    await blob.uploadPages(pages('c', 4), 0, 2048);
    return {
      clear: await attempt(() => blob.clearPages(512, 512)),
      ranges: await pageRanges(blob),
      clearedIsZero: (await blob.downloadToBuffer(512, 512)).every((b) => b === 0),
    };
  });

  scenario(
    'a page write not aligned to 512 bytes is rejected',
    async (client, names) => {
      const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
      await blob.create(2048);
      return {
        offset: await attempt(() => blob.uploadPages(pages('a'), 100, 512)),
        length: await attempt(() => blob.uploadPages(Buffer.alloc(100, 'a'), 0, 100)),
      };
    },
    { knownAzuriteDifference: invalidPageRange('offset', 'length') },
  );

  scenario(
    'a page write beyond the blob size answers 416 InvalidPageRange',
    async (client, names) => {
      const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
      await blob.create(1024);
      return { write: await attempt(() => blob.uploadPages(pages('a'), 1024, 512)) };
    },
    { knownAzuriteDifference: invalidPageRange('write') },
  );

  scenario(
    'a page blob size not a multiple of 512 answers 400 InvalidHeaderValue',
    async (client, names) => {
      const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
      return { create: await attempt(() => blob.create(1000)), exists: await blob.exists() };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/put-blob',
        // Azurite refuses with the catch-all InvalidOperation.
        quote:
          'x-ms-blob-content-length: Required for page blobs. ... The value must be aligned to a 512-byte boundary. ' +
          '(common-rest-api-error-codes: InvalidHeaderValue | Bad Request (400) | The value provided for one of the HTTP headers was not in the correct format.)',
        expected: (azurite) => ({ ...azurite, create: { status: 400, code: 'InvalidHeaderValue', errorCode: 'InvalidHeaderValue' } }),
      },
    },
  );

  scenario('resize grows with zeros and shrinks dropping pages', async (client, names) => {
    const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
    await blob.create(1024);
    await blob.uploadPages(pages('a', 2), 0, 1024);
    const grow = await attempt(() => blob.resize(2048));
    const grown = await pageRanges(blob);
    const shrink = await attempt(() => blob.resize(512));
    return {
      grow,
      grown,
      shrink,
      shrunk: await pageRanges(blob),
      length: (await blob.getProperties()).contentLength,
    };
  });

  scenario('the sequence number can be set, raised to a maximum and incremented', async (client, names) => {
    const blob = (await newContainer(client, names)).getPageBlobClient(names.blob('vhd'));
    await blob.create(512, { blobSequenceNumber: 5 });
    const seq = withStatus((r: { blobSequenceNumber?: number }) => ({ sequenceNumber: r.blobSequenceNumber }));
    return {
      created: (await blob.getProperties()).blobSequenceNumber,
      update: await attempt(() => blob.updateSequenceNumber('update', 10), seq),
      max: await attempt(() => blob.updateSequenceNumber('max', 7), seq),
      increment: await attempt(() => blob.updateSequenceNumber('increment'), seq),
    };
  });
});
