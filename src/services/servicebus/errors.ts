import { AmqpCondition, AmqpWireError } from '../amqp-common/errors.js';

/**
 * Service Bus's answers, with Azure's conditions and wording: the SDK
 * classifies some of them by the description (e.g. "could not be found").
 */
export const sbErrors = {
  entityNotFound: (path: string) =>
    new AmqpWireError(AmqpCondition.NotFound, `The messaging entity '${path}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.`),
  lockLost: () =>
    new AmqpWireError(
      AmqpCondition.MessageLockLost,
      'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue, or was received by a different receiver instance.',
    ),
  sessionLockLost: (sessionId: string) =>
    new AmqpWireError(AmqpCondition.SessionLockLost, `The session lock has expired on the MessageSession '${sessionId}'. Accept a new MessageSession.`),
  sessionCannotBeLocked: (sessionId: string) =>
    new AmqpWireError(
      AmqpCondition.SessionCannotBeLocked,
      `The requested session '${sessionId}' cannot be accepted. It may be locked by another receiver.`,
    ),
  noSessionAvailable: () =>
    new AmqpWireError(AmqpCondition.Timeout, 'The operation did not complete within the allocated time: no unlocked session with messages became available.'),
  sessionRequired: (path: string) =>
    new AmqpWireError(
      AmqpCondition.NotAllowed,
      `It is not possible for an entity that requires sessions to create a non-sessionful message receiver. Entity: '${path}'.`,
    ),
  sessionNotSupported: (path: string) =>
    new AmqpWireError(
      AmqpCondition.NotAllowed,
      `It is not possible for an entity that does not require sessions to create a sessionful message receiver. Entity: '${path}'.`,
    ),
  sessionIdMissing: (path: string) =>
    new AmqpWireError(AmqpCondition.NotAllowed, `The SessionId was not set on a message, and it cannot be sent to the entity '${path}'. Entities that have session support enabled can only receive messages that have the SessionId set to a valid value.`),
  disabled: (path: string, what: 'Send' | 'Receive' | undefined) =>
    new AmqpWireError(
      AmqpCondition.EntityDisabled,
      what ? `Messaging entity '${path}' is currently disabled for ${what} operations.` : `Messaging entity '${path}' is currently disabled.`,
    ),
  quotaExceeded: (path: string, maxBytes: number) =>
    new AmqpWireError(
      AmqpCondition.ResourceLimitExceeded,
      `The maximum entity size has been reached or exceeded for '${path}'. Size of entity in bytes: ${maxBytes}.`,
    ),
  messageTooLarge: (size: number, max: number) =>
    new AmqpWireError(AmqpCondition.MessageSizeExceeded, `The received message (size ${size} bytes) exceeds the limit (${max} bytes) currently allowed on the link.`),
  messageNotFound: (sequenceNumber: number) =>
    new AmqpWireError(AmqpCondition.MessageNotFound, `Failed to lock one or more specified messages. The message with sequence number ${sequenceNumber} was not found or is not deferred.`),
  scheduledNotFound: (sequenceNumber: number) =>
    new AmqpWireError(AmqpCondition.MessageNotFound, `The scheduled message with sequence number ${sequenceNumber} was not found.`),
  notSupported: (what: string) =>
    new AmqpWireError(AmqpCondition.NotImplemented, `LocalZure's Service Bus does not support ${what} yet.`),
  badRequest: (description: string) => new AmqpWireError(AmqpCondition.ArgumentError, description),
  ruleExists: (name: string) => new AmqpWireError(AmqpCondition.EntityAlreadyExists, `The messaging entity '${name}' already exists.`),
  ruleNotFound: (name: string) => new AmqpWireError(AmqpCondition.NotFound, `The messaging entity '${name}' could not be found.`),
  serverBusy: () =>
    new AmqpWireError(AmqpCondition.ServerBusy, 'The request was terminated because the entity is being throttled (LocalZure injected fault). Please wait 2 seconds and try again.'),
};
