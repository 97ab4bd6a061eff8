import type { SignedIdentifier } from '../storage-common/access-policy.js';
import { captureEntry, plainCopy } from '../storage-common/plain-copy.js';
import { StorageQuota } from '../storage-common/quota.js';
import { ticksToIso } from './edm.js';
import { entitySize, type Entity, type EntityInput, type EntityKeys } from './entity.js';
import { TableDomainError } from './errors.js';
import { compactAscii } from '../storage-common/compact-string.js';
import { SortedMap } from '../storage-common/sorted-map.js';
import { entityKey, type KeyRange } from './key-range.js';

export interface Table {
  /** The name as created; lookups ignore case, as Azure's do. */
  readonly name: string;
  /** By {@link entityKey}, so they walk in PartitionKey, RowKey order. */
  readonly entities: SortedMap<Entity>;
  signedIdentifiers: SignedIdentifier[];
  /** The size of its entities, as Azure counts entity size. */
  bytes: number;
}

interface AccountTables {
  /** By lower-case name: lookups ignore case. */
  byName: Map<string, Table>;
  /** By name as created: the order listings walk. */
  ordered: SortedMap<Table>;
}

// What a write inside `atomically` replaced, to put back if the unit fails.
type Undo = Array<{ table: Table; key: string; before: Entity | undefined }>;

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
  readonly #accounts = new Map<string, AccountTables>();
  readonly #serviceProperties = new Map<string, Record<string, unknown>>();
  #lastTicks = 0n;
  /** The cap on stored entity bytes (`limits.maxStoredBytes`); writes check it while their bodies stream in. */
  readonly quota: StorageQuota;
  // Kept as entities change, so a capped write never walks the store to learn it.
  #storedBytes = 0;
  #undo: Undo | undefined;

  constructor(maxStoredBytes?: number) {
    this.quota = new StorageQuota(maxStoredBytes, () => this.#storedBytes);
  }

  /** The size of every entity held, as Azure counts entity size. */
  storedBytes(): number {
    return this.#storedBytes;
  }

  createTable(account: string, name: string): Table {
    const tables = this.#tables(account);
    if (tables.byName.has(name.toLowerCase())) throw new TableDomainError('TableAlreadyExists');
    const table: Table = { name, entities: new SortedMap(), signedIdentifiers: [], bytes: 0 };
    tables.byName.set(name.toLowerCase(), table);
    tables.ordered.set(name, table);
    return table;
  }

  deleteTable(account: string, name: string): void {
    const tables = this.#tables(account);
    const table = tables.byName.get(name.toLowerCase());
    if (!table) throw new TableDomainError('ResourceNotFound');
    tables.byName.delete(name.toLowerCase());
    tables.ordered.delete(table.name);
    this.#storedBytes -= table.bytes;
  }

  accountNames(): string[] {
    return [...this.#accounts.keys()].filter((account) => this.#accounts.get(account)!.byName.size > 0).sort();
  }

  /** The account's tables in name order. */
  tablesOf(account: string): Table[] {
    return [...(this.#accounts.get(account)?.ordered.values() ?? [])];
  }

  findTable(account: string, name: string): Table | undefined {
    return this.#accounts.get(account)?.byName.get(name.toLowerCase());
  }

  /** The table, or TableNotFound. */
  table(account: string, name: string): Table {
    const table = this.findTable(account, name);
    if (!table) throw new TableDomainError('TableNotFound');
    return table;
  }

  /** Table names in order from `from` (inclusive) that match, at most `top`. */
  listTables(account: string, matches: (name: string) => boolean, from: string | undefined, top: number): Page<string, string> {
    const items: string[] = [];
    for (const name of this.#accounts.get(account)?.ordered.keys(from) ?? []) {
      if (!matches(name)) continue;
      if (items.length === top) return { items, next: name };
      items.push(name);
    }
    return { items };
  }

  getEntity(table: Table, keys: EntityKeys): Entity | undefined {
    return table.entities.get(entityKey(keys));
  }

  insert(table: Table, input: EntityInput, now: number): Entity {
    if (table.entities.has(entityKey(input))) throw new TableDomainError('EntityAlreadyExists');
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
    this.#put(table, entityKey(keys), undefined);
  }

  /**
   * Entities in PartitionKey, RowKey order from `from` (inclusive) that
   * match, at most `top`, and where the next page starts. Only keys within
   * `range` are read: what the filter's key comparisons allow (see key-range.ts).
   */
  query(table: Table, matches: (entity: Entity) => boolean, from: EntityCursor | undefined, top: number, range: KeyRange = {}): Page<Entity, EntityCursor> {
    const cursor = from && entityKey(from);
    const start = cursor === undefined || (range.from !== undefined && range.from > cursor) ? range.from : cursor;
    const items: Entity[] = [];
    for (const [key, entity] of table.entities.entries(start)) {
      if (range.to !== undefined && key >= range.to) break;
      if (!matches(entity)) continue;
      if (items.length === top) return { items, next: { partitionKey: entity.partitionKey, rowKey: entity.rowKey } };
      items.push(entity);
    }
    return { items };
  }

  /**
   * Runs `work` as one unit: when it throws, every entity it wrote or
   * deleted is put back exactly as it was and the error propagates. Only
   * what changed is remembered, so a unit costs what it writes. A unit
   * begun inside another joins it.
   */
  atomically<T>(work: () => T): T {
    if (this.#undo) return work();
    const undo: Undo = (this.#undo = []);
    try {
      return work();
    } catch (error) {
      this.#undo = undefined;
      for (const { table, key, before } of undo.reverse()) this.#put(table, key, before);
      throw error;
    } finally {
      this.#undo = undefined;
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
    for (const name of account === undefined ? [...this.#accounts.keys()] : [account]) {
      for (const table of this.#accounts.get(name)?.byName.values() ?? []) this.#storedBytes -= table.bytes;
    }
    for (const map of [this.#accounts, this.#serviceProperties]) {
      if (account === undefined) map.clear();
      else map.delete(account);
    }
  }

  /** A copy of one account's tables and service properties for `restore`, sharing its entities (see copyTables). */
  capture(account: string): unknown {
    const tables = this.#accounts.get(account);
    return { tables: tables && copyTables(tables), serviceProperties: captureEntry(this.#serviceProperties, account) };
  }

  /** Replaces one account's data with (a copy of) what `capture` returned, its bytes counted again. */
  restore(account: string, captured: unknown): void {
    const { tables, serviceProperties } = (captured ?? {}) as { tables?: AccountTables; serviceProperties?: Record<string, unknown> };
    this.reset(account);
    if (tables !== undefined) {
      const copy = copyTables(tables);
      this.#accounts.set(account, copy);
      for (const table of copy.byName.values()) this.#storedBytes += table.bytes;
    }
    if (serviceProperties !== undefined) this.#serviceProperties.set(account, plainCopy(serviceProperties));
  }

  #tables(account: string): AccountTables {
    let tables = this.#accounts.get(account);
    if (!tables) this.#accounts.set(account, (tables = { byName: new Map(), ordered: new SortedMap() }));
    return tables;
  }

  /** Stores or (with undefined) removes the entity at `key`, keeping the byte counts and, inside `atomically`, what to undo. */
  #put(table: Table, key: string, entity: Entity | undefined): void {
    const before = table.entities.get(key);
    this.#undo?.push({ table, key, before });
    const delta = (entity ? entitySize(entity) : 0) - (before ? entitySize(before) : 0);
    table.bytes += delta;
    this.#storedBytes += delta;
    if (entity) table.entities.set(key, entity);
    else table.entities.delete(key);
  }

  #check(table: Table, keys: EntityKeys, condition: EntityCondition): Entity | undefined {
    const current = table.entities.get(entityKey(keys));
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
      etag: compactAscii(`W/"datetime'${encodeURIComponent(ticksToIso(this.#lastTicks))}'"`),
    };
    this.#put(table, entityKey(keys), entity);
    return entity;
  }
}

// Both indexes of the copy must hold the same table objects, so each table is
// copied once. Entities are never changed, only replaced (see #write), so the
// copies share them: copying a table costs its index, not its entities' values.
function copyTables(tables: AccountTables): AccountTables {
  const byName = new Map<string, Table>();
  const ordered = tables.ordered.copy((table) => {
    const tableCopy: Table = { ...table, entities: table.entities.copy(), signedIdentifiers: plainCopy(table.signedIdentifiers) };
    byName.set(table.name.toLowerCase(), tableCopy);
    return tableCopy;
  });
  return { byName, ordered };
}
