import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.js';
import type { FaultInjector } from '../../core/fault-injector.js';
import type { RequestJournal } from '../../core/request-journal.js';
import type { Logger } from '../../core/service.js';
import { receiveText } from '../storage-common/body.js';
import { httpDate } from '../storage-common/dates.js';
import { applyFault } from '../storage-common/fault-gate.js';
import { headerOf, parseQuery } from '../storage-common/request.js';
import { recordRequest } from '../storage-common/request-recorder.js';
import { writeResponse } from '../storage-common/response.js';
import { StorageError } from '../storage-common/storage-error.js';
import type { MasterKeyVerifier } from './auth.js';
import { badRequest, CosmosError, notFound, notImplemented } from './errors.js';
import type { CosmosRequest, CosmosResponse } from './request.js';
import { jsonProblem } from './query/values.js';
import type { CosmosRoute } from './routes.js';

/** The largest request body read; items above 2 MB get 413 from the store, bodies far above it before they are read. */
const BODY_LIMIT = 16 * 1024 * 1024;

/** Retry hint on a 429 a test injected, so SDK retries stay quick. */
const RETRY_AFTER_MS = '10';

export interface CosmosDispatcherOptions {
  routes: CosmosRoute[];
  verifier: MasterKeyVerifier;
  clock: Clock;
  logger: Logger;
  journal?: RequestJournal;
  faults?: FaultInjector;
}

/**
 * The request listener of the Cosmos DB emulator: decodes the resource
 * path, verifies the master-key signature (which also tells the namespace),
 * applies injected faults, runs the route's handler and turns every failure
 * into Cosmos DB's JSON error with its status.
 */
export function createCosmosDispatcher(options: CosmosDispatcherOptions): RequestListener {
  return (req, res) => {
    const activityId = randomUUID();
    const now = options.clock.now();
    res.setHeader('x-ms-activity-id', activityId);
    res.setHeader('Date', httpDate(now));
    res.setHeader('x-ms-gatewayversion', 'LocalZure');
    res.setHeader('x-ms-request-charge', '1');
    const recording = options.journal && recordRequest(options.journal, 'cosmosdb', req, res, now);
    answer(options, req, res, activityId, now, recording).catch((error: unknown) => {
      const failure = asCosmosError(error);
      if (failure.status >= 500 && !(error instanceof CosmosError)) options.logger.error(`cosmosdb: ${req.method} ${req.url} failed: ${String((error as Error)?.stack ?? error)}`);
      sendError(req, res, failure, activityId);
    });
  };
}

async function answer(
  options: CosmosDispatcherOptions,
  req: IncomingMessage,
  res: ServerResponse,
  activityId: string,
  now: number,
  recording: ReturnType<typeof recordRequest> | undefined,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const segments = decodeSegments(rawPath);
  const shape = segments.map((s, i) => (i % 2 === 1 ? '*' : s)).join('/');
  const method = req.method ?? 'GET';
  const namespace = options.verifier.verify({
    method,
    ...signedResource(segments),
    authorization: headerOf(req, 'authorization'),
    date: headerOf(req, 'x-ms-date') ?? headerOf(req, 'date'),
  });
  const request: CosmosRequest = {
    method,
    raw: req,
    rawPath,
    query: parseQuery(q === -1 ? '' : url.slice(q + 1)) ?? new URLSearchParams(),
    account: namespace,
    segments,
    requestId: activityId,
    now,
    host: headerOf(req, 'host') ?? '127.0.0.1',
    header: (name) => headerOf(req, name),
    json: () => readJson(req),
  };
  const route = options.routes.find((r) => r.shape === shape && r.method === method);
  const operation = route ? (typeof route.operation === 'string' ? route.operation : route.operation(request)) : `${method} ${shape || '/'}`;
  recording?.identify(request, operation);
  if (options.faults) {
    const target = { service: 'cosmosdb', operation, path: `/${segments.join('/')}`, namespace: namespace.name };
    if ((await applyFault(options.faults, target, req, recording)) === 'dropped') return;
  }
  if (!route) throw noRoute(options.routes, shape, method);
  send(res, method, await route.handle(request));
}

/** The resource type and link the SDK signs: a feed is signed with its parent's link, a resource with its own; offers with their lower-cased id. */
function signedResource(segments: string[]): { resourceType: string; resourceLink: string } {
  const n = segments.length;
  if (n === 0) return { resourceType: '', resourceLink: '' };
  if (n % 2 === 1) return { resourceType: segments[n - 1]!, resourceLink: segments.slice(0, -1).join('/') };
  if (segments[0] === 'offers') return { resourceType: 'offers', resourceLink: segments[1]!.toLowerCase() };
  return { resourceType: segments[n - 2]!, resourceLink: segments.join('/') };
}

function decodeSegments(rawPath: string): string[] {
  const trimmed = rawPath.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return [];
  try {
    const segments = trimmed.split('/');
    return trimmed.includes('%') ? segments.map(decodeURIComponent) : segments;
  } catch {
    throw badRequest('The request path is not valid percent-encoding.');
  }
}

/** Cosmos DB nests items at most 128 levels deep; a batch wraps each in two more. Checked before anything walks the body recursively (copies, size checks, queries), which a deeper one would overflow. */
const MAX_BODY_DEPTH = 130;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await receiveText(req, BODY_LIMIT);
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  const problem = jsonProblem(body, MAX_BODY_DEPTH);
  if (problem) throw badRequest(`The request body ${problem}.`);
  return body;
}

// Children of containers and databases that Cosmos DB has and this emulator refuses by name.
const UNSUPPORTED: Record<string, string> = {
  sprocs: 'stored procedures',
  triggers: 'triggers',
  udfs: 'user-defined functions',
  users: 'users and permissions',
  permissions: 'users and permissions',
  conflicts: 'the conflicts feed',
  attachments: 'attachments',
  clientencryptionkeys: 'client encryption keys',
};

function noRoute(routes: CosmosRoute[], shape: string, method: string): CosmosError {
  const feature = shape.split('/').find((part) => UNSUPPORTED[part]);
  if (feature) return notImplemented(UNSUPPORTED[feature]!);
  if (routes.some((r) => r.shape === shape)) return new CosmosError('MethodNotAllowed', `${method} is not allowed on this resource.`);
  return notFound(`There is no Cosmos DB resource at this path.`);
}

function send(res: ServerResponse, method: string, response: CosmosResponse): void {
  const body = response.body === undefined ? undefined : JSON.stringify(response.body);
  if (body !== undefined) res.setHeader('Content-Type', 'application/json');
  writeResponse(res, method, { status: response.status, headers: response.headers, body });
}

function asCosmosError(error: unknown): CosmosError {
  if (error instanceof CosmosError) return error;
  // Shared protocol helpers (body reading, injected faults) speak storage errors; keep their status.
  if (error instanceof StorageError) {
    if (error.status === 413) return new CosmosError('RequestEntityTooLarge', 'Request size is too large.');
    const code = error.status === 429 ? 'TooManyRequests' : error.code;
    const headers: Record<string, string> = error.status === 429 ? { 'x-ms-retry-after-ms': RETRY_AFTER_MS } : {};
    return new CosmosError(code, error.message, { status: error.status, headers });
  }
  return new CosmosError('InternalServerError', 'The emulator failed to serve the request; the LocalZure log has the details.');
}

function sendError(req: IncomingMessage, res: ServerResponse, error: CosmosError, activityId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!req.complete) req.resume();
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  const message = `${error.message}\r\nActivityId: ${activityId}, Request URI: ${req.url ?? '/'}, LocalZure`;
  send(res, req.method ?? 'GET', { status: error.status, body: { code: error.code, message } });
}
