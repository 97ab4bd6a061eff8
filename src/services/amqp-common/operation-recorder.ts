import type { Clock } from '../../core/clock.js';
import { faultAction, type Fault, type FaultInjector } from '../../core/fault-injector.js';
import type { RequestJournal } from '../../core/request-journal.js';
import type { AmqpConnectionState } from './connection-state.js';
import { AmqpCondition, AmqpWireError, toWireError } from './errors.js';

/** What sets one messaging service's journal entries and injected faults apart from another's. */
export interface OperationVocabulary {
  /** The service name faults are armed for and entries are recorded under. */
  service: string;
  /** Azure's error code for each AMQP condition, as the journal records it. */
  codes: Record<string, string>;
  /** The condition an injected fault's status stands for. */
  faultConditions: Record<number, string>;
  /** What a request throttled by an injected fault is told, in the service's own wording. */
  busyDescription: string;
}

/**
 * Runs each operation of a messaging service behind the faults tests armed
 * and records it in the journal under Azure's operation name, with the
 * entity (`/<entity>...`) as its path. A fault with `reset` drops the
 * connection; one with `detach` has the listener detach the operation's link
 * (with its status's condition, or `amqp:link:detach-forced`); one with only
 * a status answers its condition.
 */
export class OperationRecorder {
  constructor(
    readonly vocabulary: OperationVocabulary,
    readonly namespace: string,
    readonly clock: Clock,
    readonly journal: RequestJournal | undefined,
    readonly faults: FaultInjector | undefined,
  ) {}

  /** `work` behind the armed faults (a delay is waited for), recorded with its outcome. */
  async run<T>(operation: string, path: string, connection: AmqpConnectionState, work: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    const fault = this.#take(operation, path);
    try {
      if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      this.#inject(fault, connection);
      const result = await work();
      this.#record(operation, path, started, undefined, fault);
      return result;
    } catch (error) {
      this.#record(operation, path, started, toWireError(error), fault);
      throw error;
    }
  }

  /** The same for work that cannot wait (a delivery, a settlement); a delay fault does not apply. */
  sync<T>(operation: string, path: string, connection: AmqpConnectionState, work: () => T): T {
    const started = Date.now();
    const fault = this.#take(operation, path);
    try {
      this.#inject(fault, connection);
      const result = work();
      this.#record(operation, path, started, undefined, fault);
      return result;
    } catch (error) {
      this.#record(operation, path, started, toWireError(error), fault);
      throw error;
    }
  }

  /** Records an operation served elsewhere (an administration API) with its status and error code. */
  note(operation: string, path: string, status: number, errorCode?: string, durationMs = 0, fault?: Fault): void {
    this.journal?.record({
      time: new Date(this.clock.now()).toISOString(),
      service: this.vocabulary.service,
      namespace: this.namespace,
      operation,
      method: 'AMQP',
      path: rooted(path),
      query: '',
      status,
      ...(errorCode ? { errorCode } : {}),
      headers: {},
      durationMs,
      ...(fault ? { fault: { id: fault.id, action: faultAction(fault, true) } } : {}),
    } as Parameters<RequestJournal['record']>[0]);
  }

  #take(operation: string, path: string): Fault | undefined {
    return this.faults?.take({ service: this.vocabulary.service, operation, path: rooted(path), namespace: this.namespace });
  }

  #inject(fault: Fault | undefined, connection: AmqpConnectionState): void {
    if (!fault) return;
    if (fault.reset) {
      const error = new AmqpWireError(AmqpCondition.ConnectionForced, 'The connection was dropped by an injected fault.');
      connection.drop(error);
      throw error;
    }
    if (fault.detach && fault.status === undefined) {
      throw new AmqpWireError(AmqpCondition.DetachForced, `LocalZure injected fault ${fault.id}: the link was detached.`, { detachesLink: true });
    }
    if (fault.status !== undefined) {
      const condition = fault.errorCode?.includes(':') ? fault.errorCode : (this.vocabulary.faultConditions[fault.status] ?? AmqpCondition.InternalError);
      const description = condition === AmqpCondition.ServerBusy ? this.vocabulary.busyDescription : `LocalZure injected fault ${fault.id}: ${fault.errorCode ?? condition}.`;
      throw new AmqpWireError(condition, description, { statusCode: fault.status, detachesLink: fault.detach === true });
    }
  }

  #record(operation: string, path: string, started: number, error: AmqpWireError | undefined, fault: Fault | undefined): void {
    const errorCode = error ? (this.vocabulary.codes[error.condition] ?? error.condition) : undefined;
    this.note(operation, path, error ? error.statusCode : 200, errorCode, Date.now() - started, fault);
  }
}

// Paths are recorded and matched against faults as `/<entity>...`, however a caller spells them.
function rooted(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}
