import type { AmqpConnectionState } from '../amqp-common/connection-state.js';
import { AmqpCondition, AmqpWireError, toWireError } from '../amqp-common/errors.js';
import type { Clock } from '../../core/clock.js';
import type { FaultInjector } from '../../core/fault-injector.js';
import type { RequestJournal } from '../../core/request-journal.js';

/** Service Bus's error codes (as the SDK names them) for the conditions, for the journal. */
const CODES: Record<string, string> = {
  [AmqpCondition.NotFound]: 'MessagingEntityNotFound',
  [AmqpCondition.MessageLockLost]: 'MessageLockLost',
  [AmqpCondition.SessionLockLost]: 'SessionLockLost',
  [AmqpCondition.SessionCannotBeLocked]: 'SessionCannotBeLocked',
  [AmqpCondition.ResourceLimitExceeded]: 'QuotaExceeded',
  [AmqpCondition.MessageSizeExceeded]: 'MessageSizeExceeded',
  [AmqpCondition.EntityDisabled]: 'MessagingEntityDisabled',
  [AmqpCondition.EntityAlreadyExists]: 'MessagingEntityAlreadyExists',
  [AmqpCondition.ServerBusy]: 'ServiceBusy',
  [AmqpCondition.UnauthorizedAccess]: 'UnauthorizedAccess',
  [AmqpCondition.MessageNotFound]: 'MessageNotFound',
};

/** The condition an injected fault's status stands for. */
const FAULT_CONDITIONS: Record<number, string> = {
  400: AmqpCondition.ArgumentError,
  401: AmqpCondition.UnauthorizedAccess,
  403: AmqpCondition.ResourceLimitExceeded,
  404: AmqpCondition.NotFound,
  408: AmqpCondition.Timeout,
  409: AmqpCondition.EntityAlreadyExists,
  410: AmqpCondition.MessageLockLost,
  500: AmqpCondition.InternalError,
  503: AmqpCondition.ServerBusy,
};

/**
 * Runs each Service Bus operation through the faults tests armed and records
 * it in the journal under Azure's name (Send, Receive, Complete, ...), with
 * the entity as its path.
 */
export class OperationRecorder {
  constructor(
    readonly namespace: string,
    readonly clock: Clock,
    readonly journal: RequestJournal | undefined,
    readonly faults: FaultInjector | undefined,
  ) {}

  /** `work` behind the armed faults (a delay is waited for), recorded with its outcome. */
  async run<T>(operation: string, entityPath: string, connection: AmqpConnectionState, work: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    const fault = this.faults?.take({ service: 'servicebus', operation, path: `/${entityPath}`, namespace: this.namespace });
    try {
      if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      this.#inject(fault, connection);
      const result = await work();
      this.#record(operation, entityPath, started, undefined, fault);
      return result;
    } catch (error) {
      this.#record(operation, entityPath, started, toWireError(error), fault);
      throw error;
    }
  }

  /** The same for work that cannot wait (a delivery, a settlement); a delay fault does not apply. */
  sync<T>(operation: string, entityPath: string, connection: AmqpConnectionState, work: () => T): T {
    const started = Date.now();
    const fault = this.faults?.take({ service: 'servicebus', operation, path: `/${entityPath}`, namespace: this.namespace });
    try {
      this.#inject(fault, connection);
      const result = work();
      this.#record(operation, entityPath, started, undefined, fault);
      return result;
    } catch (error) {
      this.#record(operation, entityPath, started, toWireError(error), fault);
      throw error;
    }
  }

  #inject(fault: ReturnType<FaultInjector['take']>, connection: AmqpConnectionState): void {
    if (!fault) return;
    if (fault.reset) {
      const error = new AmqpWireError(AmqpCondition.ConnectionForced, 'The connection was dropped by an injected fault.');
      connection.drop(error);
      throw error;
    }
    if (fault.status !== undefined) {
      const condition = fault.errorCode?.includes(':') ? fault.errorCode : (FAULT_CONDITIONS[fault.status] ?? AmqpCondition.InternalError);
      const description = condition === AmqpCondition.ServerBusy
        ? 'The request was terminated because the entity is being throttled (LocalZure injected fault). Please wait 2 seconds and try again.'
        : `LocalZure injected fault ${fault.id}: ${fault.errorCode ?? condition}.`;
      throw new AmqpWireError(condition, description, { statusCode: fault.status });
    }
  }

  #record(operation: string, entityPath: string, started: number, error: AmqpWireError | undefined, fault: ReturnType<FaultInjector['take']>): void {
    this.note(operation, entityPath, error ? error.statusCode : 200, error ? (CODES[error.condition] ?? error.condition) : undefined, Date.now() - started, fault);
  }

  /** Records an operation served elsewhere (the administration API) with its status and error code. */
  note(operation: string, entityPath: string, status: number, errorCode?: string, durationMs = 0, fault?: ReturnType<FaultInjector['take']>): void {
    this.journal?.record({
      time: new Date(this.clock.now()).toISOString(),
      service: 'servicebus',
      namespace: this.namespace,
      operation,
      method: 'AMQP',
      path: entityPath.startsWith('/') ? entityPath : `/${entityPath}`,
      query: '',
      status,
      ...(errorCode ? { errorCode } : {}),
      headers: {},
      durationMs,
      ...(fault ? { fault: { id: fault.id, action: fault.reset ? 'drop' : fault.status !== undefined ? 'error' : 'delay' } } : {}),
    } as Parameters<RequestJournal['record']>[0]);
  }
}
