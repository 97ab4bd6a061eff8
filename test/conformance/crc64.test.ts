import { BlobSASPermissions, type BlockBlobStageBlockResponse } from '@azure/storage-blob';
import { crc64Base64 } from '../../src/services/storage-common/crc64.js';
import { conformance } from './harness/conformance.js';
import { blockId, newContainer } from './harness/fixtures.js';
import { attempt, withStatus } from './harness/observe.js';

const crc = (text: string) => Buffer.from(crc64Base64([Buffer.from(text)]), 'base64');
const echoed = withStatus((r: BlockBlobStageBlockResponse) => ({ crc64: r.xMsContentCrc64 && Buffer.from(r.xMsContentCrc64).toString('base64') }));

conformance('CRC-64 checksums', (scenario) => {
  scenario('Put Block checks x-ms-content-crc64 and answers the CRC-64 of the block', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    return {
      right: await attempt(() => blob.stageBlock(blockId(1), 'hello', 5, { transactionalContentCrc64: crc('hello') }), echoed),
      wrong: await attempt(() => blob.stageBlock(blockId(2), 'hello', 5, { transactionalContentCrc64: crc('other') })),
      unasked: await attempt(() => blob.stageBlock(blockId(3), 'plain', 5), echoed),
    };
  }, {
    knownAzuriteDifference: {
      reference: 'https://learn.microsoft.com/rest/api/storageservices/put-block#request-headers',
      quote:
        'x-ms-content-crc64: "When this header is specified, the storage service checks the hash that has arrived against the one that was sent. If the two hashes don\'t match, the operation fails with error code 400 (Bad Request)." Azurite 3.35 answers 500.',
      expected: () => ({
        right: { status: 201, crc64: crc('hello').toString('base64') },
        wrong: { status: 400, code: 'Crc64Mismatch', errorCode: 'Crc64Mismatch' },
        unasked: { status: 201, crc64: crc('plain').toString('base64') },
      }),
    },
  });
});

conformance('CRC-64 answers on writes without a checksum', (scenario) => {
  scenario('syncCopyFromURL answers the CRC-64 of the bytes it copied', async (client, names) => {
    const container = await newContainer(client, names);
    const source = container.getBlockBlobClient(names.blob());
    await source.upload('hello', 5);
    const sourceUrl = await source.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) });
    const copy = await attempt(() => container.getBlobClient(names.blob()).syncCopyFromURL(sourceUrl), withStatus((r) => ({ crc64: r.xMsContentCrc64 && Buffer.from(r.xMsContentCrc64).toString('base64') })));
    return { copy };
  }, {
    knownAzuriteDifference: {
      reference: 'https://learn.microsoft.com/rest/api/storageservices/copy-blob-from-url#response-headers',
      quote:
        'x-ms-content-crc64: "returned so that the client can check for message content integrity." Azure answers it without being asked (azure-sdk-assets, js storage-blob recording_synccopyfromurl); Azurite 3.35 omits it.',
      expected: (azurite) => ({ copy: { ...(azurite.copy as object), crc64: crc('hello').toString('base64') } }),
    },
  });

  scenario('stageBlockFromURL answers the CRC-64 of the source bytes it staged', async (client, names) => {
    const container = await newContainer(client, names);
    const source = container.getBlockBlobClient(names.blob());
    await source.upload('hello', 5);
    const sourceUrl = await source.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000) });
    const stage = await attempt(() => container.getBlockBlobClient(names.blob()).stageBlockFromURL(blockId(1), sourceUrl), echoed);
    return { stage };
  }, {
    knownAzuriteDifference: {
      reference: 'https://learn.microsoft.com/rest/api/storageservices/put-block-from-url#response-headers',
      quote:
        'x-ms-content-crc64: "returned so that the client can check for message content integrity." Azure answers it without being asked (azure-sdk-assets, js storage-blob recording_stageblockfromurl_copy_source_blob_as_single_block); Azurite 3.35 answers 501 APINotImplemented.',
      expected: () => ({ stage: { status: 201, crc64: crc('hello').toString('base64') } }),
    },
  });

  scenario('Put Blob answers the CRC-64 of its body', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    return { upload: await attempt(() => blob.upload('hello', 5), echoed) };
  });

  scenario('Put Block List answers a CRC-64 of the block list it received', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.stageBlock(blockId(1), 'hello', 5);
    return { commit: await attempt(() => blob.commitBlockList([blockId(1)]), withStatus((r) => ({ crc64Bytes: r.xMsContentCrc64?.length }))) };
  }, {
    knownAzuriteDifference: {
      reference: 'https://learn.microsoft.com/javascript/api/@azure/storage-blob/blockblobcommitblocklistheaders',
      quote:
        'xMsContentCrc64: "This header is returned so that the client can check for message content integrity. This header refers to the content of the request, meaning, in this case, the list of blocks." Azure answers it without being asked (azure-sdk-assets, js storage-blob recording_commitblocklist); Azurite 3.35 omits it.',
      expected: () => ({ commit: { status: 201, crc64Bytes: 8 } }),
    },
  });
});
