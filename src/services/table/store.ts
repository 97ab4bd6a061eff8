import type { SignedIdentifier } from '../storage-common/access-policy.js';
import { captureEntry, restoreEntry } from '../storage-common/plain-copy.js';
import { StorageQuota } from '../storage-common/quota.js';
import { ticksToIso } from './edm.js';
import { entitySize, type Entity, type EntityInput, type EntityKeys } from './entity.js';
import { TableDomainError } from './errors.js';
import { ordinal } from '../storage-common/ordinal.js';

export interface Table {
  /** The name as created; lookups ignore case, as Azure's do. */
  readonly name: string;
  entities: Map<string, Entity>;
  signedIdentifiers: SignedIdentifier[];
}

/** Where a page of results starts (inclusive), or where the next one does. */
export interface EntityCursor {
  partitionKey: string;
  rowKey: string;
}

/** One page of results, and where the next page starts when there is one. */
export interface Page<T, Cursor> {
  items: T[];
  next?: Cursor;
}

/** `If-Match` of an update: `*`, an ETag, or none (an upsert). */
export type EntityCondition = { kind: 'any' } | { kind: 'etag'; etag: string } | { kind: 'upsert' };

const TICKS_PER_MS = 10_000n;

/**
 * All tables of all accounts, in memory. It knows nothing of HTTP: failures
 * are TableDomainErrors with Azure's codes. Every method runs synchronously,
 * so a batch applied in one call cannot interleave with another request.
 */
export class TableStore {
  readonly #accounts = new Map<string, Map<string, Table>>();
  readonly #serviceProperties = new Map<string, Record<string, unknown>>();
  #lastTicks = 0n;
  /** The cap on stored entity bytes (`limits.maxStoredBytes`); writes check it while their bodies stream in. */
  readonly quota: StorageQuota;

  constructor(maxStoredBytes?: number) {
    this.quota = new StorageQuota(maxStoredBytes, () => this.storedBytes());
  }

  /** The size of every entity held, as Azure counts entity size. */
  storedBytes(): number {
    let total = 0;
    for (const tables of this.#accounts.values()) {
      for (const table of tables.values()) for (const entity of table.entities.values()) total += entitySize(entity);
    }
    return total;
  }

  createTable(account: string, name: string): Table {
    const tables = this.#tables(account);
    if (tables.has(name.toLowerCase())) throw new TableDomainError('TableAlreadyExists');
    const table: Table = { name, entities: new Map(), signedIdentifiers: [] };
    tables.set(name.toLowerCase(), table);
    return table;
  }

  deleteTable(account: string, name: string): void {
    if (!this.#tables(account).delete(name.toLowerCase())) throw new TableDomainError('ResourceNotFound');
  }

  accountNames(): string[] {
    return [...this.#accounts.keys()].filter((account) => this.#accounts.get(account)!.size > 0).sort();
  }

  /** The account's tables in name order. */
  tablesOf(account: string): Table[] {
    return [...(this.#accounts.get(account)?.values() ?? [])].sort((a, b) => ordinal(a.name, b.name));
  }

  findTable(account: string, name: string): Table | undefined {
    return this.#accounts.get(account)?.get(name.toLowerCase());
  }

  /** The table, or TableNotFound. */
  table(account: string, name: string): Table {
    const table = this.findTable(account, name);
    if (!table) throw new TableDomainError('TableNotFound');
    return table;
  }

  /** Table names in order from `from` (inclusive) that match, at most `top`. */
  listTables(account: string, matches: (name: string) => boolean, from: string | undefined, top: number): Page<string, string> {
    const names = this.tablesOf(account).map((t) => t.name);
    const start = from === undefined ? 0 : names.findIndex((n) => ordinal(n, from) >= 0);
    const items: string[] = [];
    for (let i = start < 0 ? names.length : start; i < names.length; i++) {
      if (!matches(names[i]!)) continue;
      if (items.length === top) return { items, next: names[i]! };
      items.push(names[i]!);
    }
    return { items };
  }

  getEntity(table: Table, keys: EntityKeys): Entity | undefined {
    return table.entities.get(entityId(keys));
  }

  insert(table: Table, input: EntityInput, now: number): Entity {
    if (table.entities.has(entityId(input))) throw new TableDomainError('EntityAlreadyExists');
    return this.#write(table, input.properties, input, now);
  }

  /** Replaces all properties; without a condition it inserts when missing (Insert Or Replace). */
  replace(table: Table, input: EntityInput, condition: EntityCondition, now: number): Entity {
    this.#check(table, input, condition);
    return this.#write(table, input.properties, input, now);
  }

  /** Merges properties into the entity; without a condition it inserts when missing (Insert Or Merge). */
  merge(table: Table, input: EntityInput, condition: EntityCondition, now: number): Entity {
    const current = this.#check(table, input, condition);
    const properties = new Map(current?.properties);
    for (const [name, value] of input.properties) properties.set(name, value);
    return this.#write(table, properties, input, now);
  }

  delete(table: Table, keys: EntityKeys, condition: EntityCondition): void {
    this.#check(table, keys, condition);
    table.entities.delete(entityId(keys));
  }

  /** Entities in PartitionKey, RowKey order from `from` (inclusive) that match, at most `top`, and where the next page starts. */
  query(table: Table, matches: (entity: Entity) => boolean, from: EntityCursor | undefined, top: number): Page<Entity, EntityCursor> {
    const sorted = [...table.entities.values()].sort(compareEntities);
    const items: Entity[] = [];
    for (const entity of sorted) {
      if (from && compareEntities(entity, from) < 0) continue;
      if (!matches(entity)) continue;
      if (items.length === top) return { items, next: { partitionKey: entity.partitionKey, rowKey: entity.rowKey } };
      items.push(entity);
    }
    return { items };
  }

  /**
   * Runs `work` against the table as one unit: when it throws, the table's
   * entities are put back exactly as they were and the error propagates.
   */
  atomically<T>(table: Table, work: () => T): T {
    const before = new Map(table.entities);
    try {
      return work();
    } catch (error) {
      table.entities = before;
      throw error;
    }
  }

  /** The service properties set for the account (`{}` until some are). */
  serviceProperties(account: string): Record<string, unknown> {
    return this.#serviceProperties.get(account) ?? {};
  }

  setServiceProperties(account: string, properties: Record<string, unknown>): void {
    this.#serviceProperties.set(account, properties);
  }

  setSignedIdentifiers(table: Table, identifiers: SignedIdentifier[]): void {
    table.signedIdentifiers = identifiers;
  }

  reset(account?: string): void {
    for (const map of [this.#accounts, this.#serviceProperties]) {
      if (account === undefined) map.clear();
      else map.delete(account);
    }
  }

  /** A copy of one account's tables and service properties for `restore`, sharing unchanging values (see plainCopy). */
  capture(account: string): unknown {
    return { tables: captureEntry(this.#accounts, account), serviceProperties: captureEntry(this.#serviceProperties, account) };
  }

  /** Replaces one account's data with what `capture` returned. */
  restore(account: string, captured: unknown): void {
    const { tables, serviceProperties } = (captured ?? {}) as { tables?: Map<string, Table>; serviceProperties?: Record<string, unknown> };
    restoreEntry(this.#accounts, account, tables);
    restoreEntry(this.#serviceProperties, account, serviceProperties);
  }

  #tables(account: string): Map<string, Table> {
    let tables = this.#accounts.get(account);
    if (!tables) this.#accounts.set(account, (tables = new Map()));
    return tables;
  }

  #check(table: Table, keys: EntityKeys, condition: EntityCondition): Entity | undefined {
    const current = table.entities.get(entityId(keys));
    if (condition.kind === 'upsert') return current;
    if (!current) throw new TableDomainError('ResourceNotFound');
    if (condition.kind === 'etag' && condition.etag !== current.etag) throw new TableDomainError('UpdateConditionNotSatisfied');
    return current;
  }

  #write(table: Table, properties: ReadonlyMap<string, unknown>, keys: EntityKeys, now: number): Entity {
    // Strictly increasing, so two writes in one millisecond still get different ETags.
    const ticks = BigInt(Math.floor(now)) * TICKS_PER_MS;
    this.#lastTicks = ticks > this.#lastTicks ? ticks : this.#lastTicks + 1n;
    const entity: Entity = {
      partitionKey: keys.partitionKey,
      rowKey: keys.rowKey,
      properties: properties as Entity['properties'],
      ticks: this.#lastTicks,
      etag: `W/"datetime'${encodeURIComponent(ticksToIso(this.#lastTicks))}'"`,
    };
    table.entities.set(entityId(keys), entity);
    return entity;
  }
}

function entityId(keys: EntityKeys): string {
  return `${keys.partitionKey}\u0000${keys.rowKey}`;
}

function compareEntities(a: EntityKeys, b: EntityKeys): number {
  return ordinal(a.partitionKey, b.partitionKey) || ordinal(a.rowKey, b.rowKey);
}
