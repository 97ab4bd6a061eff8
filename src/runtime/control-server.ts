import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalZureError, ServiceNotFoundError, ServiceStateError } from '../core/errors.js';
import { close as closeServer, listen as listenOn } from '../core/listen.js';

export type ControlHandler = (request: ControlRequest) => Promise<unknown> | unknown;

export interface ControlRequest {
  /** Path segments after `/_localzure/`. */
  params: string[];
  query: URLSearchParams;
  body: unknown;
}

export interface ControlRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under `/_localzure/`; a trailing `*` matches one more segment. */
  path: string;
  handler: ControlHandler;
}

export const CONTROL_PREFIX = '/_localzure';
const MAX_BODY = 1024 * 1024;

/** A handler result sent as it is (an HTML page, say) instead of as JSON. */
export class ControlPage {
  constructor(
    readonly contentType: string,
    readonly body: string,
  ) {}
}

/** Answers `HttpError`s with their status; anything else becomes a 500 with the message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A small JSON-over-HTTP server for the `/_localzure/` control API. */
export class ControlServer {
  readonly #routes: ControlRoute[];
  readonly #tokenDigest: Buffer | undefined;
  #server: Server | undefined;

  /** With a `token`, every request must carry `Authorization: Bearer <token>`. */
  constructor(routes: ControlRoute[], token?: string) {
    this.#routes = routes;
    this.#tokenDigest = token === undefined ? undefined : digest(token);
  }

  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  async listen(host: string, port = 0): Promise<number> {
    const server = createServer((req, res) => void this.#handle(req, res));
    // Node's agents give up a kept-alive socket a second before the server's advertised
    // `Keep-Alive: timeout`: at 1 s that is at once, and every reset opened a new connection.
    // close() drops idle connections itself, so a longer wait costs nothing at shutdown.
    server.keepAliveTimeout = 5000;
    await listenOn(server, host, port, 'the control server (option controlPort)');
    this.#server = server;
    return this.port!;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await closeServer(server);
  }

  // Digests compared in constant time: neither the token nor its length leaks through timing.
  #authenticate(req: IncomingMessage): void {
    if (!this.#tokenDigest) return;
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), this.#tokenDigest)) {
      req.resume();
      throw new HttpError(401, 'Unauthorized', 'This control API requires "Authorization: Bearer <token>": the token is the runtime\'s controlToken, handed to test workers as LOCALZURE_CONTROL_TOKEN.');
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.#authenticate(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!url.pathname.startsWith(`${CONTROL_PREFIX}/`) && url.pathname !== CONTROL_PREFIX) {
        throw new HttpError(404, 'NotFound', `No control endpoint at ${url.pathname}; control paths start with ${CONTROL_PREFIX}/.`);
      }
      const segments = url.pathname
        .slice(CONTROL_PREFIX.length)
        .split('/')
        .filter(Boolean)
        .map(decodeSegment);
      const matching = this.#routes.filter((r) => matches(r.path, segments));
      if (matching.length === 0) {
        throw new HttpError(404, 'NotFound', `No control endpoint at ${url.pathname}.`);
      }
      const route = matching.find((r) => r.method === req.method);
      if (!route) {
        res.setHeader('Allow', [...new Set(matching.map((r) => r.method))].join(', '));
        throw new HttpError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}.`);
      }
      const body = await readJson(req);
      const fixed = route.path.split('/').filter(Boolean).length - (route.path.endsWith('*') ? 1 : 0);
      const result = await route.handler({ params: segments.slice(fixed), query: url.searchParams, body });
      if (result instanceof ControlPage) return sendPage(res, result);
      send(res, 200, result ?? { ok: true });
    } catch (error) {
      // The last resort must not throw: nothing would catch it and the process would end. When
      // even the error cannot be answered (headers already sent, say), that connection is dropped.
      try {
        sendFailure(res, error);
      } catch {
        res.destroy();
      }
    }
  }
}

function sendFailure(res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) return send(res, error.status, { error: { code: error.code, message: error.message } });
  if (error instanceof LocalZureError) {
    const status = error instanceof ServiceNotFoundError ? 404 : error instanceof ServiceStateError ? 409 : 500;
    return send(res, status, { error: { code: error.code, message: error.message } });
  }
  send(res, 500, { error: { code: 'InternalError', message: String(error) } });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'InvalidUri', `The path segment "${segment}" is not valid percent-encoding.`);
  }
}

function matches(pattern: string, segments: string[]): boolean {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.at(-1) === '*') {
    return segments.length === parts.length && parts.slice(0, -1).every((p, i) => p === segments[i]);
  }
  return segments.length === parts.length && parts.every((p, i) => p === segments[i]);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'RequestBodyTooLarge', 'Control requests take at most 1 MiB of JSON.');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'InvalidJson', 'The request body is not valid JSON.');
  }
}

function sendPage(res: ServerResponse, page: ControlPage): void {
  res.writeHead(200, { 'content-type': page.contentType, 'content-length': Buffer.byteLength(page.body), 'cache-control': 'no-store' });
  res.end(page.body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
