import { fromSnapshotJson } from '../../core/snapshot-json.js';
import { ContainerState, DatabaseState, type Offer, type Resource, type StoredItem } from './store.js';

interface CapturedContainer {
  resource: Resource;
  rid: Buffer;
  offer?: Offer;
  /** Item key → item; the items are never changed in place (a write stores a new one), so they are shared. */
  items: Map<string, StoredItem>;
  lsn: number;
  ridSequence: number;
  /** Physical partition key ranges; files written before ranges existed have none, so one. */
  partitionCount?: number;
}

/** What `captureCosmos` returns: a namespace's databases and containers with their items, in creation order. */
export interface CosmosCapture {
  databases: Array<{ resource: Resource; rid: Buffer; offer?: Offer; containers: CapturedContainer[] }>;
}

/**
 * A copy of one namespace's databases, containers and items, each with its
 * system properties as they were (`_rid`, `_self`, `_etag`, `_ts`), and
 * each container's change feed position. Undefined when it has no database.
 */
export function captureCosmos(account: Map<string, DatabaseState>): CosmosCapture | undefined {
  if (account.size === 0) return undefined;
  return {
    databases: [...account.values()].map((database) => ({
      resource: database.resource,
      rid: database.rid,
      ...(database.offer ? { offer: { ...database.offer } } : {}),
      containers: [...database.containers.values()].map((c) => ({
        resource: c.resource,
        rid: c.rid,
        ...(c.offer ? { offer: { ...c.offer } } : {}),
        items: new Map(c.items),
        lsn: c.lsn,
        ridSequence: c.ridSequence,
        partitionCount: c.partitionCount,
      })),
    })),
  };
}

/**
 * Replaces the namespace's databases with the captured ones (none when
 * `captured` is undefined). A container's change feed position and its item
 * numbering go on from the higher of the live and the captured one, as
 * after a reset: a continuation taken before the restore never skips a
 * later write, and no `_rid` is handed out twice.
 */
export function restoreCosmos(account: Map<string, DatabaseState>, captured: CosmosCapture | undefined): void {
  const live = new Map([...account.values()].map((db) => [db.id, db] as const));
  account.clear();
  for (const d of captured?.databases ?? []) {
    const database = new DatabaseState(d.resource, d.rid, d.offer && { ...d.offer });
    for (const c of d.containers) {
      const container = new ContainerState(database, c.resource, c.rid, c.offer && { ...c.offer });
      const before = live.get(database.id)?.containers.get(container.id);
      const same = before?.rid.equals(c.rid) === true;
      container.items = new Map(c.items);
      container.partitionCount = c.partitionCount ?? 1;
      container.lsn = Math.max(c.lsn, same ? before!.lsn : 0);
      container.ridSequence = Math.max(c.ridSequence, same ? before!.ridSequence : 0);
      database.containers.set(container.id, container);
    }
    account.set(database.id, database);
  }
}

/** A capture read back from a snapshot file; throws TypeError when it does not have the shape `captureCosmos` gives. */
export function decodeCosmosCapture(encoded: unknown): CosmosCapture | undefined {
  const captured = fromSnapshotJson(encoded) as CosmosCapture | undefined;
  if (captured === undefined) return undefined;
  const ok =
    Array.isArray(captured?.databases) &&
    captured.databases.every((d) => Buffer.isBuffer(d?.rid) && Array.isArray(d.containers) && d.containers.every((c) => Buffer.isBuffer(c?.rid) && c.items instanceof Map && typeof c.lsn === 'number'));
  if (!ok) throw new TypeError('expected { databases: [{ rid, containers: [{ rid, items, lsn, ... }] }] }');
  return captured;
}
