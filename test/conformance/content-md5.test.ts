import { createHash } from 'node:crypto';
import { conformance } from './harness/conformance.js';
import { blockId, newContainer } from './harness/fixtures.js';
import { attempt, withStatus } from './harness/observe.js';

const md5 = (text: string) => createHash('md5').update(text).digest();
const WRONG = md5('something else entirely');

const MD5_MISMATCH = { status: 400, code: 'Md5Mismatch', errorCode: 'Md5Mismatch' };
const ERROR_CODES = 'https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes';
// The storage team's table of which MD5 header each operation validates.
const MD5_OVERVIEW = 'https://learn.microsoft.com/archive/blogs/windowsazurestorage/windows-azure-blob-md5-overview';
const MD5_MISMATCH_ROW =
  'Md5Mismatch | Bad Request (400) | The MD5 value specified in the request did not match the MD5 value calculated by the server.';

conformance('content MD5', (scenario) => {
  scenario('Put Blob stores the MD5 it computed and returns it on read', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    const upload = await blob.upload('checksum me', 11);
    const download = await blob.download();
    return {
      uploadMd5: Buffer.from(upload.contentMD5 ?? []).toString('base64'),
      expected: md5('checksum me').toString('base64'),
      downloadMd5: Buffer.from(download.contentMD5 ?? []).toString('base64'),
      propertiesMd5: Buffer.from((await blob.getProperties()).contentMD5 ?? []).toString('base64'),
    };
  });

  scenario('a blob Content-MD5 given on upload is stored as given', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    const given = md5('checksum me');
    await blob.upload('checksum me', 11, { blobHTTPHeaders: { blobContentMD5: given } });
    return { stored: Buffer.from((await blob.getProperties()).contentMD5 ?? []).toString('base64') };
  });

  scenario(
    'a blob Content-MD5 that does not match the uploaded content answers 400 Md5Mismatch',
    async (client, names) => {
      const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
      return {
        upload: await attempt(() => blob.upload('checksum me', 11, { blobHTTPHeaders: { blobContentMD5: WRONG } })),
        exists: await blob.exists(),
      };
    },
    {
      knownAzuriteDifference: {
        reference: MD5_OVERVIEW,
        // Azurite rejects the upload with the right status but the code InvalidOperation.
        quote: `Put Blob | x-ms-blob-content-md5 | MD5 value of blobs bits | Validated by: Server. ${ERROR_CODES}: ${MD5_MISMATCH_ROW}`,
        expected: (azurite) => ({ ...azurite, upload: MD5_MISMATCH }),
      },
    },
  );

  scenario(
    'a transactional MD5 on Put Block that does not match answers 400 Md5Mismatch',
    async (client, names) => {
      const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
      return {
        wrong: await attempt(() => blob.stageBlock(blockId(1), 'block', 5, { transactionalContentMD5: WRONG })),
        right: await attempt(
          () => blob.stageBlock(blockId(2), 'block', 5, { transactionalContentMD5: md5('block') }),
          withStatus((r) => ({ contentMD5: Buffer.from(r.contentMD5 ?? []).toString('base64') })),
        ),
        staged: (await blob.getBlockList('uncommitted')).uncommittedBlocks?.map((b) => b.name),
      };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/put-block',
        // Azurite answers a mismatch with InvalidOperation and leaves Content-MD5 out of the success response.
        quote:
          `Response header Content-MD5: returned so that the client can check for message content integrity. ${ERROR_CODES}: ${MD5_MISMATCH_ROW}`,
        expected: (azurite) => ({
          ...azurite,
          wrong: MD5_MISMATCH,
          right: { status: 201, contentMD5: md5('block').toString('base64') },
        }),
      },
    },
  );

  scenario('a transactional MD5 on Append Block that does not match answers 400 Md5Mismatch', async (client, names) => {
    const blob = (await newContainer(client, names)).getAppendBlobClient(names.blob());
    await blob.create();
    return {
      wrong: await attempt(() => blob.appendBlock('entry', 5, { transactionalContentMD5: WRONG })),
      length: (await blob.getProperties()).contentLength,
    };
  });

  scenario(
    'a transactional MD5 on Put Page that does not match answers 400 Md5Mismatch',
    async (client, names) => {
      const blob = (await newContainer(client, names)).getPageBlobClient(names.blob());
      await blob.create(512);
      const page = Buffer.alloc(512, 'p');
      return {
        wrong: await attempt(() => blob.uploadPages(page, 0, 512, { transactionalContentMD5: WRONG })),
        allZero: (await blob.downloadToBuffer()).every((b) => b === 0),
      };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/put-page',
        // Azurite ignores the header and writes the page.
        quote:
          'Content-MD5: Optional. An MD5 hash of the page content. This hash is used to verify the integrity of the page during transport. ' +
          'When this header is specified, the storage service compares the hash of the content that has arrived with this header value. ' +
          `If the two hashes don't match, the operation fails with error code 400 (Bad Request). ${MD5_MISMATCH_ROW}`,
        expected: () => ({ wrong: MD5_MISMATCH, allZero: true }),
      },
    },
  );

  scenario('Put Block List does not compute an MD5 for the whole blob', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.stageBlock(blockId(1), 'part', 4);
    await blob.commitBlockList([blockId(1)]);
    return { md5: (await blob.getProperties()).contentMD5 === undefined };
  });

  scenario('a ranged read can ask for the MD5 of that range', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('0123456789', 10);
    const ranged = await blob.download(2, 4, { rangeGetContentMD5: true });
    return {
      rangeMd5: Buffer.from(ranged.contentMD5 ?? []).toString('base64'),
      expected: md5('2345').toString('base64'),
      wholeBlobMd5: Buffer.from(ranged.blobContentMD5 ?? []).toString('base64'),
    };
  });
});
