import { randomUUID } from 'node:crypto';
import { LocalZureError } from './errors.js';
import type { FaultAction } from './request-journal.js';

/**
 * What to break and how. A fault answers an Azure error (`status`, with
 * `errorCode`), waits (`delayMs`, before answering or before serving
 * normally), drops the connection (`reset`) or detaches the AMQP link
 * (`detach`), for the next `times` matching requests; then the service
 * behaves normally again.
 */
export interface FaultSpec {
  /** The service whose requests it hits, e.g. `blob`. */
  service: string;
  /** Azure's operation name, e.g. `PutBlob`; any operation when absent. Case-insensitive. */
  operation?: string;
  /** The resource path after the account, e.g. `/photos` or `/photos/cat.png`; matches it and everything below it. */
  path?: string;
  /** Only this namespace (storage account); every namespace when absent. */
  namespace?: string;
  /** HTTP status to answer, e.g. 503. */
  status?: number;
  /** Azure's error code for `status`; defaults to the usual one (503 `ServerBusy`, 500 `InternalError`, ...). */
  errorCode?: string;
  /** How many matching requests it affects. Default 1. */
  times?: number;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
  /** Drop the connection without answering, as a network failure would. */
  reset?: boolean;
  /**
   * Detach the AMQP link carrying the operation (Service Bus, Event Hubs), as
   * Azure does when it moves an entity: with the condition of `status` when
   * given, else `amqp:link:detach-forced`. Services without links (HTTP)
   * drop the connection instead.
   */
  detach?: boolean;
}

/** A fault as the injector holds it. */
export interface Fault extends Omit<FaultSpec, 'times'> {
  id: string;
  /** Requests it will still affect. */
  remaining: number;
  /** Requests it has affected so far. */
  hits: number;
}

/** What `fault` does to a request, as the journal records it; a service without links (HTTP) drops the connection for a detach. */
export function faultAction(fault: Fault, links: boolean): FaultAction {
  if (fault.reset || (fault.detach && !links)) return 'drop';
  if (fault.detach) return 'detach';
  return fault.status !== undefined ? 'error' : 'delay';
}

/** Where a request is going; what faults are matched against. */
export interface FaultTarget {
  service: string;
  operation: string;
  path: string;
  namespace: string;
}

/** Azure's usual error code for the statuses a test most often injects. */
const DEFAULT_ERROR_CODES: Record<number, string> = {
  400: 'InvalidInput',
  403: 'AuthorizationFailure',
  404: 'ResourceNotFound',
  408: 'OperationTimedOut',
  409: 'ResourceAlreadyExists',
  412: 'ConditionNotMet',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServerBusy',
};

const ERROR_CODE = /^[\x21-\x7e]{1,256}$/;

/** A fault specification that cannot be applied; the message says which field and why. */
export class InvalidFaultError extends LocalZureError {
  constructor(message: string) {
    super('LZ_INVALID_FAULT', `Invalid fault: ${message}`);
  }
}

/**
 * The faults armed in one runtime. Matching takes one of a fault's `times`
 * at once, so requests running in parallel never share the last one.
 */
export class FaultInjector {
  readonly #faults: Fault[] = [];
  readonly #services: (() => string[]) | undefined;

  /** With `services`, a fault for a service not among the names it lists is refused: it could never hit. */
  constructor(services?: () => string[]) {
    this.#services = services;
  }

  add(spec: FaultSpec): Fault {
    const fault = validate(spec);
    const known = this.#services?.();
    if (known && !known.includes(fault.service)) {
      throw new InvalidFaultError(`no service "${fault.service}" runs here, so the fault could never hit; services: ${known.join(', ') || 'none'}.`);
    }
    this.#faults.push(fault);
    return { ...fault };
  }

  list(scope: { namespace?: string; service?: string } = {}): Fault[] {
    return this.#faults.filter((f) => inScope(f, scope)).map((f) => ({ ...f }));
  }

  /** The first armed fault matching `target`, with one of its `times` used up; undefined when none matches. */
  take(target: FaultTarget): Fault | undefined {
    const index = this.#faults.findIndex((f) => hits(f, target));
    if (index === -1) return undefined;
    const fault = this.#faults[index]!;
    fault.remaining -= 1;
    fault.hits += 1;
    if (fault.remaining === 0) this.#faults.splice(index, 1);
    return { ...fault };
  }

  remove(id: string): boolean {
    const index = this.#faults.findIndex((f) => f.id === id);
    if (index !== -1) this.#faults.splice(index, 1);
    return index !== -1;
  }

  /**
   * Disarms the faults of one namespace (every fault when absent), optionally
   * only one service's. Faults armed for every namespace survive a
   * namespace's reset: they belong to whoever armed them runtime-wide.
   */
  clear(scope: { namespace?: string; service?: string } = {}): void {
    for (let i = this.#faults.length - 1; i >= 0; i--) {
      if (inScope(this.#faults[i]!, scope)) this.#faults.splice(i, 1);
    }
  }
}

function inScope(fault: Fault, scope: { namespace?: string; service?: string }): boolean {
  return (scope.namespace === undefined || fault.namespace === scope.namespace) && (scope.service === undefined || fault.service === scope.service);
}

function hits(fault: Fault, target: FaultTarget): boolean {
  return (
    fault.service === target.service &&
    (fault.namespace === undefined || fault.namespace === target.namespace) &&
    (fault.operation === undefined || fault.operation.toLowerCase() === target.operation.toLowerCase()) &&
    (fault.path === undefined || underPath(target.path, fault.path))
  );
}

function underPath(path: string, prefix: string): boolean {
  const base = prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
  return path === base || path.startsWith(base.endsWith('/') ? base : `${base}/`);
}

function validate(spec: FaultSpec): Fault {
  if (typeof spec !== 'object' || spec === null) throw new InvalidFaultError('send an object such as { "service": "blob", "status": 503 }.');
  const { service, operation, path, namespace, status, errorCode, times = 1, delayMs, reset, detach } = spec;
  if (typeof service !== 'string' || service === '') throw new InvalidFaultError('"service" names the service to break, e.g. "blob".');
  for (const [name, value] of Object.entries({ operation, path, namespace, errorCode })) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new InvalidFaultError(`"${name}" must be a non-empty string.`);
  }
  // It becomes the x-ms-error-code header, where Node refuses anything but visible ASCII.
  if (errorCode !== undefined && !ERROR_CODE.test(errorCode)) {
    throw new InvalidFaultError(`"errorCode" is sent as the x-ms-error-code header, so it takes letters, digits and ASCII punctuation only, no spaces, at most 256, like "ServerBusy"; got ${JSON.stringify(errorCode)}.`);
  }
  if (path !== undefined && !path.startsWith('/')) throw new InvalidFaultError(`"path" is the path after the account and starts with "/", e.g. "/photos"; got "${path}".`);
  if (status !== undefined && (!Number.isInteger(status) || status < 400 || status > 599)) {
    throw new InvalidFaultError(`"status" must be an error status from 400 to 599, got ${String(status)}.`);
  }
  if (!Number.isInteger(times) || times < 1) throw new InvalidFaultError(`"times" must be a positive integer, got ${String(times)}.`);
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > 600_000)) {
    throw new InvalidFaultError(`"delayMs" must be between 0 and 600000 milliseconds, got ${String(delayMs)}.`);
  }
  if (reset !== undefined && typeof reset !== 'boolean') throw new InvalidFaultError('"reset" is true or false.');
  if (reset && status !== undefined) throw new InvalidFaultError('a dropped connection ("reset": true) has no status; give one or the other.');
  if (detach !== undefined && typeof detach !== 'boolean') throw new InvalidFaultError('"detach" is true or false.');
  if (detach && reset) throw new InvalidFaultError('a dropped connection ("reset": true) ends every link already; give "detach" or "reset", not both.');
  if (errorCode !== undefined && status === undefined) throw new InvalidFaultError('"errorCode" needs the "status" to answer it with.');
  if (status === undefined && !reset && !detach && delayMs === undefined) {
    throw new InvalidFaultError('say what the fault does: "status" (answer an error), "delayMs" (wait), "reset": true (drop the connection) or "detach": true (detach the AMQP link).');
  }
  const code = errorCode ?? (status === undefined ? undefined : DEFAULT_ERROR_CODES[status]);
  if (status !== undefined && code === undefined) {
    throw new InvalidFaultError(`there is no usual Azure error code for status ${status}; give "errorCode" too.`);
  }
  return {
    id: randomUUID(),
    service,
    ...(operation === undefined ? {} : { operation }),
    ...(path === undefined ? {} : { path }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(status === undefined ? {} : { status, errorCode: code }),
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(reset ? { reset } : {}),
    ...(detach ? { detach } : {}),
    remaining: times,
    hits: 0,
  };
}
