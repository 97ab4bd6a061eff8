import { RestError, type BlobGetPropertiesResponse, type BlobItem, type ContainerGetPropertiesResponse } from '@azure/storage-blob';
import type { Observation, Observed } from './scenario.js';

interface WithResponse {
  _response: { status: number };
}

const statusOf = (result: unknown): Observation => ({ status: (result as WithResponse)._response.status });

/**
 * Runs one SDK call and records how it ended: the HTTP status (plus what
 * `pick` selects from the result) on success, or the status and Azure error
 * code on a RestError. Anything else is a bug in the scenario and is thrown.
 */
export async function attempt<R>(
  op: () => Promise<R>,
  pick: (result: R) => Observed | Promise<Observed> = statusOf,
): Promise<Observed> {
  try {
    return await pick(await op());
  } catch (error) {
    if (!(error instanceof RestError)) throw error;
    return failure(error);
  }
}

/** A failed call as the SDK reports it: status, `code`, and `details.errorCode` (the x-ms-error-code header). */
function failure(error: RestError): Observation {
  const details = error.details as { errorCode?: string } | undefined;
  return { status: error.statusCode, code: error.code, errorCode: details?.errorCode };
}

/** `{ status, ...fields }` for calls whose response carries what the scenario checks. */
export function withStatus<R>(pick: (result: R) => Observation): (result: R & WithResponse) => Observation {
  return (result) => ({ status: result._response.status, ...pick(result) });
}

const base64 = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('base64');

/** The blob properties both servers must agree on; never etags, dates or ids. */
export function blobProperties(p: BlobGetPropertiesResponse): Observation {
  return {
    blobType: p.blobType,
    contentLength: p.contentLength,
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    contentLanguage: p.contentLanguage,
    contentDisposition: p.contentDisposition,
    cacheControl: p.cacheControl,
    contentMD5: base64(p.contentMD5),
    metadata: p.metadata,
    leaseState: p.leaseState,
    leaseStatus: p.leaseStatus,
    leaseDuration: p.leaseDuration,
    accessTier: p.accessTier,
    accessTierInferred: p.accessTierInferred,
    serverEncrypted: p.isServerEncrypted,
    committedBlockCount: p.blobCommittedBlockCount,
    sequenceNumber: p.blobSequenceNumber,
    copyStatus: p.copyStatus,
    tagCount: p.tagCount,
  };
}

export function containerProperties(p: ContainerGetPropertiesResponse): Observation {
  return {
    metadata: p.metadata,
    publicAccess: p.blobPublicAccess,
    leaseState: p.leaseState,
    leaseStatus: p.leaseStatus,
    leaseDuration: p.leaseDuration,
    hasImmutabilityPolicy: p.hasImmutabilityPolicy,
    hasLegalHold: p.hasLegalHold,
  };
}

/**
 * A listed blob. A snapshot's timestamp differs per server, so only whether
 * the entry is a snapshot is kept; entries keep their listed order.
 */
export function listedBlob(item: BlobItem): Observation {
  const p = item.properties;
  return {
    name: item.name,
    snapshot: item.snapshot ? 'snapshot' : undefined,
    metadata: item.metadata,
    tags: item.tags,
    blobType: p.blobType,
    contentLength: p.contentLength,
    contentType: p.contentType,
    contentMD5: base64(p.contentMD5),
    leaseState: p.leaseState,
    accessTier: p.accessTier,
  };
}

export async function readText(body: NodeJS.ReadableStream | undefined): Promise<string | undefined> {
  if (!body) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Collects a paged listing page by page, so the page boundaries are observed too. */
export async function pagesOf<P>(pages: AsyncIterable<P>, pick: (page: P) => Observed): Promise<Observed[]> {
  const seen: Observed[] = [];
  for await (const page of pages) seen.push(pick(page));
  return seen;
}
