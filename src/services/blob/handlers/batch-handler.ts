import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { receiveText } from '../../storage-common/body.js';
import { DEFAULT_API_VERSION, findRoute, type StorageRoute } from '../../storage-common/dispatcher.js';
import { xmlErrorBody } from '../../storage-common/error-body.js';
import { MalformedMultipart, multipartBoundary, parseHttpParts, type HttpPart } from '../../storage-common/multipart.js';
import { headerOf, parseQuery, type StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors, StorageError } from '../../storage-common/storage-error.js';
import type { BlobAccess } from '../auth.js';
import { splitBlobPath } from '../routes.js';

/** Azure's limits: 256 subrequests in a batch body of at most 4 MiB. */
const MAX_SUBREQUESTS = 256;
const BODY_LIMIT = 4 * 1024 * 1024;
const BATCH_OPERATIONS = new Set(['DeleteBlob', 'SetBlobTier']);

export type SubRequestAuthorizer = (request: StorageRequest, route: StorageRoute<BlobAccess>) => void | Promise<void>;

interface SubRequest {
  contentId: string;
  request: StorageRequest;
  route: StorageRoute<BlobAccess>;
}

const invalidBatch = (message = 'One of the request inputs is not valid.') => new StorageError(400, 'InvalidInput', message);

/**
 * Blob Batch (`comp=batch`): Delete Blob or Set Blob Tier subrequests in a
 * multipart/mixed body, each authorized on its own (its own Shared Key
 * signature or SAS) and answered with its own status. A batch that cannot be
 * read as a whole is answered, as Azure does, with 202 holding one failed
 * subresponse.
 * https://learn.microsoft.com/rest/api/storageservices/blob-batch
 */
export function batchHandler(routes: () => StorageRoute<BlobAccess>[], authorize: SubRequestAuthorizer) {
  return async (batch: StorageRequest): Promise<StorageResponse> => {
    const contentType = batch.header('content-type');
    if (contentType === undefined || contentType === '') throw commonErrors.missingRequiredHeader('Content-Type');
    const body = await receiveText(batch.raw, BODY_LIMIT);
    let subRequests: SubRequest[];
    try {
      subRequests = readSubRequests(batch, contentType, body, routes());
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      return multipartAnswer([errorPart(batch, error)]);
    }
    const parts: string[] = [];
    for (const sub of subRequests) parts.push(await runSubRequest(batch, sub, authorize));
    return multipartAnswer(parts);
  };
}

function readSubRequests(batch: StorageRequest, contentType: string, body: string, routes: StorageRoute<BlobAccess>[]): SubRequest[] {
  const boundary = multipartBoundary(contentType);
  if ('problem' in boundary) throw boundary.problem === 'duplicate' ? invalidBatch() : commonErrors.invalidHeaderValue('Content-Type', contentType);
  let parts: HttpPart[];
  try {
    parts = parseHttpParts(body, boundary.boundary);
  } catch (error) {
    if (error instanceof MalformedMultipart) throw invalidBatch(`The batch body is not valid: ${error.message}.`);
    throw error;
  }
  if (parts.length === 0) throw invalidBatch('The batch holds no subrequests.');
  if (parts.length > MAX_SUBREQUESTS) throw new StorageError(400, 'ExceedsMaxBatchRequestCount', 'The batch operation exceeds maximum number of allowed subrequests.');
  const subRequests = parts.map((part) => toSubRequest(batch, part, routes));
  if (new Set(subRequests.map((s) => s.route.operation)).size > 1) throw new StorageError(400, 'AllBatchSubRequestsShouldBeSameApi', 'All batch subrequests should be the same api.');
  return subRequests;
}

function toSubRequest(batch: StorageRequest, part: HttpPart, routes: StorageRoute<BlobAccess>[]): SubRequest {
  const contentId = part.mimeHeaders.get('content-id');
  const [method = '', target = ''] = part.startLine.split(' ');
  if (contentId === undefined || method === '' || !target.startsWith('/')) throw invalidBatch(`The subrequest '${part.startLine}' is not valid.`);
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const query = parseQuery(q === -1 ? '' : target.slice(q + 1));
  let decoded: string[];
  try {
    decoded = rawPath.split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw invalidBatch(`The subrequest path '${rawPath}' is not valid percent-encoding.`);
  }
  // Path-style URLs name the account first; host-style ones start at the container.
  const afterAccount = decoded[0] === batch.account.name ? decoded.slice(1) : decoded;
  const segments = splitBlobPath(afterAccount);
  if (!query || segments.length !== 2) throw invalidBatch(`The subrequest '${part.startLine}' does not address a blob.`);
  // A container-scoped batch (restype=container) holds subrequests of that container only.
  if (batch.segments.length === 1 && segments[0] !== batch.segments[0]) throw invalidBatch(`The subrequest '${part.startLine}' is outside container ${batch.segments[0]}.`);
  const headers = new Map(part.headers.map(([name, value]) => [name.toLowerCase(), value]));
  const raw = {
    method,
    url: target,
    headers: Object.fromEntries(headers),
    rawHeaders: part.headers.flat(),
    socket: batch.raw.socket,
  } as unknown as IncomingMessage;
  const request: StorageRequest = {
    method: method.toUpperCase(),
    raw,
    rawPath,
    query,
    account: batch.account,
    segments,
    requestId: randomUUID(),
    now: batch.now,
    header: (name) => headerOf(raw, name),
  };
  const route = findRoute(routes, request);
  if (!route || typeof route.operation !== 'string' || !BATCH_OPERATIONS.has(route.operation)) {
    throw invalidBatch(`Only Delete Blob and Set Blob Tier can be batched, not '${part.startLine}'.`);
  }
  return { contentId, request, route };
}

async function runSubRequest(batch: StorageRequest, sub: SubRequest, authorize: SubRequestAuthorizer): Promise<string> {
  try {
    await authorize(sub.request, sub.route);
    const response = await sub.route.handle(sub.request);
    return httpPart(sub.contentId, response.status, { ...response.headers, ...commonHeaders(batch, sub.request.requestId) });
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    return errorPart(batch, error, sub);
  }
}

function errorPart(batch: StorageRequest, error: StorageError, sub?: SubRequest): string {
  const requestId = sub?.request.requestId ?? randomUUID();
  const { contentType, body } = xmlErrorBody(error, requestId, batch.now);
  const headers = { 'x-ms-error-code': error.code, ...error.headers, ...commonHeaders(batch, requestId), 'Content-Type': contentType };
  return httpPart(sub?.contentId, error.status, headers, body);
}

function commonHeaders(batch: StorageRequest, requestId: string): Record<string, string> {
  return { 'x-ms-request-id': requestId, 'x-ms-version': batch.header('x-ms-version') ?? DEFAULT_API_VERSION };
}

function httpPart(contentId: string | undefined, status: number, headers: StorageResponse['headers'], body?: string): string {
  const lines = ['Content-Type: application/http', ...(contentId !== undefined ? [`Content-ID: ${contentId}`] : []), '', `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`];
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) lines.push(`${name}: ${String(value)}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function multipartAnswer(parts: string[]): StorageResponse {
  const boundary = `batchresponse_${randomUUID()}`;
  return {
    status: 202,
    headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
    body: `${parts.map((part) => `--${boundary}\r\n${part}`).join('')}--${boundary}--\r\n`,
  };
}
