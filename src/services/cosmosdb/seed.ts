import type { SeedSource } from '../../core/service.js';
import { StorageSeedError } from '../storage-common/seed-error.js';
import { readSeedEntries, readSeedJsonFiles, seedServiceFolder } from '../storage-common/seed-folder.js';
import { CosmosError } from './errors.js';
import { isObject } from './query/values.js';
import type { CosmosStore } from './store.js';

/** Cosmos DB seed data that cannot be loaded: a wrong shape, an invalid item, a file outside the seed folder. */
export class CosmosSeedError extends StorageSeedError {}

export interface SeedContainer {
  database: string;
  container: string;
  /** The container's definition besides its id: partitionKey, defaultTtl, uniqueKeyPolicy, ... */
  definition: Record<string, unknown>;
  items: unknown[];
  source: string;
}

/**
 * Reads `<dir>/cosmosdb/<database>/<container>.json` files and inline
 * `data.cosmosdb` (`{ databases: { <database>: { <container>: {...} } } }`).
 * A container file or entry is a list of items, or
 * `{ partitionKey: '/pk', items: [...] }` with any other container
 * settings; the partition key defaults to `/id`. Shapes are checked here,
 * before anything is loaded.
 */
export async function readCosmosSeed(seed: SeedSource | undefined): Promise<SeedContainer[]> {
  if (!seed) return [];
  const containers: SeedContainer[] = [];
  if (seed.dir !== undefined) containers.push(...(await readFolder(seed.dir)));
  if (seed.data?.cosmosdb !== undefined) containers.push(...readInline(seed.data.cosmosdb));
  for (const c of containers) {
    if (!c.items.every(isObject)) throw new CosmosSeedError(`Seed container "${c.database}/${c.container}" (${c.source}) must hold JSON objects (items), each with an "id".`);
  }
  return containers;
}

/**
 * Loads a seed reading into one namespace: databases and containers are
 * created when missing, items upserted. The reading is shared by every
 * namespace and reset, and never changed: the store copies what it keeps
 * and never alters a stored item in place. An item the store refuses (no
 * id, a bad partition key) fails the load, naming its container.
 */
export function applyCosmosSeed(store: CosmosStore, namespace: string, containers: SeedContainer[], now: number): void {
  for (const c of containers) {
    try {
      const database = store.databases(namespace).find((d) => d.id === c.database) ?? store.createDatabase(namespace, { id: c.database }, undefined, now);
      const container = database.containers.get(c.container) ?? store.createContainer(database, { id: c.container, partitionKey: { paths: ['/id'] }, ...c.definition }, undefined, now);
      for (const item of c.items) store.upsert(container, item, undefined, undefined, now);
    } catch (error) {
      if (!(error instanceof CosmosError)) throw error;
      throw new CosmosSeedError(`Seed container "${c.database}/${c.container}" (${c.source}) cannot be loaded: ${error.message}`);
    }
  }
}

function container(database: string, name: string, value: unknown, source: string): SeedContainer {
  if (Array.isArray(value)) return { database, container: name, definition: {}, items: value, source };
  if (!isObject(value)) throw new CosmosSeedError(`Seed container "${database}/${name}" (${source}) must be a list of items or { partitionKey, items }.`);
  const { items = [], partitionKey, ...rest } = value;
  if (!Array.isArray(items)) throw new CosmosSeedError(`Seed container "${database}/${name}" (${source}): "items" must be a list.`);
  const definition: Record<string, unknown> = { ...rest };
  if (partitionKey !== undefined) definition.partitionKey = typeof partitionKey === 'string' ? { paths: [partitionKey] } : Array.isArray(partitionKey) ? { paths: partitionKey, kind: 'MultiHash', version: 2 } : partitionKey;
  return { database, container: name, definition, items, source };
}

async function readFolder(dir: string): Promise<SeedContainer[]> {
  const folder = await seedServiceFolder(dir, 'cosmosdb', CosmosSeedError);
  if (!folder) return [];
  const out: SeedContainer[] = [];
  const databases = (await readSeedEntries(folder, folder.path, CosmosSeedError)).filter((e) => e.kind === 'folder');
  for (const database of databases) {
    // Each database folder is read as a service folder of its own, with the same guard against links leading out.
    for (const { name, path, value } of await readSeedJsonFiles(folder.path, database.name, CosmosSeedError)) {
      out.push(container(database.name, name, value, path));
    }
  }
  return out;
}

function readInline(data: unknown): SeedContainer[] {
  const databases = isObject(data) ? data.databases : undefined;
  if (!isObject(databases)) {
    throw new CosmosSeedError('Inline cosmosdb seed must be { databases: { <database>: { <container>: { partitionKey: "/pk", items: [...] } } } }.');
  }
  return Object.entries(databases).flatMap(([database, containers]) => {
    if (!isObject(containers)) throw new CosmosSeedError(`Inline cosmosdb seed database "${database}" must be an object of containers.`);
    return Object.entries(containers).map(([name, value]) => container(database, name, value, 'inline seed'));
  });
}
