import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
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
    const declared = (value: unknown) => (value === undefined ? undefined : Number(value));
    const errorCode = res.headersSent ? res.getHeader('x-ms-error-code') : undefined;
    journal.record({
      time: new Date(arrivedAt).toISOString(),
      service,
      namespace: request.account.name,
      operation,
      method: request.method,
      path: `/${request.segments.join('/')}`,
      query: redactSignature(queryOf(req)),
      status: res.headersSent ? res.statusCode : 0,
      ...(errorCode === undefined ? {} : { errorCode: String(errorCode) }),
      headers: recordedHeaders(req),
      ...optional('requestSize', declared(req.headers['content-length'])),
      ...optional('responseSize', request.method === 'HEAD' ? 0 : res.headersSent ? declared(res.getHeader('content-length')) : undefined),
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      ...(fault ? { fault } : {}),
    });
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
  return query.replace(/(^|&)sig=[^&]*/g, '$1sig=REDACTED');
}

function optional<K extends string>(name: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined || Number.isNaN(value) ? {} : ({ [name]: value } as Record<K, number>);
}
