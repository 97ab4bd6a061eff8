import { edmFromJson, edmSize, type EdmValue } from './edm.js';
import { TableDomainError } from './errors.js';
import { readFlatJsonObject } from './json-reader.js';

/** An entity as stored: keys, custom properties (a Map, so any name is plain data), and the service-managed Timestamp/ETag. */
export interface Entity {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly properties: ReadonlyMap<string, EdmValue>;
  /** Timestamp as 100 ns ticks since the epoch; each write gets a later one. */
  readonly ticks: bigint;
  readonly etag: string;
}

/** What a client sends to write an entity, validated. */
export interface EntityInput {
  partitionKey: string;
  rowKey: string;
  properties: Map<string, EdmValue>;
}

export interface EntityKeys {
  partitionKey: string;
  rowKey: string;
}

const MAX_CUSTOM_PROPERTIES = 252;
const MAX_PROPERTY_NAME = 255;
const MAX_ENTITY_BYTES = 1024 * 1024;
const MAX_VALUE_BYTES = 64 * 1024;
const MAX_KEY_CHARS = 1024;
const ODATA_TYPE = '@odata.type';
const SYSTEM = new Set(['PartitionKey', 'RowKey', 'Timestamp']);
// Characters Azure refuses in keys: / \ # ? and control characters.
const BAD_KEY_CHAR = /[/\\#?\u0000-\u001f\u007f-\u009f]/;
const PROPERTY_NAME = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/**
 * Reads and validates an entity body. `keys` (from the URL of an update)
 * take precedence over keys in the body; without them the body must carry
 * PartitionKey and RowKey.
 */
export function readEntityBody(text: string, keys?: EntityKeys): EntityInput {
  const members = readFlatJsonObject(text);
  const values = new Map<string, (typeof members)[number][1]>();
  const annotations = new Map<string, string>();
  for (const [name, value] of members) {
    if (name.endsWith(ODATA_TYPE)) {
      if (value.kind !== 'string') throw new TableDomainError('InvalidInput', `The annotation '${name}' must be a string.`);
      annotations.set(name.slice(0, -ODATA_TYPE.length), value.value);
      continue;
    }
    if (name.startsWith('odata.')) continue;
    if (values.has(name)) throw new TableDomainError('DuplicatePropertiesSpecified');
    values.set(name, value);
  }
  const key = (name: 'PartitionKey' | 'RowKey', fromUrl: string | undefined): string => {
    if (fromUrl !== undefined) return fromUrl;
    const value = values.get(name);
    if (value === undefined || value.kind === 'null') throw new TableDomainError('PropertiesNeedValue', `The ${name} property is required.`);
    if (value.kind !== 'string') throw new TableDomainError('InvalidInput', `The ${name} property must be a string.`);
    return value.value;
  };
  const input: EntityInput = {
    partitionKey: key('PartitionKey', keys?.partitionKey),
    rowKey: key('RowKey', keys?.rowKey),
    properties: new Map(),
  };
  for (const [name, value] of values) {
    if (SYSTEM.has(name)) continue;
    const typed = edmFromJson(name, value, annotations.get(name));
    if (typed !== undefined) input.properties.set(name, typed);
  }
  validateEntity(input);
  return input;
}

/** Azure's limits on keys, property names, property count and sizes. */
export function validateEntity(input: EntityInput): void {
  validateKey('PartitionKey', input.partitionKey);
  validateKey('RowKey', input.rowKey);
  if (input.properties.size > MAX_CUSTOM_PROPERTIES) throw new TableDomainError('TooManyProperties');
  for (const [name, value] of input.properties) {
    if (name.length > MAX_PROPERTY_NAME) throw new TableDomainError('PropertyNameTooLong');
    if (!PROPERTY_NAME.test(name)) throw new TableDomainError('PropertyNameInvalid', `The property name '${name}' is invalid.`);
    if (edmSize(value) - 4 > MAX_VALUE_BYTES) throw new TableDomainError('PropertyValueTooLarge');
  }
  if (entitySize(input) > MAX_ENTITY_BYTES) throw new TableDomainError('EntityTooLarge');
}

/** Bytes as Azure counts an entity's size: keys and names in UTF-16, each value by its type. */
export function entitySize(entity: EntityKeys & { properties: ReadonlyMap<string, EdmValue> }): number {
  let size = 4 + 2 * (entity.partitionKey.length + entity.rowKey.length);
  for (const [name, value] of entity.properties) size += 8 + 2 * name.length + edmSize(value);
  return size;
}

function validateKey(name: 'PartitionKey' | 'RowKey', value: string): void {
  if (BAD_KEY_CHAR.test(value)) throw new TableDomainError('InvalidInput', `The ${name} '${value}' contains a character keys cannot hold: / \\ # ? or a control character.`);
  if (value.length > MAX_KEY_CHARS) throw new TableDomainError('InvalidInput', `The ${name} is longer than ${MAX_KEY_CHARS} characters (1 KiB).`);
}
