import { ContainerConfigError } from './errors.js';
import { expectRecord } from './seed-config.js';

/**
 * Event hubs, as passed in `seed.data.eventhubs` (or
 * `<seed>/eventhubs/config.json`): hub name → partition count (default 1)
 * and consumer groups (`$default` always exists). A complete emulator file
 * (`{ "UserConfig": ... }`) is also accepted as is.
 *
 * @example
 * { hubs: { telemetry: { partitionCount: 2, consumerGroups: ['analytics'] } } }
 */
export interface EventHubsEntities {
  hubs?: Record<string, { partitionCount?: number; consumerGroups?: string[] }>;
}

export const EVENTHUBS_NAMESPACE = 'emulatorNs1';
export const EVENTHUBS_CONFIG_PATH = '/Eventhubs_Emulator/ConfigFiles/Config.json';

const SERVICE = 'eventhubs';
// Usage quotas of the emulator (learn.microsoft.com/azure/event-hubs/overview-emulator#usage-quotas).
const MAX_HUBS = 10;
const MAX_PARTITIONS = 32;
const MAX_CONSUMER_GROUPS = 20;
const NAME = /^[A-Za-z0-9]$|^[A-Za-z0-9][\w\-.]*[A-Za-z0-9]$/;

/** The emulator's Config.json for `entities`; throws ContainerConfigError naming what is wrong. */
export function eventHubsConfig(entities: unknown = {}): object {
  const root = expectRecord(SERVICE, entities, 'the Event Hubs configuration');
  if ('UserConfig' in root) return root;
  const hubs = Object.entries(root.hubs === undefined ? {} : expectRecord(SERVICE, root.hubs, 'hubs'));
  if (hubs.length > MAX_HUBS) throw new ContainerConfigError(SERVICE, `${hubs.length} event hubs; the emulator allows ${MAX_HUBS}.`);
  return {
    UserConfig: {
      NamespaceConfig: [
        {
          Type: 'EventHub',
          Name: EVENTHUBS_NAMESPACE,
          Entities: hubs.map(([name, value]) => {
            checkName(name, 'event hub');
            const hub = expectRecord(SERVICE, value, `event hub "${name}"`);
            const partitions = hub.partitionCount ?? 1;
            if (!Number.isInteger(partitions) || (partitions as number) < 1 || (partitions as number) > MAX_PARTITIONS) {
              throw new ContainerConfigError(SERVICE, `event hub "${name}": partitionCount must be an integer from 1 to ${MAX_PARTITIONS}, got ${JSON.stringify(partitions)}.`);
            }
            const groups = hub.consumerGroups ?? [];
            if (!Array.isArray(groups)) throw new ContainerConfigError(SERVICE, `event hub "${name}": consumerGroups must be an array of names.`);
            if (groups.length > MAX_CONSUMER_GROUPS) {
              throw new ContainerConfigError(SERVICE, `event hub "${name}" has ${groups.length} consumer groups; the emulator allows ${MAX_CONSUMER_GROUPS}.`);
            }
            for (const group of groups) checkName(group, `consumer group of "${name}"`);
            if (new Set(groups).size !== groups.length) throw new ContainerConfigError(SERVICE, `event hub "${name}" lists a consumer group twice.`);
            return {
              Name: name,
              // The emulator's schema types the partition count as a string.
              PartitionCount: String(partitions),
              ConsumerGroups: (groups as string[]).map((group) => ({ Name: group })),
            };
          }),
        },
      ],
      LoggingConfig: { Type: 'Console' },
    },
  };
}

function checkName(name: unknown, where: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ContainerConfigError(SERVICE, `${where}: ${JSON.stringify(name)} is not a valid name (letters, digits, '-', '_', '.'; starting and ending with a letter or digit).`);
  }
}
