import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.js';
import type { FaultInjector } from '../../core/fault-injector.js';
import type { RequestJournal } from '../../core/request-journal.js';
import type { Namespace, NamespaceRegistry } from '../../core/namespaces.js';
import type { Logger } from '../../core/service.js';
import { corsResponseHeaders, preflightResponse, type CorsRules } from './cors.js';
import { httpDate } from './dates.js';
import { headerOf, parseQuery, type StorageRequest } from './request.js';
import { writeResponse, type StorageResponse } from './response.js';
import { commonErrors, StorageError } from './storage-error.js';
import { xmlErrorBody } from './error-body.js';
import { applyFault } from './fault-gate.js';
import { operationName } from './operation-name.js';
import { recordRequest, type RequestRecording } from './request-recorder.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'MERGE' | 'PATCH';

/**
 * One row of a service's route table. Azure storage picks an operation by
 * method, path depth and the `restype`/`comp` query values; the table is the
 * one place where a request finds its handler.
 */
export interface StorageRoute<Access> {
  method: HttpMethod;
  /** Path segments after the account: 0 the service, 1 a container/queue/table, 2 what is inside. */
  depth: number;
  restype?: string;
  comp?: string;
  /**
   * Further narrows the resource when depth and query are not enough: the
   * table service tells `Tables`, `$batch` and a user table apart by name.
   */
  match?: (segments: readonly string[]) => boolean;
  /** What the service's authorizer needs to judge this operation (SAS permissions, public read, ...). */
  access: Access;
  /**
   * Azure's name for the operation (`PutBlob`, `PutMessage`, ...), as the
   * request journal records it and faults match it; a function when one row
   * serves two operations (`PutBlob` and `CopyBlob`).
   */
  operation?: string | ((request: StorageRequest) => string);
  handle(request: StorageRequest): Promise<StorageResponse> | StorageResponse;
}

export type StorageHandler = StorageRoute<unknown>['handle'];

export interface ErrorBody {
  contentType: string;
  body: string;
}

export interface StorageDispatcherOptions<Access> {
  /** Names the service in the `Server` header and in logs. */
  service: string;
  routes: StorageRoute<Access>[];
  namespaces: NamespaceRegistry;
  clock: Clock;
  logger: Logger;
  /** Turns the decoded segments after the account into the service's own; blob keeps `/` inside blob names. */
  splitPath?: (segments: string[]) => string[];
  /** Throws a StorageError to refuse; runs after the route is found and before its handler. */
  authorize(request: StorageRequest, route: StorageRoute<Access>): void | Promise<void>;
  /** Error body format; Azure's XML `<Error>` unless the service answers JSON. */
  renderError?: (error: StorageError, requestId: string, now: number) => ErrorBody;
  /** The account's CORS rules, from the service properties: preflight OPTIONS and the CORS headers of answers to requests with an Origin. */
  cors?: CorsRules;
  /** Answers requests no route takes before the 400/405; undefined to fall through. */
  fallback?: (request: StorageRequest) => Promise<StorageResponse | undefined> | StorageResponse | undefined;
  /** Records every request that reached an account; StorageService fills it in from `context.journal`. */
  journal?: RequestJournal;
  /** Armed faults, consulted before authorization and the handler; StorageService fills it in from `context.faults`. */
  faults?: FaultInjector;
}

type Observers = Pick<StorageDispatcherOptions<unknown>, 'journal' | 'faults'>;

const OBSERVERS = new WeakMap<RequestListener, Observers>();

/**
 * Connects a dispatcher to the runtime's request journal and faults, where
 * its options named none. StorageService does this for every storage
 * emulator, so a service only builds its dispatcher.
 */
export function observeDispatcher(listener: RequestListener, observers: Observers): void {
  const current = OBSERVERS.get(listener);
  if (!current) return;
  current.journal ??= observers.journal;
  current.faults ??= observers.faults;
}

/** Default `x-ms-version` answered when the client sent none. */
export const DEFAULT_API_VERSION = '2025-11-05';

/**
 * Builds the request listener of a storage service: parses the URL, finds the
 * account (looked up per request, as accounts come and go at run time) and the
 * route, authorizes, runs the handler, and turns every failure into Azure's
 * error response. Every answer carries `x-ms-request-id`, `x-ms-version`
 * (any version of the date form the client sends is accepted and echoed) and `Date`.
 */
export function createStorageDispatcher<Access>(options: StorageDispatcherOptions<Access>): RequestListener {
  const renderError = options.renderError ?? xmlErrorBody;
  const observers: Observers = { journal: options.journal, faults: options.faults };
  const listener: RequestListener = (req, res) => {
    const requestId = randomUUID();
    const now = options.clock.now();
    // The last resort, so it must not throw: an error escaping here would be
    // uncaught and end the process. When even the error cannot be written,
    // that one connection is dropped and everything else carries on.
    const fail = (error: unknown) => {
      try {
        const storageError = error instanceof StorageError ? error : commonErrors.internalError();
        if (!(error instanceof StorageError)) options.logger.error(`${options.service}: ${req.method} ${req.url} failed: ${String((error as Error)?.stack ?? error)}`);
        sendError(options, res, req, storageError, renderError(storageError, requestId, now));
      } catch (failure) {
        res.destroy();
        try {
          options.logger.error(`${options.service}: ${req.method} ${req.url}: the error answer failed, so the connection was dropped: ${String(failure)}`);
        } catch {
          // Nothing is left to tell; the connection is gone and the server carries on.
        }
      }
    };
    try {
      res.setHeader('x-ms-request-id', requestId);
      res.setHeader('x-ms-version', headerOf(req, 'x-ms-version') ?? DEFAULT_API_VERSION);
      res.setHeader('Date', httpDate(now));
      res.setHeader('Server', `LocalZure-${options.service}`);
      const clientRequestId = headerOf(req, 'x-ms-client-request-id');
      if (clientRequestId !== undefined) res.setHeader('x-ms-client-request-id', clientRequestId);
      const recording = observers.journal && recordRequest(observers.journal, options.service, req, res, now);
      void answer(options, observers.faults, req, res, requestId, now, recording).catch(fail);
    } catch (error) {
      fail(error);
    }
  };
  OBSERVERS.set(listener, observers);
  return listener;
}

async function answer<Access>(
  options: StorageDispatcherOptions<Access>,
  faults: FaultInjector | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  now: number,
  recording: RequestRecording | undefined,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
  if (!query) throw commonErrors.invalidUri('The query string is not valid percent-encoding.');
  // Any version of the storage services' form is accepted (newer SDKs than this emulator included); another text is none, as Azure answers.
  const version = headerOf(req, 'x-ms-version');
  if (version !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(version)) throw commonErrors.invalidHeaderValue('x-ms-version', version);
  let decoded: string[];
  try {
    decoded = rawPath.split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw commonErrors.invalidUri('The path is not valid percent-encoding.');
  }
  const [accountName = '', ...rest] = decoded;
  if (accountName === '') throw commonErrors.invalidUri('The path must start with the account name: /<account>/...');
  const { account, secondary } = resolveAccount(options.namespaces, accountName);
  if (!account) throw commonErrors.authenticationFailed(`The storage account "${accountName}" does not exist on this emulator.`);
  if (secondary && !READS.has(req.method ?? 'GET')) throw secondaryWrite();
  const segments = (options.splitPath ?? ((s: string[]) => s))(rest.length === 1 && rest[0] === '' ? [] : rest);
  const request: StorageRequest = {
    method: req.method ?? 'GET',
    raw: req,
    rawPath,
    query,
    account,
    ...(secondary ? { secondary } : {}),
    segments,
    requestId,
    now,
    header: (name) => headerOf(req, name),
  };
  const route = findRoute(options.routes, request);
  const operation = operationName(route, request);
  recording?.identify(request, operation);
  if (faults) {
    const target = { service: options.service, operation, path: `/${segments.join('/')}`, namespace: account.name };
    if ((await applyFault(faults, target, req, recording)) === 'dropped') return;
  }
  if (request.method === 'OPTIONS' && options.cors) {
    writeResponse(res, request.method, preflightResponse(options.cors(account.name), request.header));
    return;
  }
  if (!route) {
    const fallback = await options.fallback?.(request);
    if (!fallback) throw noRoute(options.routes, request);
    writeAnswer(options, res, req, fallback);
    return;
  }
  await options.authorize(request, route);
  writeAnswer(options, res, req, await route.handle(request));
}

const SECONDARY_SUFFIX = '-secondary';
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Seen from AzCopy against an RA-GRS secondary: "403 Write operations are not allowed".
const secondaryWrite = () => new StorageError(403, 'AuthorizationFailure', 'Write operations are not allowed on the secondary endpoint.');

/** `<account>-secondary` is the account's read-only secondary endpoint, unless an account has that very name. */
function resolveAccount(namespaces: NamespaceRegistry, name: string): { account?: Namespace; secondary: boolean } {
  const account = namespaces.get(name);
  if (account || !name.endsWith(SECONDARY_SUFFIX)) return { account, secondary: false };
  const primary = namespaces.get(name.slice(0, -SECONDARY_SUFFIX.length));
  return { account: primary, secondary: primary !== undefined };
}

/** Writes an answer with the CORS headers the account's rules give a request from an Origin. */
function writeAnswer(options: Pick<StorageDispatcherOptions<unknown>, 'cors' | 'namespaces'>, res: ServerResponse, req: IncomingMessage, response: StorageResponse): void {
  const origin = options.cors && headerOf(req, 'origin');
  if (origin !== undefined && origin !== '' && req.method !== 'OPTIONS') {
    const account = accountOfUrl(req.url ?? '/');
    const resolved = account === undefined ? undefined : resolveAccount(options.namespaces, account).account;
    if (resolved) {
      const names = [...res.getHeaderNames(), ...Object.keys(response.headers ?? {}), 'Content-Length'];
      response = { ...response, headers: { ...response.headers, ...corsResponseHeaders(options.cors!(resolved.name), origin, req.method ?? 'GET', names) } };
    }
  }
  writeResponse(res, req.method ?? 'GET', response);
}

/** The account named first in a request path; errors can come before the request was parsed. */
function accountOfUrl(url: string): string | undefined {
  const path = url.split('?', 1)[0]!;
  try {
    return decodeURIComponent(path.split('/')[1] ?? '') || undefined;
  } catch {
    return undefined;
  }
}

/** The route of a request by method, depth and restype/comp; batch handlers find their subrequests' routes the same way. */
export function findRoute<Access>(routes: StorageRoute<Access>[], request: StorageRequest): StorageRoute<Access> | undefined {
  return routes.find((r) => r.method === request.method && sameResource(r, request));
}

function sameResource(route: StorageRoute<unknown>, request: StorageRequest): boolean {
  return (
    route.depth === request.segments.length &&
    (route.restype ?? null) === request.query.get('restype') &&
    (route.comp ?? null) === request.query.get('comp') &&
    (route.match?.(request.segments) ?? true)
  );
}

function noRoute(routes: StorageRoute<unknown>[], request: StorageRequest): StorageError {
  if (routes.some((r) => sameResource(r, request))) return commonErrors.unsupportedHttpVerb(request.method);
  const comp = request.query.get('comp');
  if (comp !== null) return commonErrors.invalidQueryParameterValue('comp', comp);
  const restype = request.query.get('restype');
  if (restype !== null) return commonErrors.invalidQueryParameterValue('restype', restype);
  return commonErrors.invalidUri();
}

function sendError(options: Pick<StorageDispatcherOptions<unknown>, 'cors' | 'namespaces'>, res: ServerResponse, req: IncomingMessage, error: StorageError, body: ErrorBody): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // The client may still be sending a body we will never read; let it drain.
  if (!req.complete) req.resume();
  res.setHeader('x-ms-error-code', error.code);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  const hasBody = req.method !== 'HEAD' && error.status !== 304;
  writeAnswer(options, res, req, {
    status: error.status,
    headers: hasBody ? { 'Content-Type': body.contentType } : {},
    body: hasBody ? body.body : undefined,
  });
}
