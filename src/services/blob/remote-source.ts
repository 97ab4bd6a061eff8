import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { metadataHeaders, type StorageRequest } from '../storage-common/request.js';
import { commonErrors, StorageError } from '../storage-common/storage-error.js';
import { BlobDomainError } from './errors.js';
import type { ContentProperties } from './model.js';

/** A copy source outside this emulator, as its GET answered. */
export interface FetchedSource {
  chunks: Buffer[];
  properties: ContentProperties;
  metadata: Record<string, string>;
}

/** Long enough for a slow local server, short enough that a source that never answers fails the copy instead of hanging it. */
const FETCH_TIMEOUT_MS = 30_000;

const CONDITIONS = ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];

/**
 * GETs a copy source that is not a blob of this emulator, with the source
 * range, `x-ms-copy-source-authorization` as its Authorization header and
 * the `x-ms-source-if-*` conditions as its own. Failures answer
 * CannotVerifyCopySource with the source's status when it gave a 4xx.
 */
export async function fetchRemoteSource(request: StorageRequest, url: URL, range: { start: number; end?: number } | undefined, limit: number): Promise<FetchedSource> {
  const headers: Record<string, string> = { 'x-ms-version': request.header('x-ms-version') ?? '2025-11-05' };
  if (range) headers.range = `bytes=${range.start}-${range.end ?? ''}`;
  const authorization = request.header('x-ms-copy-source-authorization');
  if (authorization !== undefined) headers.authorization = authorization;
  for (const name of CONDITIONS) {
    const value = request.header(`x-ms-source-${name}`);
    if (value !== undefined) headers[name] = value;
  }
  const response = await get(url, headers);
  const status = response.statusCode ?? 0;
  if (status === 304 || status === 412) {
    response.resume();
    throw new BlobDomainError('SourceConditionNotMet');
  }
  if (status !== 200 && status !== 206) {
    response.resume();
    const code = response.headers['x-ms-error-code'];
    throw new StorageError(status >= 400 && status < 500 ? status : 400, 'CannotVerifyCopySource', `The copy source ${url.origin}${url.pathname} answered ${status}${code ? ` ${String(code)}` : ''}.`);
  }
  // A server that ignores Range answers 200 with everything: keep only the range.
  const skip = status === 200 && range ? range.start : 0;
  const wanted = status === 200 && range?.end !== undefined ? range.end - range.start + 1 : Infinity;
  const chunks = await readLimited(response, skip, Math.min(wanted, limit + 1));
  if (chunks.reduce((n, c) => n + c.length, 0) > limit) throw commonErrors.requestBodyTooLarge(limit);
  const h = (name: string) => {
    const value = response.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const properties = Object.fromEntries(
    Object.entries({
      contentType: h('content-type'),
      contentEncoding: h('content-encoding'),
      contentLanguage: h('content-language'),
      contentDisposition: h('content-disposition'),
      cacheControl: h('cache-control'),
      contentMd5: range ? undefined : h('content-md5'),
    }).filter(([, v]) => v !== undefined),
  ) as ContentProperties;
  return { chunks, properties, metadata: metadataHeaders(response as unknown as IncomingMessage) };
}

function get(url: URL, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, { method: 'GET', headers, timeout: FETCH_TIMEOUT_MS }, resolve);
    const unreachable = (reason: string) =>
      reject(new StorageError(400, 'CannotVerifyCopySource', `Could not read the copy source ${url.origin}${url.pathname}: ${reason}.`));
    outgoing.on('timeout', () => {
      outgoing.destroy();
      unreachable(`no answer within ${FETCH_TIMEOUT_MS / 1000} s`);
    });
    outgoing.on('error', (error) => unreachable(error.message));
    outgoing.end();
  });
}

/**
 * The body after its first `skip` bytes, at most `max` bytes of it: once
 * that much has arrived the connection is dropped, and so is a source that
 * has not finished within the fetch timeout.
 */
function readLimited(response: IncomingMessage, skip: number, max: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let skipped = 0;
    let kept = 0;
    const timer = setTimeout(() => {
      response.destroy();
      reject(new StorageError(400, 'CannotVerifyCopySource', `The copy source did not finish its answer within ${FETCH_TIMEOUT_MS / 1000} s.`));
    }, FETCH_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve(chunks);
    };
    response.on('data', (chunk: Buffer) => {
      let part = chunk;
      if (skipped < skip) {
        const drop = Math.min(skip - skipped, part.length);
        skipped += drop;
        part = part.subarray(drop);
      }
      if (part.length === 0) return;
      part = part.subarray(0, max - kept);
      kept += part.length;
      chunks.push(part);
      if (kept >= max) {
        response.destroy();
        done();
      }
    });
    response.on('end', done);
    response.on('error', () => {
      clearTimeout(timer);
      reject(new StorageError(400, 'CannotVerifyCopySource', 'The copy source broke off its answer.'));
    });
  });
}
