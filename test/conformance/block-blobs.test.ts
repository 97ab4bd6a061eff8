import { Readable } from 'node:stream';
import { conformance } from './harness/conformance.js';
import { blockId, newContainer } from './harness/fixtures.js';
import { attempt, blobProperties, readText, withStatus } from './harness/observe.js';

/** Deterministic, non-repeating bytes, so a misplaced range shows up in the content. */
function pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

conformance('block blobs', (scenario) => {
  scenario('upload answers 201 and the content downloads unchanged', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    return {
      upload: await attempt(() => blob.upload('hello, conformance', 18)),
      download: await attempt(
        () => blob.download(),
        async (r) => ({ status: r._response.status, contentLength: r.contentLength, text: await readText(r.readableStreamBody) }),
      ),
    };
  });

  scenario('properties after upload report type, length, default content type and MD5', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('properties', 10);
    return { properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)) };
  });

  scenario('HTTP headers and metadata given on upload are returned', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob('json'));
    await blob.upload('{"a":1}', 7, {
      blobHTTPHeaders: {
        blobContentType: 'application/json',
        blobContentEncoding: 'identity',
        blobContentLanguage: 'en-GB',
        blobContentDisposition: 'attachment; filename="a.json"',
        blobCacheControl: 'max-age=60',
      },
      metadata: { source: 'conformance', Mixed: 'Case' },
    });
    const download = await blob.download();
    return {
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
      downloadHeaders: {
        contentType: download.contentType,
        contentEncoding: download.contentEncoding,
        contentLanguage: download.contentLanguage,
        contentDisposition: download.contentDisposition,
        cacheControl: download.cacheControl,
        metadata: download.metadata,
      },
    };
  });

  scenario('setHTTPHeaders replaces every header, clearing those not given', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('headers', 7, { blobHTTPHeaders: { blobContentType: 'text/plain', blobCacheControl: 'no-cache' } });
    return {
      set: await attempt(() => blob.setHTTPHeaders({ blobContentType: 'text/csv', blobContentLanguage: 'de' })),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
    };
  });

  scenario('setHTTPHeaders without a content type clears it: reads carry no Content-Type', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('cleared', 7, { blobHTTPHeaders: { blobContentType: 'text/plain' } });
    await blob.setHTTPHeaders({});
    return {
      properties: await attempt(() => blob.getProperties(), (p) => ({ contentType: p.contentType })),
      download: await attempt(() => blob.download(), (r) => ({ contentType: r.contentType })),
    };
  });

  scenario('setMetadata replaces metadata and keeps content', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('keep me', 7, { metadata: { first: '1' } });
    return {
      set: await attempt(() => blob.setMetadata({ second: '2' })),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
      text: (await blob.downloadToBuffer()).toString(),
    };
  });

  scenario('uploading over an existing blob replaces content and metadata', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('first version', 13, { metadata: { version: '1' } });
    await blob.upload('second', 6);
    return {
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
      text: (await blob.downloadToBuffer()).toString(),
    };
  });

  scenario('an empty blob has length 0 and downloads as empty', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    return {
      upload: await attempt(() => blob.upload('', 0)),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
      text: (await blob.downloadToBuffer()).toString(),
    };
  });

  scenario('downloading a missing blob answers 404 BlobNotFound', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    return {
      download: await attempt(() => blob.download()),
      properties: await attempt(() => blob.getProperties()),
      exists: await blob.exists(),
    };
  });

  scenario('deleting a blob answers 202, then 404 BlobNotFound', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('bye', 3);
    return {
      delete: await attempt(() => blob.delete()),
      again: await attempt(() => blob.delete()),
      ifExists: await attempt(() => blob.deleteIfExists(), (r) => ({ succeeded: r.succeeded, errorCode: r.errorCode })),
      exists: await blob.exists(),
    };
  });

  scenario('a download range answers 206 with exactly those bytes and Content-Range', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('0123456789abcdef', 16);
    const range = async (offset: number, count?: number) =>
      attempt(
        () => blob.download(offset, count),
        async (r) => ({
          status: r._response.status,
          contentLength: r.contentLength,
          contentRange: r.contentRange,
          text: await readText(r.readableStreamBody),
        }),
      );
    return {
      middle: await range(4, 6),
      toEnd: await range(10),
      pastEnd: await range(12, 100),
    };
  });

  scenario('a range starting beyond the end answers 416 InvalidRange', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.upload('short', 5);
    return { range: await attempt(() => blob.download(10, 5)) };
  });

  scenario('stageBlock and commitBlockList assemble the blob in list order', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    const stage = [
      await attempt(() => blob.stageBlock(blockId(1), 'one-', 4)),
      await attempt(() => blob.stageBlock(blockId(2), 'two-', 4)),
      await attempt(() => blob.stageBlock(blockId(3), 'three', 5)),
    ];
    return {
      stage,
      existsBeforeCommit: await blob.exists(),
      commit: await attempt(() => blob.commitBlockList([blockId(3), blockId(1), blockId(2)])),
      text: (await blob.downloadToBuffer()).toString(),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
    };
  });

  scenario('getBlockList reports committed and uncommitted blocks with their sizes', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.stageBlock(blockId(1), 'aaaa', 4);
    await blob.stageBlock(blockId(2), 'bb', 2);
    await blob.commitBlockList([blockId(1)]);
    await blob.stageBlock(blockId(3), 'ccc', 3);
    const list = (type: 'all' | 'committed' | 'uncommitted') =>
      attempt(
        () => blob.getBlockList(type),
        withStatus((r) => ({
          committed: (r.committedBlocks ?? []).map((b) => ({ name: b.name, size: b.size })),
          uncommitted: (r.uncommittedBlocks ?? []).map((b) => ({ name: b.name, size: b.size })),
          blobContentLength: r.blobContentLength,
        })),
      );
    return { all: await list('all'), committed: await list('committed'), uncommitted: await list('uncommitted') };
  });

  scenario('committing discards blocks left out of the list', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.stageBlock(blockId(1), 'keep', 4);
    await blob.stageBlock(blockId(2), 'drop', 4);
    await blob.commitBlockList([blockId(1)]);
    const list = await blob.getBlockList('all');
    return {
      committed: list.committedBlocks?.map((b) => b.name),
      uncommitted: list.uncommittedBlocks?.map((b) => b.name) ?? [],
    };
  });

  scenario('committing an unknown block id answers 400 InvalidBlockList', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.stageBlock(blockId(1), 'real', 4);
    return {
      commit: await attempt(() => blob.commitBlockList([blockId(1), blockId(9)])),
      exists: await blob.exists(),
    };
  });

  scenario('a block id that is not base64 answers 400 InvalidQueryParameterValue', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    return { stage: await attempt(() => blob.stageBlock('not base64!', 'x', 1)) };
  });

  scenario('commitBlockList sets HTTP headers and metadata on the committed blob', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
    await blob.stageBlock(blockId(1), 'csv,data', 8);
    await blob.commitBlockList([blockId(1)], {
      blobHTTPHeaders: { blobContentType: 'text/csv', blobContentDisposition: 'inline' },
      metadata: { committed: 'yes' },
    });
    return { properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)) };
  });

  scenario('uploadData in several blocks round-trips through downloadToBuffer', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob('bin'));
    const data = pattern(5 * 64 * 1024 + 123);
    await blob.uploadData(data, { blockSize: 64 * 1024, maxSingleShotSize: 64 * 1024, concurrency: 4 });
    const back = await blob.downloadToBuffer(0, undefined, { blockSize: 100 * 1024, concurrency: 3 });
    const list = await blob.getBlockList('committed');
    return {
      sameBytes: back.equals(data),
      length: back.length,
      blocks: list.committedBlocks?.map((b) => b.size),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
    };
  });

  scenario('uploadData below the single-shot size makes one Put Blob', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob('bin'));
    const data = pattern(1000);
    await blob.uploadData(data);
    const list = await blob.getBlockList('committed');
    return {
      sameBytes: (await blob.downloadToBuffer()).equals(data),
      committedBlocks: list.committedBlocks?.length ?? 0,
    };
  });

  scenario('uploadStream stages blocks from a stream and commits them in order', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob('bin'));
    const data = pattern(3 * 64 * 1024 + 7);
    await blob.uploadStream(Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), 64 * 1024, 3, {
      blobHTTPHeaders: { blobContentType: 'application/x-stream' },
    });
    return {
      sameBytes: (await blob.downloadToBuffer()).equals(data),
      blocks: (await blob.getBlockList('committed')).committedBlocks?.map((b) => b.size),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
    };
  });

  scenario('a metadata name that is not a C# identifier answers 400 InvalidMetadata', async (client, names) => {
    const container = await newContainer(client, names);
    const blob = container.getBlockBlobClient(names.blob());
    return {
      upload: await attempt(() => blob.upload('x', 1, { metadata: { '1starts-with-digit': 'v' } })),
      exists: await blob.exists(),
      container: await attempt(() => container.setMetadata({ 'has-dash': 'v' })),
    };
  });

  scenario('downloadToBuffer of a range returns that slice', async (client, names) => {
    const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob('bin'));
    const data = pattern(300 * 1024);
    await blob.uploadData(data);
    const slice = await blob.downloadToBuffer(1000, 200 * 1024, { blockSize: 64 * 1024 });
    return { sameBytes: slice.equals(data.subarray(1000, 1000 + 200 * 1024)) };
  });
});
