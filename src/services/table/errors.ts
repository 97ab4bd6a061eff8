import { defineErrorTable } from '../storage-common/domain-errors.js';

// Azure's table error codes with their status and message, in one table.
const errors = defineErrorTable({
  TableAlreadyExists: [409, 'The table specified already exists.'],
  TableNotFound: [404, 'The table specified does not exist.'],
  ResourceNotFound: [404, 'The specified resource does not exist.'],
  EntityAlreadyExists: [409, 'The specified entity already exists.'],
  UpdateConditionNotSatisfied: [412, 'The update condition specified in the request was not satisfied.'],
  InvalidInput: [400, 'One of the request inputs is not valid.'],
  InvalidResourceName: [400, 'The specifed resource name contains invalid characters.'],
  PropertyNameInvalid: [400, 'The property name is invalid.'],
  PropertyNameTooLong: [400, 'The property name exceeds the maximum allowed length (255).'],
  PropertyValueTooLarge: [400, 'The property value exceeds the maximum allowed size (64KB). If the property value is a string, it is UTF-16 encoded and the maximum number of characters should be 32K or less.'],
  TooManyProperties: [400, 'The entity contains more properties than allowed. Each entity can include up to 252 properties to store data. Each entity also has 3 system properties.'],
  EntityTooLarge: [400, 'The entity is larger than the maximum allowed size (1MB).'],
  DuplicatePropertiesSpecified: [400, 'A property is specified more than one time.'],
  PropertiesNeedValue: [400, 'The values are not specified for all properties in the entity.'],
  InvalidDuplicateRow: [400, 'The batch request contains multiple changes with same row key. An entity can appear only once in a batch request.'],
  CommandsInBatchActOnDifferentPartitions: [400, 'All commands in a batch must operate on same entity group.'],
  AtomFormatNotSupported: [415, 'Atom format is not supported.'],
});

/**
 * A table failure in domain terms: the store, the codecs and the filter
 * parser throw it without knowing HTTP; the route table turns it into the
 * wire error through {@link tableError}.
 */
export class TableDomainError extends errors.DomainError {}

export type TableErrorCode = TableDomainError['code'];

/** The wire form of a table error code. */
export const tableError = errors.wireError;

export const { mapDomainErrors, toStorageError } = errors;
