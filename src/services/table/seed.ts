import type { SeedSource } from '../../core/service.js';
import { StorageSeedError } from '../storage-common/seed-error.js';
import { readSeedJsonFiles } from '../storage-common/seed-folder.js';
import { readEntityBody, type EntityInput } from './entity.js';
import { TableDomainError } from './errors.js';
import { isValidTableName } from './resource.js';
import type { TableStore } from './store.js';

/** Seed data that cannot be loaded: a bad table name, an invalid entity, a file outside the seed folder, a wrong inline shape. */
export class TableSeedError extends StorageSeedError {}

interface SeedTable {
  table: string;
  entities: unknown;
  source: string;
}

/** One seeded table and its entities, read and checked once for every account. */
export interface TableSeedItem {
  name: string;
  entities: readonly EntityInput[];
}

/**
 * Reads and checks `<dir>/table/<table>.json` files and inline `data.table`
 * (`{ table: [entities] }`). Entities look like the Tables SDK's:
 * `partitionKey`, `rowKey`, and properties as JSON values or
 * `{ type: 'Int64', value: '1' }`.
 */
export async function readTableSeed(seed: SeedSource | undefined): Promise<TableSeedItem[]> {
  if (!seed) return [];
  const tables: SeedTable[] = [];
  if (seed.dir !== undefined) tables.push(...(await readSeedFolder(seed.dir)));
  if (seed.data?.table !== undefined) tables.push(...readInline(seed.data.table));
  return tables.map((table) => ({ name: table.table, entities: checkedEntities(table) }));
}

/** Creates the seeded tables in one account; existing entities with the same keys are replaced. */
export function applyTableSeed(store: TableStore, account: string, items: readonly TableSeedItem[], now: number): void {
  for (const { name, entities } of items) {
    const table = store.findTable(account, name) ?? store.createTable(account, name);
    // Each account gets its own property map: the seed's is shared by all of them.
    for (const entity of entities) store.replace(table, { ...entity, properties: new Map(entity.properties) }, { kind: 'upsert' }, now);
  }
}

function checkedEntities({ table, entities, source }: SeedTable): EntityInput[] {
  if (!isValidTableName(table)) throw new TableSeedError(`Seed table "${table}" (${source}) is not a valid table name: use 3-63 letters and digits, starting with a letter.`);
  if (!Array.isArray(entities)) throw new TableSeedError(`Seed table "${table}" (${source}) must be a JSON array of entities.`);
  return entities.map((entity, index) => {
    try {
      return readEntityBody(toWireJson(entity));
    } catch (error) {
      if (!(error instanceof TableDomainError)) throw error;
      throw new TableSeedError(`Seed entity ${index} of table "${table}" (${source}) is invalid: ${error.message}`);
    }
  });
}

// The SDK's entity shape as the wire JSON the service validates, so seeds obey the same rules as clients.
function toWireJson(entity: unknown): string {
  if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) throw new TableDomainError('InvalidInput', 'an entity must be an object');
  const members: string[] = [];
  for (const [name, value] of Object.entries(entity)) {
    const wireName = name === 'partitionKey' ? 'PartitionKey' : name === 'rowKey' ? 'RowKey' : name;
    if (typeof value === 'object' && value !== null && 'type' in value && 'value' in value) {
      members.push(`${JSON.stringify(`${wireName}@odata.type`)}:${JSON.stringify(`Edm.${String(value.type)}`)}`);
      members.push(`${JSON.stringify(wireName)}:${JSON.stringify(value.value)}`);
    } else {
      members.push(`${JSON.stringify(wireName)}:${JSON.stringify(value) ?? 'null'}`);
    }
  }
  return `{${members.join(',')}}`;
}

async function readSeedFolder(dir: string): Promise<SeedTable[]> {
  const files = await readSeedJsonFiles(dir, 'table', TableSeedError);
  return files.map(({ name, path, value }) => ({ table: name, entities: value, source: path }));
}

function readInline(data: unknown): SeedTable[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TableSeedError('Inline table seed must be an object of tables, e.g. { people: [{ partitionKey: "p", rowKey: "1" }] }.');
  }
  return Object.entries(data).map(([table, entities]) => ({ table, entities, source: 'inline seed' }));
}
