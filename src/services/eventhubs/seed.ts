import { LocalZureError } from '../../core/errors.js';
import type { SeedSource } from '../../core/service.js';
// The seed's file and inline forms are read as for the container backend, so one seed serves both.
import { readSeedConfig } from '../../containers/seed-config.js';
import { DEFAULT_CONSUMER_GROUP, DEFAULT_RETENTION_MS, MAX_PARTITIONS, type HubDefinition } from './model.js';

/** Event Hubs seed data that cannot be loaded; the message names the hub and the field. */
export class EventHubsSeedError extends LocalZureError {
  constructor(message: string) {
    super('LZ_INVALID_SEED', `Invalid Event Hubs seed: ${message}`);
  }
}

const NAME = /^[A-Za-z0-9]$|^[A-Za-z0-9][\w\-.]*[A-Za-z0-9]$/;

type Props = Record<string, unknown>;

/**
 * The hubs of `seed.data.eventhubs` or `<seed>/eventhubs/config.json`:
 * LocalZure's short form (`{ hubs: { telemetry: { partitionCount: 4, consumerGroups: ['analytics'] } } }`,
 * plus an optional `retentionInHours`) or Microsoft's emulator `Config.json`
 * as is (`{ UserConfig: { NamespaceConfig: [{ Entities: [...] }] } }`).
 */
export function loadEventHubsSeed(seed: SeedSource | undefined): HubDefinition[] {
  const raw = readSeedConfig(seed, 'eventhubs');
  if (raw === undefined) return [];
  const root = record(raw, 'the Event Hubs seed');
  const hubs = 'UserConfig' in root ? fromEmulatorConfig(record(root.UserConfig, 'UserConfig')) : fromShortForm(root);
  const names = new Set<string>();
  for (const hub of hubs) {
    const key = hub.name.toLowerCase();
    if (names.has(key)) throw new EventHubsSeedError(`the event hub "${hub.name}" is defined twice.`);
    names.add(key);
  }
  return hubs;
}

function fromShortForm(root: Props): HubDefinition[] {
  const hubs = root.hubs === undefined ? {} : record(root.hubs, 'hubs');
  return Object.entries(hubs).map(([name, value]) => {
    const hub = record(value, `event hub "${name}"`);
    return hubDefinition(name, hub.partitionCount ?? 1, hub.consumerGroups ?? [], hub.retentionInHours);
  });
}

function fromEmulatorConfig(config: Props): HubDefinition[] {
  const hubs: HubDefinition[] = [];
  for (const ns of list(config.NamespaceConfig ?? [], 'UserConfig.NamespaceConfig')) {
    const namespace = record(ns, 'an entry of UserConfig.NamespaceConfig');
    for (const e of list(namespace.Entities ?? [], 'Entities')) {
      const entity = record(e, 'an entry of Entities');
      const groups = list(entity.ConsumerGroups ?? [], `ConsumerGroups of "${String(entity.Name)}"`).map((g) => record(g, 'a consumer group').Name);
      // The emulator's schema types the partition count as a string.
      const partitions = typeof entity.PartitionCount === 'string' ? Number(entity.PartitionCount) : (entity.PartitionCount ?? 1);
      hubs.push(hubDefinition(entity.Name, partitions, groups, entity.MessageRetentionInHours));
    }
  }
  return hubs;
}

function hubDefinition(name: unknown, partitions: unknown, groups: unknown, retentionInHours: unknown): HubDefinition {
  checkName(name, 'event hub');
  const where = `event hub "${name as string}"`;
  if (!Number.isInteger(partitions) || (partitions as number) < 1 || (partitions as number) > MAX_PARTITIONS) {
    throw new EventHubsSeedError(`${where}: partitionCount must be an integer from 1 to ${MAX_PARTITIONS}, got ${JSON.stringify(partitions)}.`);
  }
  if (!Array.isArray(groups)) throw new EventHubsSeedError(`${where}: consumerGroups must be an array of names.`);
  for (const group of groups) checkName(group, `a consumer group of ${where}`);
  const extra = (groups as string[]).filter((g) => g.toLowerCase() !== DEFAULT_CONSUMER_GROUP.toLowerCase());
  if (new Set(extra.map((g) => g.toLowerCase())).size !== extra.length) throw new EventHubsSeedError(`${where} lists a consumer group twice.`);
  if (retentionInHours !== undefined && (typeof retentionInHours !== 'number' || !(retentionInHours > 0))) {
    throw new EventHubsSeedError(`${where}: retentionInHours must be a positive number of hours, got ${JSON.stringify(retentionInHours)}.`);
  }
  return {
    name: name as string,
    partitionCount: partitions as number,
    consumerGroups: extra,
    retentionMs: retentionInHours === undefined ? DEFAULT_RETENTION_MS : (retentionInHours as number) * 3600_000,
  };
}

function checkName(name: unknown, where: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new EventHubsSeedError(`${where}: ${JSON.stringify(name)} is not a valid name (letters, digits, '-', '_', '.'; starting and ending with a letter or digit).`);
  }
}

function record(value: unknown, where: string): Props {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventHubsSeedError(`${where} must be an object, got ${JSON.stringify(value)}.`);
  }
  return value as Props;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new EventHubsSeedError(`${where} must be an array, got ${JSON.stringify(value)}.`);
  return value;
}
