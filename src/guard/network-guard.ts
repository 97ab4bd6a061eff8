import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { ReplyFnContext, ReplyFnResult } from 'nock';
import type { Environment } from '../harness/environment.js';
import { STORAGE_ORIGIN, isAzureHost, productionStorageHost, standInService } from './azure-hosts.js';
import { guardConnections, unguardConnections } from './connection-guard.js';
import { RealAzureBlockedError } from './errors.js';

/** How the guard treats requests to Azure. */
export interface GuardOptions {
  /**
   * Serve production storage URLs (`https://<account>.blob|queue|table.core.windows.net/...`)
   * from the local emulator for that account instead of refusing them. Default false.
   */
  redirect?: boolean;
}

export interface NetworkGuardOptions extends GuardOptions {
  /** Where the emulators are; names the endpoint to use in errors and is where redirects go. */
  environment?: Environment;
}

type Nock = typeof import('nock');
type Interceptor = ReturnType<ReturnType<Nock>['intercept']>;

// nock dispatches on the method; Azure's clients use these.
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'MERGE', 'OPTIONS'];

// nock is one module per process (or per jest test file), and so must the
// redirect's interceptors be: a second guard replaces the first instead of
// stacking behind it.
const ARMED = Symbol.for('localzure.guard.interceptors');
type GuardGlobal = typeof globalThis & { [ARMED]?: { nock: Nock; interceptors: Interceptor[] } };

/**
 * Keeps a test process off real Azure. A connection to an Azure host fails
 * with `LZ_REAL_AZURE_BLOCKED` where it is made (see connection-guard.ts),
 * whichever client makes it: the SDKs' HTTP pipeline, fetch, AMQP over TCP.
 * Requests are not intercepted, so requests to the emulators cost nothing
 * and nock, when the user loads it, is theirs alone.
 *
 * Only `redirect` needs nock: production storage URLs are answered by the
 * emulator for their account through interceptors for those hosts alone.
 * nock.cleanAll() removes them with everyone else's, so the harness calls
 * `arm()` again before every test.
 */
export class NetworkGuard {
  readonly #nock: Nock | undefined;
  readonly #options: NetworkGuardOptions;
  // The body nock read for a request, by request: a reply function only sees it decoded.
  readonly #bodies = new WeakMap<object, string>();

  /** `nock` is needed for `redirect` only. */
  constructor(nock: Nock | undefined, options: NetworkGuardOptions = {}) {
    if (options.redirect && !nock) throw new TypeError('A redirecting network guard needs nock: use installNetworkGuard().');
    this.#nock = nock;
    this.#options = options;
  }

  /** (Re-)installs the guard; safe to call before every test. */
  arm(): void {
    guardConnections({
      blocks: isAzureHost,
      refusal: (host, attempt) => new RealAzureBlockedError(attempt, this.#instead(host)),
    });
    if (this.#options.redirect) this.#armRedirect(this.#nock!);
  }

  /** Removes the guard, whichever guard in this process installed it. */
  disarm(): void {
    unguardConnections();
    this.#disarmRedirect();
  }

  #armRedirect(nock: Nock): void {
    if (!nock.isActive()) nock.activate();
    this.#disarmRedirect();
    const scope = nock(STORAGE_ORIGIN).persist();
    scope.on('request', (req: object, _interceptor: unknown, body: string) => this.#bodies.set(req, body));
    const guard = this;
    const interceptors = METHODS.map((method) => {
      const interceptor = scope.intercept(() => true, method);
      interceptor.reply(function (this: ReplyFnContext) {
        return guard.#answer(this.req as unknown as InterceptedRequest);
      });
      return interceptor;
    });
    (globalThis as GuardGlobal)[ARMED] = { nock, interceptors };
  }

  #disarmRedirect(): void {
    const holder = globalThis as GuardGlobal;
    const armed = holder[ARMED];
    if (!armed) return;
    for (const interceptor of armed.interceptors) armed.nock.removeInterceptor(interceptor);
    delete holder[ARMED];
  }

  async #answer(req: InterceptedRequest): Promise<ReplyFnResult> {
    const storage = productionStorageHost(req.options.hostname)!;
    const endpoint = this.#options.environment?.endpoints[storage.service];
    if (endpoint) {
      return forward(req, new URL(endpoint).origin, `/${storage.account}${req.path}`, decodeBody(this.#bodies.get(req) ?? '', req.getHeader('content-length')));
    }
    throw new RealAzureBlockedError(`${req.method} ${req.options.protocol}//${req.options.hostname}${req.path}`, this.#instead(req.options.hostname));
  }

  #instead(hostname: string): string {
    const environment = this.#options.environment;
    const service = standInService(hostname);
    if (!service) return 'Point the code under test at a LocalZure emulator instead.';
    const variable = service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    if (environment?.endpoints[service]) {
      const storage = productionStorageHost(hostname);
      const redirect = storage && !this.#options.redirect ? ' or set guard: { redirect: true } to serve production URLs from the emulator' : '';
      return `Use the ${service} emulator at ${environment.endpoints[service]} (process.env.LOCALZURE_${variable}_ENDPOINT, or the connection string in AZURE_STORAGE_CONNECTION_STRING)${redirect}.`;
    }
    if (environment?.connectionStrings[service]) {
      return `Use the ${service} emulator's connection string (process.env.LOCALZURE_${variable}_CONNECTION_STRING).`;
    }
    return `Start the "${service}" emulator (withLocalZure(['${service}', ...])) and use its endpoint.`;
  }
}

/** nock's stand-in for the client's request: the URL it was sent to is in `options`. */
type InterceptedRequest = ClientRequest & { options: { protocol: string; hostname: string } };

/**
 * nock hands request bodies over as text: UTF-8 when the bytes survive that
 * round trip, hex otherwise. The declared length tells the two apart (a
 * UTF-8 reading is never shorter than the text, a hex one always half of it).
 */
function decodeBody(text: string, declaredLength: unknown): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  const declared = declaredLength === undefined ? undefined : Number(declaredLength);
  if (declared !== undefined) return utf8.length === declared ? utf8 : Buffer.from(text, 'hex');
  const hex = /^(?:[0-9a-f]{2})*$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  return hex && !hex.equals(Buffer.from(hex.toString('utf8'), 'utf8')) ? hex : utf8;
}

// Sends the request on to the emulator with its headers as signed (Shared Key
// covers the path the client saw, which the emulator also accepts) and
// streams the answer back.
function forward(req: InterceptedRequest, origin: string, path: string, body: Buffer): Promise<ReplyFnResult> {
  const headers = { ...req.getHeaders() };
  delete headers.host;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${origin}${path}`, { method: req.method, headers }, (response: IncomingMessage) => {
      // nock streams any readable body; its types only name file streams.
      resolve([response.statusCode ?? 502, response as unknown as Buffer, responseHeaders(response.headers)]);
    });
    outgoing.on('error', reject);
    outgoing.end(body.length > 0 ? body : undefined);
  });
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}
