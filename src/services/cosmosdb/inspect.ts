import { SNAPSHOT_LIST_LIMIT, type CosmosAccountSnapshot, type CosmosServiceSnapshot } from '../../core/inspection.js';
import type { CosmosStore } from './store.js';

/** What one namespace (or every one) holds, for the dashboard, `localzure inspect` and failure reports. */
export function inspectCosmos(store: CosmosStore, namespace: string | undefined, now: number): CosmosServiceSnapshot {
  const accounts: Record<string, CosmosAccountSnapshot> = {};
  for (const name of namespace === undefined ? store.namespaces() : [namespace]) {
    const databases = store.databases(name).map((database) => ({
      id: database.id,
      containers: [...database.containers.values()].map((container) => {
        const items = store.documents(container, undefined, now);
        return { id: container.id, partitionKey: container.partitionKey.paths, itemCount: items.length, items: items.slice(0, SNAPSHOT_LIST_LIMIT) };
      }),
    }));
    if (databases.length > 0) accounts[name] = { databases };
  }
  return { kind: 'cosmosdb', accounts };
}
