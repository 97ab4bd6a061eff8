import type { AmqpConnectionState } from '../amqp-common/connection-state.js';
import { AmqpCondition, AmqpWireError, toWireError } from '../amqp-common/errors.js';
import type { Clock } from '../../core/clock.js';
import type { Fault, FaultInjector } from '../../core/fault-injector.js';
import type { RequestJournal } from '../../core/request-journal.js';

/** Event Hubs' error codes (as Azure names them) for the conditions, for the journal. */
const CODES: Record<string, string> = {
  [AmqpCondition.NotFound]: 'MessagingEntityNotFound',
  [AmqpCondition.UnauthorizedAccess]: 'UnauthorizedAccess',
  [AmqpCondition.ArgumentOutOfRange]: 'ArgumentOutOfRange',
  [AmqpCondition.ArgumentError]: 'ArgumentError',
  [AmqpCondition.LinkStolen]: 'ReceiverDisconnected',
  [AmqpCondition.MessageSizeExceeded]: 'MessageSizeExceeded',
  [AmqpCondition.ServerBusy]: 'ServerBusy',
  [AmqpCondition.ResourceLimitExceeded]: 'QuotaExceeded',
};

/** The condition an injected fault's status stands for. */
const FAULT_CONDITIONS: Record<number, string> = {
  400: AmqpCondition.ArgumentError,
  401: AmqpCondition.UnauthorizedAccess,
  403: AmqpCondition.ResourceLimitExceeded,
  404: AmqpCondition.NotFound,
  408: AmqpCondition.Timeout,
  410: AmqpCondition.LinkStolen,
  500: AmqpCondition.InternalError,
  503: AmqpCondition.ServerBusy,
};

/**
 * Runs each Event Hubs operation (Send, Receive, GetEventHubProperties,
 * GetPartitionProperties) behind the faults tests armed and records it in the
 * journal, with `/<hub>` or `/<hub>/Partitions/<id>` as its path. A fault with
 * `reset` drops the connection; one with a status answers its condition
 * (503: `com.microsoft:server-busy`).
 */
export class OperationRecorder {
  constructor(
    readonly namespace: string,
    readonly clock: Clock,
    readonly journal: RequestJournal | undefined,
    readonly faults: FaultInjector | undefined,
  ) {}

  /** `work` behind the armed faults (a delay is waited for), recorded with its outcome. */
  async run<T>(operation: string, path: string, connection: AmqpConnectionState, work: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    const fault = this.#take(operation, path);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    return this.#attempt(operation, path, started, fault, connection, work) as Promise<T>;
  }

  /** The same for work that cannot wait (handing events to a receiver); a delay fault does not apply. */
  sync<T>(operation: string, path: string, connection: AmqpConnectionState, work: () => T): T {
    return this.#attempt(operation, path, Date.now(), this.#take(operation, path), connection, work) as T;
  }

  #take(operation: string, path: string): Fault | undefined {
    return this.faults?.take({ service: 'eventhubs', operation, path, namespace: this.namespace });
  }

  #attempt<T>(operation: string, path: string, started: number, fault: Fault | undefined, connection: AmqpConnectionState, work: () => T): T | Promise<T> {
    const fail = (error: unknown): never => {
      this.#record(operation, path, started, toWireError(error), fault);
      throw error;
    };
    try {
      this.#inject(fault, connection);
      const result = work();
      if (result instanceof Promise) {
        return result.then((value) => {
          this.#record(operation, path, started, undefined, fault);
          return value;
        }, fail);
      }
      this.#record(operation, path, started, undefined, fault);
      return result;
    } catch (error) {
      return fail(error);
    }
  }

  #inject(fault: Fault | undefined, connection: AmqpConnectionState): void {
    if (!fault) return;
    if (fault.reset) {
      const error = new AmqpWireError(AmqpCondition.ConnectionForced, 'The connection was dropped by an injected fault.');
      connection.drop(error);
      throw error;
    }
    if (fault.status !== undefined) {
      const condition = fault.errorCode?.includes(':') ? fault.errorCode : (FAULT_CONDITIONS[fault.status] ?? AmqpCondition.InternalError);
      const description =
        condition === AmqpCondition.ServerBusy
          ? 'The request was terminated because the entity is being throttled (LocalZure injected fault). Please wait 4 seconds and try again.'
          : `LocalZure injected fault ${fault.id}: ${fault.errorCode ?? condition}.`;
      throw new AmqpWireError(condition, description, { statusCode: fault.status });
    }
  }

  #record(operation: string, path: string, started: number, error: AmqpWireError | undefined, fault: Fault | undefined): void {
    this.journal?.record({
      time: new Date(this.clock.now()).toISOString(),
      service: 'eventhubs',
      namespace: this.namespace,
      operation,
      method: 'AMQP',
      path,
      query: '',
      status: error ? error.statusCode : 200,
      ...(error ? { errorCode: CODES[error.condition] ?? error.condition } : {}),
      headers: {},
      durationMs: Date.now() - started,
      ...(fault ? { fault: { id: fault.id, action: fault.reset ? 'drop' : fault.status !== undefined ? 'error' : 'delay' } } : {}),
    } as Parameters<RequestJournal['record']>[0]);
  }
}
