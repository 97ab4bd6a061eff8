/**
 * AMQP error conditions the Azure SDKs translate (see `ConditionErrorNameMapper`
 * in @azure/core-amqp), and the one error type services throw to put them on
 * the wire: as a link detach, a rejected delivery or a `$management` / `$cbs`
 * response status.
 */
export const AmqpCondition = {
  NotFound: 'amqp:not-found',
  UnauthorizedAccess: 'amqp:unauthorized-access',
  NotAllowed: 'amqp:not-allowed',
  NotImplemented: 'amqp:not-implemented',
  InternalError: 'amqp:internal-error',
  ResourceLimitExceeded: 'amqp:resource-limit-exceeded',
  DecodeError: 'amqp:decode-error',
  InvalidField: 'amqp:invalid-field',
  MessageSizeExceeded: 'amqp:link:message-size-exceeded',
  DetachForced: 'amqp:link:detach-forced',
  LinkStolen: 'amqp:link:stolen',
  ConnectionForced: 'amqp:connection:forced',
  FramingError: 'amqp:connection:framing-error',
  ServerBusy: 'com.microsoft:server-busy',
  ArgumentError: 'com.microsoft:argument-error',
  ArgumentOutOfRange: 'com.microsoft:argument-out-of-range',
  EntityAlreadyExists: 'com.microsoft:entity-already-exists',
  EntityDisabled: 'com.microsoft:entity-disabled',
  MessageLockLost: 'com.microsoft:message-lock-lost',
  SessionLockLost: 'com.microsoft:session-lock-lost',
  SessionCannotBeLocked: 'com.microsoft:session-cannot-be-locked',
  MessageNotFound: 'com.microsoft:message-not-found',
  Timeout: 'com.microsoft:timeout',
} as const;
export type AmqpCondition = (typeof AmqpCondition)[keyof typeof AmqpCondition];

/** The `status-code` a request/response answer carries for each condition (as core-amqp's ConditionStatusMapper reads them back). */
const STATUS: Partial<Record<string, number>> = {
  [AmqpCondition.NotFound]: 404,
  [AmqpCondition.MessageNotFound]: 404,
  [AmqpCondition.UnauthorizedAccess]: 401,
  [AmqpCondition.NotAllowed]: 400,
  [AmqpCondition.NotImplemented]: 501,
  [AmqpCondition.ResourceLimitExceeded]: 403,
  [AmqpCondition.MessageSizeExceeded]: 403,
  [AmqpCondition.ServerBusy]: 503,
  [AmqpCondition.ArgumentError]: 400,
  [AmqpCondition.ArgumentOutOfRange]: 400,
  [AmqpCondition.DecodeError]: 400,
  [AmqpCondition.InvalidField]: 400,
  [AmqpCondition.EntityAlreadyExists]: 409,
  [AmqpCondition.EntityDisabled]: 400,
  [AmqpCondition.MessageLockLost]: 410,
  [AmqpCondition.SessionLockLost]: 410,
  [AmqpCondition.SessionCannotBeLocked]: 410,
  [AmqpCondition.Timeout]: 408,
};

/**
 * An error as the AMQP peer sees it. Thrown by service code anywhere below a
 * link or `$management` handler; the listener turns it into the matching
 * frame. Anything else thrown there becomes `amqp:internal-error`.
 *
 * @example
 * throw new AmqpWireError(AmqpCondition.NotFound, `The messaging entity 'sb://127.0.0.1:5672/orders' could not be found.`);
 */
export class AmqpWireError extends Error {
  /** The `status-code` of a request/response answer. */
  readonly statusCode: number;
  /** Extra fields of the AMQP error, e.g. the dead-letter reason. */
  readonly info: Record<string, unknown> | undefined;
  /** The listener detaches the link the operation came on with this error, instead of answering it (an injected fault). */
  readonly detachesLink: boolean;

  constructor(
    readonly condition: string,
    readonly description: string,
    options: { statusCode?: number; info?: Record<string, unknown>; detachesLink?: boolean } = {},
  ) {
    super(description);
    this.name = 'AmqpWireError';
    this.statusCode = options.statusCode ?? STATUS[condition] ?? 500;
    this.info = options.info;
    this.detachesLink = options.detachesLink ?? false;
  }

  /** The AMQP `error` composite (condition, description, info) for detach, close and rejected outcomes. */
  toAmqp(): { condition: string; description: string; info?: Record<string, unknown> } {
    return { condition: this.condition, description: this.description, ...(this.info ? { info: this.info } : {}) };
  }
}

/** `error` as a wire error: AmqpWireError as is, anything else as `amqp:internal-error` carrying its message. */
export function toWireError(error: unknown): AmqpWireError {
  if (error instanceof AmqpWireError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AmqpWireError(AmqpCondition.InternalError, `LocalZure could not serve this request: ${message}`);
}
