import { receiveText } from '../../storage-common/body.js';
import { crc64Base64 } from '../../storage-common/crc64.js';
import { validMetadataOf } from '../../storage-common/metadata.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { orderedText, parseOrderedXml, toXml } from '../../storage-common/xml.js';
import type { BlobStore } from '../blob-store.js';
import { contentPropertiesOf } from '../blob-request.js';
import { etagHeaders } from '../blob-headers.js';
import { ChunkedContent } from '../content.js';
import type { WriteBody } from '../copy-source.js';
import { BlobDomainError } from '../errors.js';
import type { Block, BlobRecord } from '../model.js';
import { assertBlobReadable, assertBlobWritable } from '../preconditions.js';
import { parseTagsHeader } from '../tags.js';
import { blobTarget } from './blob-handlers.js';
import { requestedTier } from '../tiers.js';

const MAX_BLOCK = 4000 * 1024 * 1024;
const MAX_UNCOMMITTED = 100_000;
const MAX_COMMITTED = 50_000;

export function blockHandlers(store: BlobStore, writeBody: WriteBody) {
  return {
    /** Put Block, and Put Block From URL: the bytes are kept as the chunks they arrived in. */
    async stageBlock(request: StorageRequest): Promise<StorageResponse> {
      const id = blockIdOf(request);
      const check = () => {
        const { container, name } = blobTarget(store, request);
        const existing = container.blobs.get(name);
        if (existing?.committed && existing.type !== 'BlockBlob') throw new BlobDomainError('InvalidBlobType');
        assertBlobWritable(request, existing?.committed ? existing : undefined);
        return { container, name, existing };
      };
      check();
      const body = await writeBody(request, MAX_BLOCK);
      const { container, name, existing } = check();
      if (existing) {
        const other = [...existing.uncommitted.keys(), ...existing.blocks.map((b) => b.id)][0];
        if (other !== undefined && Buffer.from(other, 'base64').length !== Buffer.from(id, 'base64').length) {
          throw new BlobDomainError('InvalidBlobOrBlock', 'All block ids of a blob must have the same length.');
        }
        if (existing.uncommitted.size >= MAX_UNCOMMITTED && !existing.uncommitted.has(id)) throw new BlobDomainError('BlockCountExceedsLimit');
      }
      store.stageBlock(container, name, { id, size: body.length, chunks: body.chunks }, request.now);
      // Azure answers the CRC-64 of the block unless the client chose MD5.
      const crc64 = request.header('content-md5') === undefined ? body.crc64 : undefined;
      return { status: 201, headers: { 'Content-MD5': body.md5, 'x-ms-content-crc64': crc64, 'x-ms-request-server-encrypted': true } };
    },

    /** Put Block List: blocks are looked up in the order the list names them. */
    async commitBlockList(request: StorageRequest): Promise<StorageResponse> {
      const metadata = validMetadataOf(request);
      const tags = parseTagsHeader(request.header('x-ms-tags'));
      const accessTier = requestedTier(request, 'BlockBlob');
      const list = await receiveText(request.raw);
      const entries = parseBlockList(list);
      const { container, name } = blobTarget(store, request);
      const existing = container.blobs.get(name);
      const committed = existing?.committed ? existing : undefined;
      if (committed && committed.type !== 'BlockBlob') throw new BlobDomainError('InvalidBlobType');
      assertBlobWritable(request, committed);
      const blocks = entries.map(({ kind, id }) => findBlock(existing, kind, id));
      if (blocks.length > MAX_COMMITTED) throw new BlobDomainError('BlockListTooLong');
      const blob = store.putBlob(
        container,
        name,
        {
          type: 'BlockBlob',
          content: ChunkedContent.concat(blocks.map((b) => b.chunks)),
          properties: contentPropertiesOf(request, false),
          metadata,
          tags,
          blocks,
          accessTier,
        },
        request.now,
      );
      // The CRC-64 Azure answers is the block list's own, the XML body of this request.
      const crc64 = request.header('content-md5') === undefined ? crc64Base64([Buffer.from(list, 'utf8')]) : undefined;
      return { status: 201, headers: { ...etagHeaders(blob), 'x-ms-content-crc64': crc64, 'x-ms-request-server-encrypted': true } };
    },

    getBlockList(request: StorageRequest): StorageResponse {
      const listType = (request.query.get('blocklisttype') ?? 'committed').toLowerCase();
      if (!['committed', 'uncommitted', 'all'].includes(listType)) throw commonErrors.invalidQueryParameterValue('blocklisttype', listType);
      const { container, name, snapshot } = blobTarget(store, request);
      const record = container.blobs.get(name);
      const state = snapshot !== undefined ? store.blobState(container, name, snapshot) : record;
      if (!state || !record) throw new BlobDomainError('BlobNotFound');
      if (state.type !== 'BlockBlob') throw new BlobDomainError('InvalidBlobType');
      if (record.committed) assertBlobReadable(request, snapshot === undefined ? record : undefined, state);
      const xmlBlocks = (blocks: Iterable<Block>) => ({ Block: [...blocks].map((b) => ({ Name: b.id, Size: b.size })) });
      const body = toXml({
        BlockList: {
          ...(listType !== 'uncommitted' ? { CommittedBlocks: xmlBlocks(state.blocks) } : {}),
          ...(listType !== 'committed' ? { UncommittedBlocks: xmlBlocks(snapshot === undefined ? record.uncommitted.values() : []) } : {}),
        },
      });
      return {
        status: 200,
        headers: {
          ...(record.committed ? etagHeaders(state) : {}),
          'x-ms-blob-content-length': state.content.length,
          'Content-Type': 'application/xml',
        },
        body,
      };
    },
  };
}

/** Block ids are Base64 of at most 64 bytes; Azure reports an id that is not Base64 as a bad query parameter. */
function blockIdOf(request: StorageRequest): string {
  const id = request.query.get('blockid');
  if (id === null) throw commonErrors.missingRequiredQueryParameter('blockid');
  const decoded = Buffer.from(id, 'base64');
  if (id === '' || decoded.toString('base64') !== id) throw commonErrors.invalidQueryParameterValue('blockid', id);
  if (decoded.length > 64) throw new BlobDomainError('InvalidBlockId');
  return id;
}

type BlockKind = 'Latest' | 'Committed' | 'Uncommitted';

function parseBlockList(text: string): Array<{ kind: BlockKind; id: string }> {
  const root = parseOrderedXml(text).find((node) => 'BlockList' in node);
  if (!root || !Array.isArray(root.BlockList)) throw commonErrors.invalidXmlDocument();
  const entries: Array<{ kind: BlockKind; id: string }> = [];
  for (const element of root.BlockList) {
    const [kind] = Object.keys(element).filter((k) => k !== ':@');
    if (kind === '#text') continue;
    if (kind !== 'Latest' && kind !== 'Committed' && kind !== 'Uncommitted') throw commonErrors.invalidXmlDocument();
    entries.push({ kind, id: orderedText(element[kind]).trim() });
  }
  return entries;
}

function findBlock(blob: BlobRecord | undefined, kind: BlockKind, id: string): Block {
  const uncommitted = kind !== 'Committed' ? blob?.uncommitted.get(id) : undefined;
  const committed = kind !== 'Uncommitted' && blob?.committed ? blob.blocks.find((b) => b.id === id) : undefined;
  const block = uncommitted ?? committed;
  if (!block) throw new BlobDomainError('InvalidBlockList');
  return block;
}
