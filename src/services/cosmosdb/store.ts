import { randomBytes } from 'node:crypto';
import { badRequest, conflict, CosmosError, notFound, preconditionFailed } from './errors.js';
import { checkDefinition, checkKeyValues, checkValueTypes, extractKey, keyText, sameKey, type PartitionKeyDefinition, type PartitionKeyValues } from './partition-key.js';
import { partitionsFor } from './partition-key-ranges.js';
import { applyPatch, type PatchOperation } from './patch.js';
import { loadedEngine } from './query/engine.js';
import { isObject, jsonProblem, valueKey } from './query/values.js';
import { containerRid, databaseRid, itemRid, newEtag, ridText } from './resource-ids.js';

/** Azure's limit on one item's JSON. */
const MAX_ITEM_BYTES = 2 * 1024 * 1024;

const ID_FORBIDDEN = /[/\\?#]/;

export type Resource = Record<string, unknown>;

export interface StoredItem {
  body: Resource;
  key: PartitionKeyValues;
  /** `keyText(key)`: the logical partition, compared often. */
  partition: string;
  /** Position in the container's change feed; grows with every write. */
  lsn: number;
  /** When it was last written, on the emulators' clock (ms). */
  modified: number;
}

export class ContainerState {
  items = new Map<string, StoredItem>();
  lsn = 0;
  #sequence = 0;
  /** Physical partitions, each one partition key range of the EPK space; fixed when it is created (see partition-key-ranges.ts). */
  partitionCount = 1;
  /** Set while a transactional batch runs: what each touched item was before, to roll back. */
  undo: Array<[string, StoredItem | undefined]> | undefined;

  constructor(
    readonly database: DatabaseState,
    public resource: Resource,
    readonly rid: Buffer,
    public offer: Offer | undefined,
  ) {}

  get id(): string {
    return this.resource.id as string;
  }

  get partitionKey(): PartitionKeyDefinition {
    return this.resource.partitionKey as PartitionKeyDefinition;
  }

  /** How many item rids were handed out; a snapshot keeps it so a restored container never hands one out twice. */
  get ridSequence(): number {
    return this.#sequence;
  }

  set ridSequence(value: number) {
    this.#sequence = value;
  }

  nextItemRid(): string {
    return ridText(itemRid(this.rid, ++this.#sequence));
  }
}

export class DatabaseState {
  containers = new Map<string, ContainerState>();

  constructor(
    public resource: Resource,
    readonly rid: Buffer,
    public offer: Offer | undefined,
  ) {}

  get id(): string {
    return this.resource.id as string;
  }
}

/** Provisioned throughput of a database or container: manual RU/s, or an autoscale maximum. */
export interface Throughput {
  manual?: number;
  autoscaleMax?: number;
}

/** The offer (throughput record) Cosmos DB keeps beside a database or container. */
export interface Offer extends Throughput {
  id: string;
  etag: string;
  ts: number;
}

/** RU/s a container gets when neither it nor its database asks for any, as in Azure. */
const DEFAULT_THROUGHPUT = 400;

/** One namespace's databases, keyed by id. */
type Account = Map<string, DatabaseState>;

const DEFAULT_INDEXING_POLICY = {
  indexingMode: 'consistent',
  automatic: true,
  includedPaths: [{ path: '/*' }],
  excludedPaths: [{ path: '/"_etag"/?' }],
};

/**
 * Every namespace's databases, containers and items. Knows nothing of HTTP:
 * it returns resources and throws CosmosError with Cosmos DB's codes.
 */
export class CosmosStore {
  readonly #accounts = new Map<string, Account>();

  #account(namespace: string): Account {
    let account = this.#accounts.get(namespace);
    if (!account) this.#accounts.set(namespace, (account = new Map()));
    return account;
  }

  /** Empties every container's items (one namespace's, or all); databases and containers stay. */
  reset(namespace?: string): void {
    const accounts = namespace === undefined ? [...this.#accounts.values()] : [this.#accounts.get(namespace)].filter((a): a is Account => a !== undefined);
    for (const account of accounts) {
      for (const database of account.values()) {
        // The change feed position keeps growing, so a continuation taken before the reset never skips what comes after.
        for (const container of database.containers.values()) container.items = new Map();
      }
    }
  }

  /** One namespace's databases (empty when it has none); for snapshots, which copy them. */
  accountOf(namespace: string): Map<string, DatabaseState> {
    return this.#account(namespace);
  }

  namespaces(): string[] {
    return [...this.#accounts.keys()];
  }

  // Databases

  databases(namespace: string): DatabaseState[] {
    return [...this.#account(namespace).values()];
  }

  database(namespace: string, id: string): DatabaseState {
    const database = this.#account(namespace).get(id);
    if (!database) throw notFound(`Database ${id} does not exist.`);
    return database;
  }

  createDatabase(namespace: string, body: unknown, throughput: Throughput | undefined, now: number): DatabaseState {
    const id = checkId(body, 'database');
    const account = this.#account(namespace);
    if (account.has(id)) throw conflict(`Database ${id} already exists.`);
    const rid = databaseRid();
    const resource: Resource = {
      ...(body as Resource),
      id,
      _rid: ridText(rid),
      _self: `dbs/${ridText(rid)}/`,
      _etag: newEtag(),
      _colls: 'colls/',
      _users: 'users/',
      _ts: seconds(now),
    };
    const database = new DatabaseState(resource, rid, throughput && newOffer(throughput, now));
    account.set(id, database);
    return database;
  }

  deleteDatabase(namespace: string, id: string): void {
    if (!this.#account(namespace).delete(id)) throw notFound(`Database ${id} does not exist.`);
  }

  // Containers

  container(database: DatabaseState, id: string): ContainerState {
    const container = database.containers.get(id);
    if (!container) throw notFound(`Container ${id} does not exist in database ${database.id}.`);
    return container;
  }

  createContainer(database: DatabaseState, body: unknown, throughput: Throughput | undefined, now: number): ContainerState {
    const id = checkId(body, 'container');
    if (database.containers.has(id)) throw conflict(`Container ${id} already exists in database ${database.id}.`);
    const rid = containerRid(database.rid);
    const own = throughput ?? (database.offer ? undefined : { manual: DEFAULT_THROUGHPUT });
    const container = new ContainerState(database, containerResource(body as Resource, id, rid, now), rid, own && newOffer(own, now));
    container.partitionCount = partitionsFor(own);
    database.containers.set(id, container);
    return container;
  }

  replaceContainer(container: ContainerState, body: unknown, ifMatch: string | undefined, now: number): ContainerState {
    const id = checkId(body, 'container');
    if (id !== container.id) throw badRequest(`The id in the body (${id}) does not match the container being replaced (${container.id}).`);
    checkIfMatch(ifMatch, container.resource._etag as string);
    const definition = checkDefinition((body as Resource).partitionKey ?? container.partitionKey);
    if (JSON.stringify(definition.paths) !== JSON.stringify(container.partitionKey.paths)) {
      throw badRequest('The partition key of a container cannot be changed; create a new container and copy the items.');
    }
    const next = containerResource({ ...(body as Resource), partitionKey: container.partitionKey }, id, container.rid, now);
    if (JSON.stringify(next.uniqueKeyPolicy) !== JSON.stringify(container.resource.uniqueKeyPolicy)) {
      throw badRequest('The unique key policy of a container cannot be changed after it is created.');
    }
    container.resource = next;
    return container;
  }

  deleteContainer(database: DatabaseState, id: string): void {
    if (!database.containers.delete(id)) throw notFound(`Container ${id} does not exist in database ${database.id}.`);
  }

  // Items

  /**
   * The live items of a container in write order: all, one logical
   * partition's, or (a hierarchical key's first values) every partition
   * under that prefix.
   */
  documents(container: ContainerState, key: PartitionKeyValues | undefined, now: number): Resource[] {
    this.#expire(container, now);
    const inPartition = partitionFilter(container, key);
    const out: Resource[] = [];
    for (const item of container.items.values()) if (inPartition(item)) out.push(item.body);
    return out;
  }

  read(container: ContainerState, id: string, key: PartitionKeyValues, now: number): StoredItem {
    // A point operation names one logical partition: a key of another shape or type is a bad request in Azure, not a missing item.
    checkKeyValues(container.partitionKey, key);
    this.#expire(container, now);
    const item = container.items.get(itemKey(keyText(key), id));
    if (!item) throw notFound(`Entity with the specified id does not exist in the system.`);
    return item;
  }

  create(container: ContainerState, body: unknown, header: PartitionKeyValues | undefined, now: number): StoredItem {
    const { doc, key } = this.#incoming(container, body, header);
    this.#expire(container, now);
    if (container.items.has(itemKey(keyText(key), doc.id as string))) throw conflict();
    return this.#write(container, doc, key, now);
  }

  upsert(container: ContainerState, body: unknown, header: PartitionKeyValues | undefined, ifMatch: string | undefined, now: number): { item: StoredItem; created: boolean } {
    const { doc, key } = this.#incoming(container, body, header);
    this.#expire(container, now);
    const existing = container.items.get(itemKey(keyText(key), doc.id as string));
    if (existing) checkIfMatch(ifMatch, existing.body._etag as string);
    else if (ifMatch !== undefined && ifMatch !== '*') throw preconditionFailed();
    return { item: this.#write(container, doc, key, now, existing), created: !existing };
  }

  replace(container: ContainerState, id: string, body: unknown, header: PartitionKeyValues | undefined, ifMatch: string | undefined, now: number): StoredItem {
    const { doc, key } = this.#incoming(container, body, header);
    if (doc.id !== id) throw badRequest(`The id in the body (${String(doc.id)}) does not match the item being replaced (${id}).`);
    const existing = this.read(container, id, key, now);
    checkIfMatch(ifMatch, existing.body._etag as string);
    return this.#write(container, doc, key, now, existing);
  }

  delete(container: ContainerState, id: string, key: PartitionKeyValues, ifMatch: string | undefined, now: number): void {
    const existing = this.read(container, id, key, now);
    checkIfMatch(ifMatch, existing.body._etag as string);
    const storeKey = itemKey(keyText(key), id);
    container.undo?.push([storeKey, existing]);
    container.items.delete(storeKey);
  }

  patch(container: ContainerState, id: string, key: PartitionKeyValues, operations: PatchOperation[], condition: string | undefined, ifMatch: string | undefined, now: number): StoredItem {
    const existing = this.read(container, id, key, now);
    checkIfMatch(ifMatch, existing.body._etag as string);
    if (condition !== undefined && loadedEngine().runQuery({ query: `SELECT VALUE 1 ${condition}` }, [existing.body], now).length === 0) throw preconditionFailed();
    const patched = applyPatch(existing.body, operations, container.partitionKey.paths);
    const doc = userProperties(patched);
    // Values set inside values can nest an item deeper than any body may, patch after patch, until it can no longer be serialized.
    const problem = jsonProblem(doc);
    if (problem) throw badRequest(`The patched item ${problem}.`);
    checkSize(doc);
    checkTtl(doc);
    return this.#write(container, doc, key, now, existing);
  }

  /**
   * Runs `work` as one transaction on a container: when it throws, every
   * item it wrote or deleted is put back as it was, and the change feed
   * position with it.
   */
  transaction<T>(container: ContainerState, work: () => T): T {
    const lsn = container.lsn;
    container.undo = [];
    try {
      return work();
    } catch (error) {
      for (const [key, previous] of container.undo.reverse()) {
        if (previous) container.items.set(key, previous);
        else container.items.delete(key);
      }
      // An item put back lands at the map's end; the map's order is write (LSN) order, which plain queries follow, so restore it too.
      if (container.undo.length > 0) container.items = new Map([...container.items].sort(([, a], [, b]) => a.lsn - b.lsn));
      container.lsn = lsn;
      throw error;
    } finally {
      container.undo = undefined;
    }
  }

  /** Items written after `sinceLsn` (and at or after `sinceTime`), oldest write first: the latest-version change feed. */
  changes(container: ContainerState, key: PartitionKeyValues | undefined, sinceLsn: number, sinceTime: number | undefined, now: number): StoredItem[] {
    this.#expire(container, now);
    const inPartition = partitionFilter(container, key);
    const out: StoredItem[] = [];
    for (const item of container.items.values()) {
      if (item.lsn <= sinceLsn || (sinceTime !== undefined && item.modified < sinceTime)) continue;
      if (inPartition(item)) out.push(item);
    }
    return out.sort((a, b) => a.lsn - b.lsn);
  }

  #incoming(container: ContainerState, body: unknown, header: PartitionKeyValues | undefined): { doc: Resource; key: PartitionKeyValues } {
    if (!isObject(body)) throw badRequest('The request body must be a JSON object (the item).');
    checkId(body, 'item');
    const doc = userProperties(body);
    checkSize(doc);
    checkTtl(doc);
    const definition = container.partitionKey;
    const key = extractKey(definition, doc);
    checkKeyValues(definition, key);
    if (header !== undefined && !sameKey(header, key)) {
      throw badRequest("PartitionKey extracted from document doesn't match the one specified in the header. Learn more: https://aka.ms/CosmosDB/sql/errors/wrong-pk-value");
    }
    return { doc, key };
  }

  #write(container: ContainerState, doc: Resource, key: PartitionKeyValues, now: number, existing?: StoredItem): StoredItem {
    const partition = keyText(key);
    const storeKey = itemKey(partition, doc.id as string);
    this.#checkUnique(container, doc, key, storeKey);
    const rid = existing ? (existing.body._rid as string) : container.nextItemRid();
    // Object.assign, not `{ ...doc, _rid }`: V8 defines each property after a spread through a slow runtime call (~5 µs a write).
    const body: Resource = Object.assign({}, doc, {
      _rid: rid,
      _self: `${container.resource._self as string}docs/${rid}/`,
      _etag: newEtag(),
      _attachments: 'attachments/',
      _ts: seconds(now),
    });
    const item: StoredItem = { body, key, partition, lsn: ++container.lsn, modified: now };
    container.undo?.push([storeKey, existing]);
    // Deleted first, so the map's order (the order of a plain query) follows the latest write like Azure's.
    container.items.delete(storeKey);
    container.items.set(storeKey, item);
    return item;
  }

  #checkUnique(container: ContainerState, doc: Resource, key: PartitionKeyValues, storeKey: string): void {
    const policy = container.resource.uniqueKeyPolicy as { uniqueKeys?: Array<{ paths: string[] }> } | undefined;
    const uniqueKeys = policy?.uniqueKeys ?? [];
    if (uniqueKeys.length === 0) return;
    const partition = keyText(key);
    for (const unique of uniqueKeys) {
      const definition = { paths: unique.paths, kind: 'Hash' };
      const wanted = valueKey(extractKey(definition, doc));
      for (const [otherKey, other] of container.items) {
        if (otherKey === storeKey || other.partition !== partition) continue;
        if (valueKey(extractKey(definition, other.body)) === wanted) {
          throw conflict(`Unique index constraint violation: another item in this logical partition has the same value for ${unique.paths.join(', ')}.`);
        }
      }
    }
  }

  /** Drops items whose time to live ran out on the emulators' clock. */
  #expire(container: ContainerState, now: number): void {
    const defaultTtl = container.resource.defaultTtl;
    if (typeof defaultTtl !== 'number') return;
    for (const [key, item] of container.items) {
      const own = item.body.ttl;
      const ttl = typeof own === 'number' ? own : defaultTtl;
      if (ttl > 0 && item.modified + ttl * 1000 <= now) container.items.delete(key);
    }
  }
}

/** Which stored items a partition key (a full one, a hierarchical prefix, or none) selects. */
function partitionFilter(container: ContainerState, key: PartitionKeyValues | undefined): (item: StoredItem) => boolean {
  if (key === undefined) return () => true;
  const paths = container.partitionKey.paths.length;
  if (key.length > paths) throw badRequest(`The partition key has ${key.length} values; the container's has ${paths} path(s).`);
  checkValueTypes(key);
  const wanted = keyText(key);
  if (key.length === paths) return (item) => item.partition === wanted;
  return (item) => keyText(item.key.slice(0, key.length)) === wanted;
}

function newOffer(throughput: Throughput, now: number): Offer {
  return { ...throughput, id: randomBytes(3).toString('base64url').slice(0, 4), etag: newEtag(), ts: seconds(now) };
}

function containerResource(body: Resource, id: string, rid: Buffer, now: number): Resource {
  const partitionKey = checkDefinition(body.partitionKey);
  const defaultTtl = body.defaultTtl;
  if (defaultTtl !== undefined && defaultTtl !== null && (typeof defaultTtl !== 'number' || !Number.isInteger(defaultTtl) || defaultTtl === 0 || defaultTtl < -1)) {
    throw badRequest(`defaultTtl must be -1 (items never expire unless they say so) or a positive number of seconds, got ${JSON.stringify(defaultTtl)}.`);
  }
  if (body.indexingPolicy != null && !isObject(body.indexingPolicy)) throw badRequest(`indexingPolicy must be an object such as { indexingMode: "consistent" }, got ${JSON.stringify(body.indexingPolicy)}.`);
  const uniqueKeyPolicy = (body.uniqueKeyPolicy as Resource | undefined) ?? { uniqueKeys: [] };
  const uniqueKeys = uniqueKeyPolicy.uniqueKeys;
  // A unique key without paths would make every item of a partition collide with every other.
  if (!Array.isArray(uniqueKeys) || !uniqueKeys.every((u) => isObject(u) && Array.isArray(u.paths) && u.paths.length > 0 && u.paths.every((p) => typeof p === 'string' && p.startsWith('/')))) {
    throw badRequest('uniqueKeyPolicy.uniqueKeys must be a list of { paths: ["/property", ...] }, each naming at least one path.');
  }
  const self = `dbs/${ridText(rid.subarray(0, 4))}/colls/${ridText(rid)}/`;
  return {
    ...body,
    id,
    indexingPolicy: body.indexingPolicy ?? DEFAULT_INDEXING_POLICY,
    partitionKey,
    uniqueKeyPolicy,
    conflictResolutionPolicy: body.conflictResolutionPolicy ?? { mode: 'LastWriterWins', conflictResolutionPath: '/_ts', conflictResolutionProcedure: '' },
    geospatialConfig: body.geospatialConfig ?? { type: 'Geography' },
    _rid: ridText(rid),
    _ts: seconds(now),
    _self: self,
    _etag: newEtag(),
    _docs: 'docs/',
    _sprocs: 'sprocs/',
    _triggers: 'triggers/',
    _udfs: 'udfs/',
    _conflicts: 'conflicts/',
  };
}

function checkId(body: unknown, what: string): string {
  if (!isObject(body)) throw badRequest(`The request body must be a JSON object describing the ${what}.`);
  const id = body.id;
  if (typeof id !== 'string' || id === '') throw badRequest(`The input content is invalid because the required property, id, is missing: every ${what} needs a non-empty string id.`);
  // Azure's limits: an item id takes up to 1,023 bytes of UTF-8, a database or container id up to 255 characters.
  if (what === 'item' ? Buffer.byteLength(id) > 1023 : id.length > 255) {
    throw badRequest(what === 'item' ? 'The item id is longer than 1,023 bytes (UTF-8).' : `The ${what} id is longer than 255 characters.`);
  }
  if (ID_FORBIDDEN.test(id) || id.endsWith(' ')) throw badRequest(`The ${what} id "${id}" contains a character Cosmos DB does not allow ('/', '\\\\', '?', '#') or ends with a space.`);
  return id;
}

function checkSize(doc: Resource): void {
  if (Buffer.byteLength(JSON.stringify(doc)) > MAX_ITEM_BYTES) throw new CosmosError('RequestEntityTooLarge', 'Request size is too large: an item may be at most 2 MB.');
}

function checkTtl(doc: Resource): void {
  const ttl = doc.ttl;
  if (ttl === undefined || ttl === null) return;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl === 0 || ttl < -1) {
    throw badRequest(`The item's ttl must be -1 (never expire) or a positive number of seconds, got ${JSON.stringify(ttl)}.`);
  }
}

/** If-Match against a resource's ETag: absent or `*` match anything, as in Azure. */
export function checkIfMatch(ifMatch: string | undefined, etag: string): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etag) throw preconditionFailed();
}

/** The item without the system properties a client may send back; the store sets them. */
function userProperties(body: Resource): Resource {
  const { _rid, _self, _etag, _attachments, _ts, _lsn, ...rest } = body;
  return rest;
}

/** An item's key in its container's map: its logical partition (`keyText`) and id. */
function itemKey(partition: string, id: string): string {
  return `${partition}\u0000${id}`;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
