import { AmqpCondition } from '../amqp-common/errors.js';
import type { OperationVocabulary } from '../amqp-common/operation-recorder.js';

/** Service Bus's operations (Send, Receive, Complete, ...) are journaled with the entity as their path, under the codes the SDK names. */
export const SERVICE_BUS_OPERATIONS: OperationVocabulary = {
  service: 'servicebus',
  codes: {
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
  },
  faultConditions: {
    400: AmqpCondition.ArgumentError,
    401: AmqpCondition.UnauthorizedAccess,
    403: AmqpCondition.ResourceLimitExceeded,
    404: AmqpCondition.NotFound,
    408: AmqpCondition.Timeout,
    409: AmqpCondition.EntityAlreadyExists,
    410: AmqpCondition.MessageLockLost,
    500: AmqpCondition.InternalError,
    503: AmqpCondition.ServerBusy,
  },
  busyDescription: 'The request was terminated because the entity is being throttled (LocalZure injected fault). Please wait 2 seconds and try again.',
};
