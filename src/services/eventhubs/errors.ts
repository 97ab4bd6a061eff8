import { AmqpCondition, AmqpWireError } from '../amqp-common/errors.js';

/**
 * Event Hubs' answers, with Azure's conditions and wording: core-amqp names
 * `MessagingEntityNotFoundError` by the "could not be found" description.
 */
export const ehErrors = {
  entityNotFound: (uri: string) =>
    new AmqpWireError(AmqpCondition.NotFound, `The messaging entity '${uri}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.`),
  partitionOutOfRange: (partitionId: string, partitionCount: number) =>
    new AmqpWireError(
      AmqpCondition.ArgumentOutOfRange,
      `The specified partition '${partitionId}' is invalid for an EventHub partition sender or receiver. It should be between 0 and ${partitionCount - 1}.`,
    ),
  badFilter: (filter: string) =>
    new AmqpWireError(AmqpCondition.ArgumentError, `The selector filter '${filter}' is not a starting position Event Hubs understands (offset, sequence number or enqueued time).`),
  badAddress: (address: string) =>
    new AmqpWireError(
      AmqpCondition.NotFound,
      `The messaging entity '${address}' could not be found: receivers attach to <hub>/ConsumerGroups/<group>/Partitions/<id>, senders to <hub> or <hub>/Partitions/<id>.`,
    ),
  /** The receiver that was reading is pushed out by one with a higher owner level. */
  epochStolen: (newEpoch: number, oldEpoch: number | undefined) =>
    new AmqpWireError(
      AmqpCondition.LinkStolen,
      `New receiver with higher epoch of '${newEpoch}' is created hence current receiver with epoch '${oldEpoch ?? 'none'}' is getting disconnected. If you are recreating the receiver, make sure a higher epoch is used.`,
    ),
  /** A receiver asking for a partition that a higher owner level holds. */
  epochTooLow: (epoch: number | undefined, held: number) =>
    new AmqpWireError(
      AmqpCondition.LinkStolen,
      `Receiver with epoch '${epoch ?? 'none'}' cannot be created because a receiver with a higher epoch of '${held}' already exists.`,
    ),
  tooManyReaders: (max: number) =>
    new AmqpWireError(AmqpCondition.ResourceLimitExceeded, `Exceeded the maximum number of allowed receivers per partition in a consumer group which is ${max}.`),
  messageTooLarge: (size: number, max: number) =>
    new AmqpWireError(AmqpCondition.MessageSizeExceeded, `The received message (size ${size} bytes) exceeds the limit (${max} bytes) currently allowed on the link.`),
  badBatch: (why: string) => new AmqpWireError(AmqpCondition.DecodeError, `The batch could not be decoded: ${why}`),
  notSupported: (what: string) => new AmqpWireError(AmqpCondition.NotImplemented, `LocalZure's Event Hubs does not support ${what} yet.`),
};
