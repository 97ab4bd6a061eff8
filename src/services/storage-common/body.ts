import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';
import type { StorageQuota } from './quota.js';
import { commonErrors, StorageError } from './storage-error.js';

/** A request body as the chunks it arrived in: no copy is made of the data. */
export interface ReceivedBody {
  chunks: Buffer[];
  length: number;
  /** MD5 of the body, base64, computed while it streamed in. */
  md5: string;
}

/**
 * Reads a body chunk by chunk, refusing more than `limit` bytes before any
 * arrive when Content-Length says so. A body shorter than its Content-Length
 * (a client that gave up) rejects, so callers never store half of it. With a
 * `quota`, a body that would not fit in the service's stored-data cap is
 * refused as it streams, and checked once more when complete (callers store
 * it without awaiting in between).
 */
export async function receiveBody(raw: IncomingMessage, limit: number, quota?: StorageQuota): Promise<ReceivedBody> {
  const hash = createHash('md5');
  const { chunks, length } = await collect(raw, limit, quota, (chunk) => hash.update(chunk));
  return { chunks, length, md5: hash.digest('base64') };
}

/** A small body (XML, JSON) as text; no MD5, which none of them is checked against. */
export async function receiveText(raw: IncomingMessage, limit = 4 * 1024 * 1024, quota?: StorageQuota): Promise<string> {
  const { chunks } = await collect(raw, limit, quota);
  return (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
}

async function collect(raw: IncomingMessage, limit: number, quota: StorageQuota | undefined, onChunk?: (chunk: Buffer) => void): Promise<{ chunks: Buffer[]; length: number }> {
  const declared = declaredLength(raw);
  if (declared !== undefined && declared > limit) throw commonErrors.requestBodyTooLarge(limit);
  const room = quota?.room() ?? Infinity;
  if (declared !== undefined) quota?.check(declared, room);
  const chunks: Buffer[] = [];
  let length = 0;
  // Events rather than `for await`: the async iterator's promise per chunk and its
  // generator cost more than everything else about a small upload's body.
  await new Promise<void>((resolve, reject) => {
    const stop = (error: StorageError) => {
      raw.off('data', take);
      stopWatching();
      // The rest of the body is read and dropped, so the answer can still go out on this connection.
      raw.resume();
      reject(error);
    };
    const take = (chunk: Buffer) => {
      length += chunk.length;
      try {
        if (length > limit) throw commonErrors.requestBodyTooLarge(limit);
        quota?.check(length, room);
      } catch (error) {
        stop(error as StorageError);
        return;
      }
      onChunk?.(chunk);
      chunks.push(chunk);
    };
    // A client that hangs up mid-body makes the stream fail with "aborted": that is an incomplete body, not a server fault.
    const stopWatching = finished(raw, { writable: false }, (error) => {
      raw.off('data', take);
      stopWatching();
      if (error) reject(commonErrors.incompleteBody());
      else resolve();
    });
    raw.on('data', take);
  });
  if (!raw.complete || (declared !== undefined && length !== declared)) throw commonErrors.incompleteBody();
  quota?.check(length);
  return { chunks, length };
}

/** Content-Length as a number; a malformed value is `InvalidHeaderValue`. */
export function declaredLength(raw: IncomingMessage): number | undefined {
  const text = raw.headers['content-length'];
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw commonErrors.invalidHeaderValue('Content-Length', text);
  return Number(text);
}

/** Checks a client-sent Content-MD5 (base64 of 16 bytes) against the one computed. */
export function verifyMd5(claimed: string | undefined, actual: string): void {
  if (claimed === undefined) return;
  if (Buffer.from(claimed, 'base64').length !== 16) throw commonErrors.invalidMd5();
  if (claimed !== actual) throw commonErrors.md5Mismatch(claimed, actual);
}
