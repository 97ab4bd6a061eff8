import { createHash } from 'node:crypto';
import type { NamespaceRegistry } from '../../core/namespaces.js';
import { declaredLength, receiveBody, verifyMd5, type ReceivedBody } from '../storage-common/body.js';
import { failedCondition } from '../storage-common/conditions.js';
import { claimedCrc64, crc64Base64, verifiedCrc64 } from '../storage-common/crc64.js';
import { parseQuery, type StorageRequest } from '../storage-common/request.js';
import { commonErrors, StorageError } from '../storage-common/storage-error.js';
import { blobNameOfPath } from './blob-request.js';
import type { BlobStore } from './blob-store.js';
import { ChunkedContent, type BlobContent } from './content.js';
import { BlobDomainError } from './errors.js';
import type { BlobState, BlobType, ContentProperties } from './model.js';
import { fetchRemoteSource } from './remote-source.js';

/** Authorizes a read of the copy source as if the source URL had been fetched on its own. */
export type SourceAuthorizer = (sourceRequest: StorageRequest) => void;

/** The blob named by `x-ms-copy-source`, read once its own authorization and conditions pass. */
export interface SourceBlob {
  /** Set for a blob of this emulator: Copy Blob keeps its type, blocks and page ranges. */
  state?: BlobState;
  type: BlobType;
  content: BlobContent;
  properties: ContentProperties;
  metadata: Record<string, string>;
}

/** A source blob of this emulator, with the read request its own authorization was judged on. */
type LocalSource = { kind: 'local'; request: StorageRequest; container: string; blob: string; snapshot?: string };
/** Where the source lives once its URL is read: a blob of this emulator, or anything else, fetched over HTTP. */
type SourceLocation = LocalSource | { kind: 'remote'; url: URL };

/**
 * Reads the source of every copy: Copy Blob, Copy Blob From URL, Put Blob
 * From URL, and Put Block, Append Block and Put Page From URL.
 *
 * The source is authorized on its own, as Azure does: the destination's
 * credentials prove nothing about it. A source of this emulator passes with
 * Shared Key of the same account (the request's own signature), with a SAS
 * on the source URL, or with public read access; anything else is refused as
 * an anonymous read of it would be (404 CannotVerifyCopySource for a private
 * blob). Any other URL is fetched over HTTP with `x-ms-copy-source-authorization`
 * as its Authorization header.
 */
export function copySources(store: BlobStore, namespaces: NamespaceRegistry, authorizeSource: SourceAuthorizer) {
  const locate = (request: StorageRequest): SourceLocation => {
    const text = request.header('x-ms-copy-source')!;
    let url: URL;
    let parts: string[];
    try {
      url = new URL(text);
      parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      throw commonErrors.invalidHeaderValue('x-ms-copy-source', text);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw commonErrors.invalidHeaderValue('x-ms-copy-source', text);
    if (!servedHere(request, url)) return { kind: 'remote', url };
    const [accountName = '', container = '', ...rest] = parts;
    const blob = blobNameOfPath(rest);
    const account = namespaces.get(accountName);
    const query = parseQuery(url.search.slice(1));
    if (!account || !query || blob === '') throw new BlobDomainError('CannotVerifyCopySource');
    const sourceRequest: StorageRequest = {
      method: 'GET',
      raw: request.raw,
      rawPath: url.pathname,
      query,
      account,
      segments: [container, blob],
      requestId: request.requestId,
      now: request.now,
      header: () => undefined,
    };
    const sameAccountSharedKey = request.header('authorization') !== undefined && account.name === request.account.name;
    if (request.header('x-ms-copy-source-authorization') !== undefined) {
      throw new StorageError(
        403,
        'CannotVerifyCopySource',
        'LocalZure does not verify OAuth tokens, so x-ms-copy-source-authorization cannot authorize a source blob of this emulator. Put a SAS on the source URL, or sign the request with Shared Key of the source account.',
      );
    }
    if (!sameAccountSharedKey) {
      try {
        authorizeSource(sourceRequest);
      } catch (error) {
        if (error instanceof StorageError) throw new StorageError(error.status, 'CannotVerifyCopySource', error.message, error.details);
        throw error;
      }
    }
    return { kind: 'local', request: sourceRequest, container, blob, snapshot: query.get('snapshot') ?? undefined };
  };

  /** The source state, its `x-ms-source-if-*` conditions (sent on the copying request) met. */
  const localState = (request: StorageRequest, location: LocalSource): BlobState => {
    const record = store.findContainer(location.request.account.name, location.container)?.blobs.get(location.blob);
    const state = location.snapshot === undefined ? (record?.committed ? record : undefined) : record?.snapshots.get(location.snapshot);
    if (!state) throw new BlobDomainError('CannotVerifyCopySource');
    if (failedCondition((name) => request.header(`x-ms-source-${name}`), state)) throw new BlobDomainError('SourceConditionNotMet');
    return state;
  };

  return {
    /** The whole source blob. */
    async blob(request: StorageRequest): Promise<SourceBlob> {
      const location = locate(request);
      if (location.kind === 'remote') {
        const fetched = await fetchRemoteSource(request, location.url, undefined, MAX_WHOLE_SOURCE);
        return { type: 'BlockBlob', content: new ChunkedContent(fetched.chunks), properties: fetched.properties, metadata: fetched.metadata };
      }
      const state = localState(request, location);
      return { state, type: state.type, content: state.content, properties: state.properties, metadata: state.metadata };
    },

    /**
     * The bytes of `x-ms-source-range` of the source (all of it without the
     * header), checked against `x-ms-source-content-md5` and
     * `-crc64`: the body of a From URL write, which itself sends none.
     */
    async bytes(request: StorageRequest, limit: number): Promise<ReceivedBody & { crc64?: string }> {
      await refuseBody(request);
      const range = sourceRangeOf(request);
      const location = locate(request);
      let chunks: Buffer[];
      if (location.kind === 'remote') {
        chunks = (await fetchRemoteSource(request, location.url, range, limit)).chunks;
      } else {
        const state = localState(request, location);
        chunks = localRange(state.content, range, limit);
      }
      const length = chunks.reduce((n, c) => n + c.length, 0);
      if (length > limit) throw commonErrors.requestBodyTooLarge(limit);
      store.quota.check(length);
      const hash = createHash('md5');
      for (const chunk of chunks) hash.update(chunk);
      const md5 = hash.digest('base64');
      verifyMd5(request.header('x-ms-source-content-md5'), md5);
      // Azure answers the CRC-64 of the bytes it wrote, as for a body sent along, unless the client chose MD5.
      const claimedCrc = request.header('x-ms-source-content-crc64');
      const chooseMd5 = claimedCrc === undefined && request.header('x-ms-source-content-md5') !== undefined;
      const crc64 = chooseMd5 ? undefined : (verifyCrc64(claimedCrc, chunks) ?? crc64Base64(chunks));
      return { chunks, length, md5, ...(crc64 !== undefined ? { crc64 } : {}) };
    },
  };
}

export type CopySources = ReturnType<typeof copySources>;

/** A source of Copy Blob or Put Blob From URL fetched over HTTP: Put Blob's own limit. */
const MAX_WHOLE_SOURCE = 5000 * 1024 * 1024;

/**
 * The bytes a write stores: its request body (Content-MD5 checked), or with
 * `x-ms-copy-source` the source's bytes (Put Block, Append Block and Put
 * Page From URL).
 */
export function writeBody(store: BlobStore, sources: CopySources) {
  return async (request: StorageRequest, limit: number): Promise<ReceivedBody & { crc64?: string }> => {
    if (request.header('x-ms-copy-source') !== undefined) return sources.bytes(request, limit);
    const claimedCrc = claimedCrc64(request);
    const body = await receiveBody(request.raw, limit, store.quota);
    verifyMd5(request.header('content-md5'), body.md5);
    return { ...body, crc64: verifiedCrc64(claimedCrc, body.chunks) };
  };
}

export type WriteBody = ReturnType<typeof writeBody>;

/** Checks a `x-ms-source-content-md5`-style claim on the whole source of a copy (Copy Blob From URL, Put Blob From URL). */
export function verifySourceChecksums(request: StorageRequest, content: BlobContent): { md5?: string; crc64?: string } {
  const claimedMd5 = request.header('x-ms-source-content-md5');
  const claimedCrc = request.header('x-ms-source-content-crc64');
  const out: { md5?: string; crc64?: string } = {};
  if (claimedMd5 !== undefined) {
    const hash = createHash('md5');
    for (const chunk of content.read(0, content.length)) hash.update(chunk);
    out.md5 = hash.digest('base64');
    verifyMd5(claimedMd5, out.md5);
  }
  if (claimedCrc !== undefined) out.crc64 = verifyCrc64(claimedCrc, content.read(0, content.length));
  return out;
}

/** Whether a URL addresses this very emulator: its port, on a loopback name or the host the client used. */
function servedHere(request: StorageRequest, url: URL): boolean {
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (port !== request.raw.socket.localPort) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const hostHeader = (request.header('host') ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return LOOPBACK.has(host) || host === hostHeader || host === request.raw.socket.localAddress?.replace(/^::ffff:/, '');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `x-ms-source-range: bytes=start-end` (end inclusive, optional); undefined without the header. */
function sourceRangeOf(request: StorageRequest): { start: number; end?: number } | undefined {
  const text = request.header('x-ms-source-range');
  if (text === undefined) {
    // Upload Pages From URL must say which source bytes go to the pages it names.
    if (request.query.get('comp') === 'page') throw commonErrors.missingRequiredHeader('x-ms-source-range');
    return undefined;
  }
  const match = /^bytes=(\d+)-(\d*)$/.exec(text.trim());
  if (!match) throw commonErrors.invalidHeaderValue('x-ms-source-range', text);
  const start = Number(match[1]);
  const end = match[2] === '' ? undefined : Number(match[2]);
  if (!Number.isSafeInteger(start) || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw commonErrors.invalidHeaderValue('x-ms-source-range', text);
  }
  return { start, end };
}

/** The source bytes in the range, as views onto its stored chunks; a range past the end is 416, as the source's own GET answers. */
function localRange(content: BlobContent, range: { start: number; end?: number } | undefined, limit: number): Buffer[] {
  const start = range?.start ?? 0;
  const end = Math.min(content.length, range?.end === undefined ? content.length : range.end + 1);
  if (range && start >= content.length && content.length > 0) {
    throw new StorageError(416, 'CannotVerifyCopySource', 'The range specified is invalid for the current size of the resource.');
  }
  if (end - start > limit) throw commonErrors.requestBodyTooLarge(limit);
  return [...content.read(start, end)];
}

/** A From URL write carries no body of its own; the request is read to its end so the connection stays usable. */
async function refuseBody(request: StorageRequest): Promise<void> {
  const declared = declaredLength(request.raw);
  if (declared !== undefined && declared > 0) throw commonErrors.invalidHeaderValue('Content-Length', String(declared));
  await receiveBody(request.raw, 0);
}

/** Checks a claimed CRC64 (base64 of 8 bytes) against the bytes; answers the computed one. */
function verifyCrc64(claimed: string | undefined, chunks: Iterable<Buffer>): string | undefined {
  if (claimed === undefined) return undefined;
  if (Buffer.from(claimed, 'base64').length !== 8) throw commonErrors.invalidHeaderValue('x-ms-source-content-crc64', claimed);
  return verifiedCrc64(claimed, chunks);
}
