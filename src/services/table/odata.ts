import type { StorageRequest } from '../storage-common/request.js';
import { edmToJson, needsAnnotation, ticksToIso } from './edm.js';
import type { Entity } from './entity.js';
import { tableError } from './errors.js';

/** How much OData metadata a JSON answer carries, from `$format` or `Accept`. */
export type MetadataLevel = 'nometadata' | 'minimalmetadata' | 'fullmetadata';

/**
 * The metadata level the client asked for. `application/json` alone means
 * minimal; no Accept at all is read as minimal too (Azure would answer Atom,
 * which no current client asks for). An Atom-only Accept is refused.
 */
export function metadataLevel(request: Pick<StorageRequest, 'header' | 'query'>): MetadataLevel {
  const accept = request.query.get('$format') ?? request.header('accept') ?? 'application/json';
  const level = /odata=(nometadata|minimalmetadata|fullmetadata)/.exec(accept)?.[1] as MetadataLevel | undefined;
  if (level) return level;
  if (/application\/json|\*\/\*|^json$/.test(accept)) return 'minimalmetadata';
  if (/atom/.test(accept)) throw tableError('AtomFormatNotSupported');
  return 'minimalmetadata';
}

export function jsonContentType(level: MetadataLevel): string {
  return `application/json;odata=${level};streaming=true;charset=utf-8`;
}

/** `(PartitionKey='a',RowKey='b')` with quotes doubled, as Azure writes entity addresses. */
export function entityAddress(table: string, entity: Pick<Entity, 'partitionKey' | 'rowKey'>): string {
  const q = (key: string) => encodeURIComponent(key.replace(/'/g, "''"));
  return `${table}(PartitionKey='${q(entity.partitionKey)}',RowKey='${q(entity.rowKey)}')`;
}

export interface EntityJsonOptions {
  level: MetadataLevel;
  /** `http://host:port/account`, for metadata links. */
  baseUrl: string;
  table: string;
  /** `$select`: only these properties (missing ones as null), no Timestamp or keys unless named. */
  select?: string[];
  /** A single entity carries `odata.metadata` itself; entities in a list do not. */
  single: boolean;
}

/** One entity as Azure's JSON, written by hand so Doubles keep their `.0`. */
export function entityJson(entity: Entity, options: EntityJsonOptions): string {
  const { level, baseUrl, table } = options;
  const parts: string[] = [];
  const member = (name: string, json: string) => parts.push(`${JSON.stringify(name)}:${json}`);
  if (level !== 'nometadata') {
    if (options.single) member('odata.metadata', JSON.stringify(`${baseUrl}/$metadata#${table}/@Element`));
    if (level === 'fullmetadata') {
      member('odata.type', JSON.stringify(`${baseUrl.slice(baseUrl.lastIndexOf('/') + 1)}.${table}`));
      member('odata.id', JSON.stringify(`${baseUrl}/${entityAddress(table, entity)}`));
    }
    member('odata.etag', JSON.stringify(entity.etag));
    if (level === 'fullmetadata') member('odata.editLink', JSON.stringify(entityAddress(table, entity)));
  }
  const wanted = options.select === undefined ? undefined : new Set(options.select);
  const include = (name: string) => wanted === undefined || wanted.has(name);
  if (include('PartitionKey')) member('PartitionKey', JSON.stringify(entity.partitionKey));
  if (include('RowKey')) member('RowKey', JSON.stringify(entity.rowKey));
  if (include('Timestamp')) {
    // Timestamp is known to be a DateTime from the table's metadata; only full metadata spells it out.
    if (level === 'fullmetadata') member('Timestamp@odata.type', '"Edm.DateTime"');
    member('Timestamp', JSON.stringify(ticksToIso(entity.ticks)));
  }
  for (const [name, value] of entity.properties) {
    if (!include(name)) continue;
    if (level !== 'nometadata' && needsAnnotation(value)) member(`${name}@odata.type`, JSON.stringify(value.type));
    member(name, edmToJson(value));
  }
  for (const name of wanted ?? []) {
    if (!['PartitionKey', 'RowKey', 'Timestamp'].includes(name) && !entity.properties.has(name)) member(name, 'null');
  }
  return `{${parts.join(',')}}`;
}

/** A list answer: `{"odata.metadata":...,"value":[...]}`. */
export function listJson(level: MetadataLevel, metadataUrl: string, items: string[]): string {
  const head = level === 'nometadata' ? '' : `"odata.metadata":${JSON.stringify(metadataUrl)},`;
  return `{${head}"value":[${items.join(',')}]}`;
}

/** One table as JSON, alone (`single`) or in a listing. */
export function tableJson(name: string, level: MetadataLevel, baseUrl: string, single: boolean): string {
  const parts: string[] = [];
  if (level !== 'nometadata' && single) parts.push(`"odata.metadata":${JSON.stringify(`${baseUrl}/$metadata#Tables/@Element`)}`);
  if (level === 'fullmetadata') {
    parts.push(`"odata.type":${JSON.stringify(`${baseUrl.slice(baseUrl.lastIndexOf('/') + 1)}.Tables`)}`);
    parts.push(`"odata.id":${JSON.stringify(`${baseUrl}/Tables('${name}')`)}`);
    parts.push(`"odata.editLink":${JSON.stringify(`Tables('${name}')`)}`);
  }
  parts.push(`"TableName":${JSON.stringify(name)}`);
  return `{${parts.join(',')}}`;
}

/** `http://<host>/<account>` as the client addressed us. */
export function baseUrlOf(request: Pick<StorageRequest, 'header' | 'account'>): string {
  return `http://${request.header('host') ?? 'localhost'}/${request.account.name}`;
}
