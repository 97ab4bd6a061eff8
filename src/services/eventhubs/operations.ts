import { AmqpCondition } from '../amqp-common/errors.js';
import type { OperationVocabulary } from '../amqp-common/operation-recorder.js';

/**
 * Event Hubs' operations (Send, Receive, GetEventHubProperties,
 * GetPartitionProperties) are journaled with `/<hub>` or
 * `/<hub>/Partitions/<id>` as their path, under Azure's error codes; a 503
 * fault answers `com.microsoft:server-busy`.
 */
export const EVENT_HUBS_OPERATIONS: OperationVocabulary = {
  service: 'eventhubs',
  codes: {
    [AmqpCondition.NotFound]: 'MessagingEntityNotFound',
    [AmqpCondition.UnauthorizedAccess]: 'UnauthorizedAccess',
    [AmqpCondition.ArgumentOutOfRange]: 'ArgumentOutOfRange',
    [AmqpCondition.ArgumentError]: 'ArgumentError',
    [AmqpCondition.LinkStolen]: 'ReceiverDisconnected',
    [AmqpCondition.MessageSizeExceeded]: 'MessageSizeExceeded',
    [AmqpCondition.ServerBusy]: 'ServerBusy',
    [AmqpCondition.ResourceLimitExceeded]: 'QuotaExceeded',
  },
  faultConditions: {
    400: AmqpCondition.ArgumentError,
    401: AmqpCondition.UnauthorizedAccess,
    403: AmqpCondition.ResourceLimitExceeded,
    404: AmqpCondition.NotFound,
    408: AmqpCondition.Timeout,
    410: AmqpCondition.LinkStolen,
    500: AmqpCondition.InternalError,
    503: AmqpCondition.ServerBusy,
  },
  busyDescription: 'The request was terminated because the entity is being throttled (LocalZure injected fault). Please wait 4 seconds and try again.',
};
