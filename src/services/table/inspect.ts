import { SNAPSHOT_LIST_LIMIT, type TableAccountSnapshot, type TableServiceSnapshot, type TableSnapshot } from '../../core/inspection.js';
import { entityJson } from './odata.js';
import type { Table, TableStore } from './store.js';

/** What the table store holds for one account (every account when none is named), read without changing anything. */
export function inspectTables(store: TableStore, account?: string): TableServiceSnapshot {
  const names = store.accountNames().filter((name) => account === undefined || name === account);
  return { kind: 'table', accounts: Object.fromEntries(names.map((name) => [name, accountSnapshot(store, name)])) };
}

function accountSnapshot(store: TableStore, account: string): TableAccountSnapshot {
  return { tables: store.tablesOf(account).map((table) => tableSnapshot(store, table)) };
}

function tableSnapshot(store: TableStore, table: Table): TableSnapshot {
  const { items } = store.query(table, () => true, undefined, SNAPSHOT_LIST_LIMIT);
  return {
    name: table.name,
    entityCount: table.entities.size,
    // As nometadata JSON shows them: what a reader of the wire would see, Int64 as strings.
    entities: items.map((entity) => JSON.parse(entityJson(entity, { level: 'nometadata', baseUrl: '', table: table.name, single: false })) as Record<string, unknown>),
  };
}
