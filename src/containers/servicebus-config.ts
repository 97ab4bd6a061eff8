import { ContainerConfigError } from './errors.js';
import { expectRecord } from './seed-config.js';

/**
 * Service Bus entities, as passed in `seed.data.servicebus` (or
 * `<seed>/servicebus/config.json`). Properties use the emulator's own names
 * (`LockDuration`, `MaxDeliveryCount`, ...); what is left out gets the
 * emulator's documented default. A complete emulator file
 * (`{ "UserConfig": ... }`) is also accepted as is.
 *
 * @example
 * { queues: ['orders', { name: 'jobs', properties: { MaxDeliveryCount: 5 } }],
 *   topics: { events: { subscriptions: ['audit', { name: 'eu', rules: { region: { FilterType: 'Sql', SqlFilter: { SqlExpression: "region = 'eu'" } } } }] } } }
 */
export interface ServiceBusEntities {
  queues?: EntityList<EntityConfig>;
  topics?: Record<string, TopicConfig> | Array<TopicConfig & { name: string }>;
}

export type EntityList<T> = Array<string | (T & { name: string })> | Record<string, T>;

export interface EntityConfig {
  properties?: Record<string, unknown>;
}

export interface TopicConfig extends EntityConfig {
  subscriptions: EntityList<SubscriptionConfig>;
}

export interface SubscriptionConfig extends EntityConfig {
  /** Rule name → rule properties (`FilterType` plus `SqlFilter`/`CorrelationFilter`, optional `Action`). */
  rules?: Record<string, Record<string, unknown>>;
}

/** The only namespace name the emulator accepts. */
export const SERVICEBUS_NAMESPACE = 'sbemulatorns';
export const SERVICEBUS_CONFIG_PATH = '/ServiceBus_Emulator/ConfigFiles/Config.json';

const SERVICE = 'servicebus';
const NAME = /^[A-Za-z0-9]$|^[A-Za-z0-9][\w\-./]*[A-Za-z0-9]$/;
const MAX_ENTITIES = 50;

const QUEUE_DEFAULTS = {
  DeadLetteringOnMessageExpiration: false,
  DefaultMessageTimeToLive: 'PT1H',
  DuplicateDetectionHistoryTimeWindow: 'PT20S',
  ForwardDeadLetteredMessagesTo: '',
  ForwardTo: '',
  LockDuration: 'PT1M',
  MaxDeliveryCount: 3,
  RequiresDuplicateDetection: false,
  RequiresSession: false,
};
const TOPIC_DEFAULTS = {
  DefaultMessageTimeToLive: 'PT1H',
  DuplicateDetectionHistoryTimeWindow: 'PT20S',
  RequiresDuplicateDetection: false,
};
const SUBSCRIPTION_DEFAULTS = {
  DeadLetteringOnMessageExpiration: false,
  DefaultMessageTimeToLive: 'PT1H',
  LockDuration: 'PT1M',
  MaxDeliveryCount: 3,
  ForwardDeadLetteredMessagesTo: '',
  ForwardTo: '',
  RequiresSession: false,
};

/** The emulator's Config.json for `entities`; throws ContainerConfigError naming what is wrong. */
export function serviceBusConfig(entities: unknown = {}): object {
  const root = expectRecord(SERVICE, entities, 'the Service Bus configuration');
  if ('UserConfig' in root) return root;
  const queues = entries(root.queues, 'queues').map(([name, queue]) => ({
    Name: name,
    Properties: properties(queue, QUEUE_DEFAULTS, `queue "${name}"`),
  }));
  const topics = entries(root.topics, 'topics').map(([name, topic]) => {
    const subscriptions = entries(topic.subscriptions, `topic "${name}" subscriptions`);
    if (subscriptions.length === 0) {
      throw new ContainerConfigError(SERVICE, `topic "${name}" needs at least one subscription (the emulator requires it).`);
    }
    return {
      Name: name,
      Properties: properties(topic, TOPIC_DEFAULTS, `topic "${name}"`),
      Subscriptions: subscriptions.map(([subName, sub]) => ({
        Name: subName,
        Properties: properties(sub, SUBSCRIPTION_DEFAULTS, `subscription "${name}/${subName}"`),
        Rules: Object.entries(sub.rules === undefined ? {} : expectRecord(SERVICE, sub.rules, `subscription "${name}/${subName}" rules`)).map(
          ([ruleName, rule]) => {
            checkName(ruleName, `rule of "${name}/${subName}"`);
            const props = expectRecord(SERVICE, rule, `rule "${ruleName}"`);
            if (props.FilterType !== 'Sql' && props.FilterType !== 'Correlation') {
              throw new ContainerConfigError(SERVICE, `rule "${ruleName}" needs FilterType "Sql" or "Correlation".`);
            }
            return { Name: ruleName, Properties: props };
          },
        ),
      })),
    };
  });
  if (queues.length + topics.length > MAX_ENTITIES) {
    throw new ContainerConfigError(SERVICE, `${queues.length + topics.length} queues and topics; the emulator allows ${MAX_ENTITIES} per namespace.`);
  }
  return {
    UserConfig: {
      Namespaces: [{ Name: SERVICEBUS_NAMESPACE, Queues: queues, Topics: topics }],
      Logging: { Type: 'Console' },
    },
  };
}

/** Normalizes a list of names/objects or a record into `[name, config]` pairs, checking names and duplicates. */
function entries(list: unknown, where: string): Array<[string, Record<string, unknown>]> {
  if (list === undefined) return [];
  const pairs: Array<[string, unknown]> = Array.isArray(list)
    ? list.map((item) => (typeof item === 'string' ? [item, {}] : [(item as { name?: unknown })?.name as string, item]))
    : Object.entries(expectRecord(SERVICE, list, where));
  const seen = new Set<string>();
  return pairs.map(([name, config]) => {
    checkName(name, where);
    if (seen.has(name)) throw new ContainerConfigError(SERVICE, `${where} name "${name}" appears twice.`);
    seen.add(name);
    return [name, expectRecord(SERVICE, config, `${where} "${name}"`)];
  });
}

function properties(config: Record<string, unknown>, defaults: Record<string, unknown>, where: string): Record<string, unknown> {
  const own = config.properties === undefined ? {} : expectRecord(SERVICE, config.properties, `${where} properties`);
  return { ...defaults, ...own };
}

function checkName(name: unknown, where: string): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ContainerConfigError(
      SERVICE,
      `${where}: ${JSON.stringify(name)} is not a valid entity name (letters, digits, '-', '_', '.', '/'; starting and ending with a letter or digit).`,
    );
  }
}
