import type { ServerResponse } from 'node:http';

export type HeaderValue = string | number | boolean | undefined;

/**
 * What a handler answers. A body given as an iterable of buffers is streamed
 * as is (stored chunks, never concatenated); its handler sets Content-Length.
 */
export interface StorageResponse {
  status: number;
  headers?: Record<string, HeaderValue>;
  body?: string | Buffer | Iterable<Buffer>;
}

/** Writes a response; HEAD answers get the headers only. */
export function writeResponse(res: ServerResponse, method: string, response: StorageResponse): void {
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (value !== undefined) res.setHeader(name, String(value));
  }
  res.statusCode = response.status;
  const { body } = response;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    if (!res.hasHeader('content-length')) res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(method === 'HEAD' ? undefined : body);
    return;
  }
  if (body === undefined || method === 'HEAD') {
    if (!res.hasHeader('content-length')) res.setHeader('Content-Length', 0);
    res.end();
    return;
  }
  streamChunks(res, body[Symbol.iterator]());
}

/**
 * Writes stored chunks as the socket drains, the last one with `end` so a
 * small body leaves in one write with the headers. Not `stream.pipeline`:
 * its Readable, abort signal and end-of-stream watchers cost more than the
 * whole rest of a small download.
 */
function streamChunks(res: ServerResponse, chunks: Iterator<Buffer>, next = chunks.next()): void {
  try {
    while (!next.done) {
      const chunk = next.value;
      next = chunks.next();
      if (next.done) {
        res.end(chunk);
        return;
      }
      // False also once the client has hung up: then no 'drain' comes and nothing more is needed.
      if (!res.write(chunk)) {
        const pending = next;
        res.once('drain', () => streamChunks(res, chunks, pending));
        return;
      }
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
  }
}
