import type { AmqpWireError } from '../amqp-common/errors.js';
import { ehErrors } from './errors.js';
import { DEFAULT_CONSUMER_GROUP, MAX_READERS_PER_PARTITION, type HubDefinition } from './model.js';
import { partitionForKey } from './partition-key.js';
import { PartitionLog } from './partition-log.js';

/** A receiver holding a partition for its consumer group, as the owner-level rules see it. */
export interface PartitionReader {
  /** The attach's `com.microsoft:epoch`; undefined for a receiver without an owner level. */
  readonly ownerLevel: number | undefined;
  /** Detaches the link with `error`. */
  disconnect(error: AmqpWireError): void;
}

/** A consumer group: its own readers per partition, independent of every other group. */
export class ConsumerGroup {
  readonly #readers = new Map<string, Set<PartitionReader>>();

  constructor(readonly name: string) {}

  /**
   * Admits `reader` on `partitionId` under Azure's owner-level rules: a
   * higher (or equal) owner level pushes out lower and unlevelled readers
   * with `amqp:link:stolen`; a reader below the current owner level is
   * refused, and so is a sixth reader of the partition (Azure's quota).
   */
  join(partitionId: string, reader: PartitionReader): void {
    const readers = this.#readers.get(partitionId) ?? new Set<PartitionReader>();
    this.#readers.set(partitionId, readers);
    const levels = [...readers].map((r) => r.ownerLevel).filter((l): l is number => l !== undefined);
    const held = levels.length > 0 ? Math.max(...levels) : undefined;
    if (held !== undefined && (reader.ownerLevel === undefined || reader.ownerLevel < held)) throw ehErrors.epochTooLow(reader.ownerLevel, held);
    if (reader.ownerLevel === undefined && readers.size >= MAX_READERS_PER_PARTITION) throw ehErrors.tooManyReaders(MAX_READERS_PER_PARTITION);
    if (reader.ownerLevel !== undefined) {
      for (const other of [...readers]) {
        readers.delete(other);
        other.disconnect(ehErrors.epochStolen(reader.ownerLevel, other.ownerLevel));
      }
    }
    readers.add(reader);
  }

  leave(partitionId: string, reader: PartitionReader): void {
    this.#readers.get(partitionId)?.delete(reader);
  }
}

/** One event hub: its partitions and consumer groups, shaped by the seed. */
export class EventHub {
  readonly partitions: PartitionLog[];
  readonly #groups = new Map<string, ConsumerGroup>();
  #roundRobin = 0;

  constructor(
    readonly definition: HubDefinition,
    readonly createdAt: number,
  ) {
    this.partitions = Array.from({ length: definition.partitionCount }, (_, i) => new PartitionLog(String(i), definition.retentionMs));
    for (const name of [DEFAULT_CONSUMER_GROUP, ...definition.consumerGroups]) this.#groups.set(name.toLowerCase(), new ConsumerGroup(name));
  }

  get name(): string {
    return this.definition.name;
  }

  get partitionIds(): string[] {
    return this.partitions.map((p) => p.id);
  }

  get consumerGroups(): ConsumerGroup[] {
    return [...this.#groups.values()];
  }

  /** Consumer group names are case-insensitive, as in Azure. */
  consumerGroup(name: string): ConsumerGroup | undefined {
    return this.#groups.get(name.toLowerCase());
  }

  /** The partition `id` names; throws ArgumentOutOfRange for an id the hub lacks. */
  partition(id: string): PartitionLog {
    const partition = /^\d+$/.test(id) ? this.partitions[Number(id)] : undefined;
    if (!partition) throw ehErrors.partitionOutOfRange(id, this.partitions.length);
    return partition;
  }

  /** Where an event sent to the hub itself goes: by its partition key's hash, or round robin. */
  route(partitionKey: string | undefined): PartitionLog {
    if (partitionKey !== undefined) return this.partitions[partitionForKey(partitionKey, this.partitions.length)]!;
    const partition = this.partitions[this.#roundRobin % this.partitions.length]!;
    this.#roundRobin = (this.#roundRobin + 1) % this.partitions.length;
    return partition;
  }

  clear(): void {
    for (const partition of this.partitions) partition.clear();
    this.#roundRobin = 0;
  }
}

/** One namespace's hubs (names are case-insensitive). */
export class EventHubsNamespace {
  readonly #hubs = new Map<string, EventHub>();

  constructor(readonly name: string) {}

  get hubs(): EventHub[] {
    return [...this.#hubs.values()];
  }

  hub(name: string): EventHub | undefined {
    return this.#hubs.get(name.toLowerCase());
  }

  /** Adds the hubs of `definitions` this namespace lacks; existing hubs keep their events. */
  addMissing(definitions: HubDefinition[], now: number): void {
    for (const definition of definitions) {
      const key = definition.name.toLowerCase();
      if (!this.#hubs.has(key)) this.#hubs.set(key, new EventHub(definition, now));
    }
  }

  /** Replaces the hubs with `hubs` (a snapshot's); a hub kept under the same name keeps its attached readers. */
  replaceHubs(hubs: EventHub[]): void {
    this.#hubs.clear();
    for (const hub of hubs) this.#hubs.set(hub.name.toLowerCase(), hub);
  }

  /** Empties every partition; hubs, groups and attached readers stay. */
  clear(): void {
    for (const hub of this.#hubs.values()) hub.clear();
  }
}
