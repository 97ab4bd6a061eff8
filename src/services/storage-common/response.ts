import type { ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';

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
  pipeline(Readable.from(body, { objectMode: false }), res, () => {
    // A client that hangs up mid-download needs nothing more from us.
  });
}
