import { fromSnapshotJson } from '../../core/snapshot-json.js';
import { EventHub, type EventHubsNamespace } from './hub.js';
import type { HubDefinition } from './model.js';
import type { PartitionCapture } from './partition-log.js';

/** What `captureEventHubs` returns: each hub's shape (partitions, consumer groups, retention) and its partitions' logs. */
export interface EventHubsCapture {
  hubs: Array<{ definition: HubDefinition; createdAt: number; partitions: PartitionCapture[] }>;
}

/**
 * A copy of a namespace's hubs and their partition logs: events with their
 * sequence numbers, offsets and enqueued times, and the numbering to go on
 * with. Consumer groups are part of a hub's definition; checkpoints and
 * ownership live in blob storage, which snapshots itself.
 */
export function captureEventHubs(ns: EventHubsNamespace): EventHubsCapture {
  return {
    hubs: ns.hubs.map((hub) => ({
      definition: { ...hub.definition, consumerGroups: [...hub.definition.consumerGroups] },
      createdAt: hub.createdAt,
      partitions: hub.partitions.map((p) => p.capture()),
    })),
  };
}

/**
 * Puts `captured` back. A hub that still has the captured shape is refilled
 * in place, so open receivers stay attached (at their position) and see the
 * restored log; any other is made anew, and hubs the capture lacks go.
 */
export function restoreEventHubs(ns: EventHubsNamespace, captured: EventHubsCapture): void {
  ns.replaceHubs(
    captured.hubs.map(({ definition, createdAt, partitions }) => {
      const live = ns.hub(definition.name);
      const hub = live && JSON.stringify(live.definition) === JSON.stringify(definition) ? live : new EventHub({ ...definition, consumerGroups: [...definition.consumerGroups] }, createdAt);
      hub.partitions.forEach((partition, i) => partition.restore(partitions[i] ?? { events: [], nextSequence: 0, nextOffset: 0 }));
      return hub;
    }),
  );
}

/** A capture read back from a snapshot file; throws TypeError when it does not have the shape `captureEventHubs` gives. */
export function decodeEventHubsCapture(encoded: unknown): EventHubsCapture {
  const captured = fromSnapshotJson(encoded) as EventHubsCapture;
  const ok =
    Array.isArray(captured?.hubs) &&
    captured.hubs.every(
      (h) => typeof h?.definition?.name === 'string' && Number.isInteger(h.definition.partitionCount) && Array.isArray(h.definition.consumerGroups) && Array.isArray(h.partitions) && h.partitions.every((p) => Array.isArray(p?.events)),
    );
  if (!ok) throw new TypeError('expected { hubs: [{ definition: { name, partitionCount, consumerGroups, retentionMs }, partitions: [{ events, ... }] }] }');
  return captured;
}
