import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JournalEntry, RequestJournal } from '../../core/request-journal.js';
import type { StorageRequest } from './request.js';

// Credentials and per-connection noise; every other request header is kept.
const UNRECORDED_HEADERS = new Set([
  'authorization',
  'x-ms-copy-source-authorization',
  'cookie',
  'host',
  'connection',
  'keep-alive',
  'user-agent',
  'accept-encoding',
  'date',
  'x-ms-date',
]);

/** Follows one request to its end and records it in the journal. */
export interface RequestRecording {
  /** Called once the account and operation are known; requests never identified (bad URL, unknown account) are not recorded. */
  identify(request: StorageRequest, operation: string): void;
  /** Notes that an injected fault shaped the answer. */
  faulted(fault: NonNullable<JournalEntry['fault']>): void;
}

/** Starts recording a request; the entry is written when the response closes, dropped connections included. */
export function recordRequest(journal: RequestJournal, service: string, req: IncomingMessage, res: ServerResponse, arrivedAt: number): RequestRecording {
  const started = performance.now();
  let identified: { request: StorageRequest; operation: string } | undefined;
  let fault: JournalEntry['fault'];
  res.once('close', () => {
    if (!identified) return;
    const { request, operation } = identified;
    const errorCode = res.headersSent ? res.getHeader('x-ms-error-code') : undefined;
    const requestSize = declaredSize(req.headers['content-length']);
    const responseSize = request.method === 'HEAD' ? 0 : res.headersSent ? declaredSize(res.getHeader('content-length')) : undefined;
    // Filled in field by field: in a literal, V8 defines every property that follows a spread through a slow runtime call.
    const entry = {
      time: new Date(arrivedAt).toISOString(),
      service,
      namespace: request.account.name,
      operation,
      method: request.method,
      path: `/${request.segments.join('/')}`,
      query: redactSignature(queryOf(req)),
      status: res.headersSent ? res.statusCode : 0,
    } as Omit<JournalEntry, 'seq'>;
    if (errorCode !== undefined) entry.errorCode = String(errorCode);
    entry.headers = recordedHeaders(req);
    if (requestSize !== undefined) entry.requestSize = requestSize;
    if (responseSize !== undefined) entry.responseSize = responseSize;
    entry.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    if (fault) entry.fault = fault;
    journal.record(entry);
  });
  return {
    identify: (request, operation) => {
      identified = { request, operation };
    },
    faulted: (what) => {
      fault = what;
    },
  };
}

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || UNRECORDED_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function queryOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}

// A SAS signature is a credential: the journal shows that one was sent, not what it was.
function redactSignature(query: string): string {
  if (!query.includes('sig=')) return query;
  return query.replace(/(^|&)sig=[^&]*/g, '$1sig=REDACTED');
}

/** A Content-Length as a number; undefined when absent or not a number. */
function declaredSize(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const size = Number(value);
  return Number.isNaN(size) ? undefined : size;
}
