import { Agent, request as httpRequest } from 'node:http';
import type { RuntimeState } from '../core/inspection.js';
import type { Fault, FaultSpec } from '../core/fault-injector.js';
import type { Namespace } from '../core/namespaces.js';
import type { JournalFilter, JournalPage } from '../core/request-journal.js';
import type { SnapshotFile } from '../core/snapshot-file.js';
import type { SnapshotInfo } from '../runtime/snapshot-routes.js';
import { ControlRequestError, NotSetUpError } from './errors.js';

/** The part of an Environment a reset needs: where the control API is and which account is yours. */
export interface ResetTarget {
  controlUrl: string;
  account: { name: string };
}

/** Talks to a runtime's `/_localzure/` API from any process. */
export class ControlClient {
  /** `token`: the runtime's controlToken, when its control API asks for one; read from LOCALZURE_CONTROL_TOKEN when absent. */
  constructor(
    readonly controlUrl: string,
    readonly token: string | undefined = process.env.LOCALZURE_CONTROL_TOKEN,
  ) {}

  /** Resets one namespace (everything, or `service` and what depends on it); returns the services reset, in reset order. */
  async reset(namespace: string, service?: string): Promise<string[]> {
    const path = service === undefined ? 'reset' : `reset/${encodeURIComponent(service)}`;
    const result = (await this.#request('POST', `${path}?namespace=${encodeURIComponent(namespace)}`)) as { reset: string[] };
    return result.reset;
  }

  /** Creates the namespace (seeding it) unless it exists; one that exists with another key answers 409 `NamespaceConflict`. */
  async registerNamespace(namespace: Namespace): Promise<Namespace> {
    return (await this.#request('POST', 'namespaces', namespace)) as Namespace;
  }

  /** Moves the emulators' clock forward by `ms`; returns the new time. */
  async advanceClock(ms: number): Promise<Date> {
    const result = (await this.#request('POST', 'clock', { advanceMs: ms })) as { now: string };
    return new Date(result.now);
  }

  /** What the running services hold, for one namespace or all (`GET /_localzure/state`). */
  async state(namespace?: string): Promise<RuntimeState> {
    return (await this.#request('GET', namespace === undefined ? 'state' : `state?namespace=${encodeURIComponent(namespace)}`)) as RuntimeState;
  }

  /** Requests the emulators served (`GET /_localzure/requests`), oldest first, with how many older ones were dropped. */
  async requests(filter: JournalFilter = {}): Promise<JournalPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) if (value !== undefined) query.set(name, String(value));
    const search = query.toString();
    return (await this.#request('GET', search ? `requests?${search}` : 'requests')) as JournalPage;
  }

  /** Forgets the requests recorded for one namespace, or for all. */
  async clearRequests(namespace?: string): Promise<void> {
    await this.#request('DELETE', namespace === undefined ? 'requests' : `requests?namespace=${encodeURIComponent(namespace)}`);
  }

  /** Saves what `namespace` holds in every running service as snapshot `name` (replacing one of that name). */
  async snapshot(namespace: string, name: string): Promise<SnapshotInfo> {
    return (await this.#request('POST', `snapshots?namespace=${encodeURIComponent(namespace)}`, { name })) as SnapshotInfo;
  }

  /** Puts snapshot `name` of `namespace` back; 404 `SnapshotNotFound` when there is none. */
  async restore(namespace: string, name: string): Promise<SnapshotInfo> {
    return (await this.#request('POST', `snapshots/${encodeURIComponent(name)}?namespace=${encodeURIComponent(namespace)}`)) as SnapshotInfo;
  }

  /** `namespace` (the default account when undefined) as a snapshot file: as it stands, or saved snapshot `name`; only `services` when given. */
  async exportSnapshot(namespace: string | undefined, options: { name?: string; services?: string[] } = {}): Promise<SnapshotFile> {
    const query = new URLSearchParams(namespace === undefined ? {} : { namespace });
    if (options.name !== undefined) query.set('name', options.name);
    if (options.services !== undefined) query.set('services', options.services.join(','));
    return (await this.#request('GET', `snapshot-file?${query}`)) as SnapshotFile;
  }

  /** Arms a fault; answers it with its `id`. */
  async injectFault(spec: FaultSpec): Promise<Fault> {
    return ((await this.#request('POST', 'faults', spec)) as { fault: Fault }).fault;
  }

  /** The faults still armed, for one namespace or all. */
  async faults(namespace?: string): Promise<Fault[]> {
    return ((await this.#request('GET', namespace === undefined ? 'faults' : `faults?namespace=${encodeURIComponent(namespace)}`)) as { faults: Fault[] }).faults;
  }

  /** Disarms one fault by id, or every fault of a namespace (of all namespaces without one). */
  async clearFaults(scope: { namespace?: string; id?: string } = {}): Promise<void> {
    if (scope.id !== undefined) await this.#request('DELETE', `faults/${encodeURIComponent(scope.id)}`);
    else await this.#request('DELETE', scope.namespace === undefined ? 'faults' : `faults?namespace=${encodeURIComponent(scope.namespace)}`);
  }

  async #request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const url = `${this.controlUrl}/_localzure/${path}`;
    let response: { status: number; text: string };
    try {
      response = await send(url, method, body === undefined ? undefined : JSON.stringify(body), this.token);
    } catch (error) {
      throw new ControlRequestError(
        url,
        undefined,
        undefined,
        `LocalZure's control API at ${this.controlUrl} is not reachable (${String(error)}). Is the process that ran setup() still running?`,
        error,
      );
    }
    const { status, text } = response;
    const parsed = text ? (JSON.parse(text) as { error?: { code?: string; message?: string } }) : {};
    if (status < 200 || status >= 300) {
      throw new ControlRequestError(url, status, parsed.error?.code, `${method} ${url} answered ${status} ${parsed.error?.code ?? ''}: ${parsed.error?.message ?? text}`);
    }
    return parsed;
  }
}

// One kept-alive connection per worker carries every control call (a reset
// before each test among them): node:http, because fetch costs a millisecond
// more a call in stream machinery. Idle sockets do not keep a process alive.
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function send(url: string, method: string, body: string | undefined, token: string | undefined): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Resets LocalZure's data over the control API, from any process: everything,
 * or `service` and what depends on it, then re-applies the seed. Only the
 * calling worker's account is touched, so tests in other workers keep theirs.
 * Without `target`, the worker's Environment is read from process.env.
 *
 * @example
 * afterEach(() => resetLocalZure('blob'));
 */
export async function resetLocalZure(service?: string, target: ResetTarget = targetFromProcessEnv()): Promise<string[]> {
  return new ControlClient(target.controlUrl).reset(target.account.name, service);
}

/**
 * Moves the emulators' clock forward, from any process, so a test of
 * visibility timeouts, TTLs, leases or SAS expiry does not sleep. The clock is
 * shared by every worker and never moves backwards.
 *
 * @example
 * await queue.receiveMessages();
 * await advanceClock(30_000);
 * const [again] = (await queue.receiveMessages()).receivedMessageItems; // dequeueCount 2
 */
export async function advanceClock(ms: number, target: Pick<ResetTarget, 'controlUrl'> = targetFromProcessEnv()): Promise<Date> {
  return new ControlClient(target.controlUrl).advanceClock(ms);
}

/** The calling worker's control URL and account, from process.env; `helper` names the caller in the error when LocalZure is not set up. */
export function targetFromProcessEnv(helper = 'resetLocalZure()'): ResetTarget {
  const controlUrl = process.env.LOCALZURE_CONTROL_URL;
  const name = process.env.LOCALZURE_ACCOUNT_NAME;
  if (!controlUrl || !name) {
    throw new NotSetUpError(
      `${helper} found no LOCALZURE_CONTROL_URL or LOCALZURE_ACCOUNT_NAME in process.env. Start LocalZure first: a vitest globalSetup file exporting withLocalZure([...]), or localzure/jest/global-setup in the jest config.`,
    );
  }
  return { controlUrl, account: { name } };
}
