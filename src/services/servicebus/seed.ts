import { LocalZureError } from '../../core/errors.js';
import type { SeedSource } from '../../core/service.js';
// The seed's file and inline forms are read as for the container backend, so one seed serves both.
import { readSeedConfig } from '../../containers/seed-config.js';
import { parseDuration } from './duration.js';
import {
  DEFAULT_PROPERTIES,
  DEFAULT_RULE,
  type CorrelationProperties,
  type EntityProperties,
  type EntityStatus,
  type NamespaceDefinition,
  type RuleDefinition,
  type RuleFilter,
} from './model.js';

/** Service Bus seed data that cannot be loaded; the message names the entity and the field. */
export class ServiceBusSeedError extends LocalZureError {
  constructor(message: string) {
    super('LZ_INVALID_SEED', `Invalid Service Bus seed: ${message}`);
  }
}

/**
 * What a seeded entity leaves unset gets the Service Bus emulator's
 * documented default, so a seed behaves the same on the container backend.
 */
const SEED_DEFAULTS: EntityProperties = {
  ...DEFAULT_PROPERTIES,
  lockDurationMs: 60_000,
  maxDeliveryCount: 3,
  defaultMessageTimeToLiveMs: 3600_000,
  duplicateDetectionHistoryTimeWindowMs: 20_000,
};

const NAME = /^[A-Za-z0-9]$|^[A-Za-z0-9][\w\-./~]*[A-Za-z0-9_]$/;

type Props = Record<string, unknown>;

/**
 * The entities of `seed.data.servicebus` or `<seed>/servicebus/config.json`:
 * LocalZure's short form (`{ queues: [...], topics: {...} }`, see
 * ServiceBusEntities) or Microsoft's emulator `Config.json` as is
 * (`{ UserConfig: { Namespaces: [...] } }`). Every namespace gets them all.
 */
export function loadServiceBusSeed(seed: SeedSource | undefined): NamespaceDefinition {
  const raw = readSeedConfig(seed, 'servicebus');
  if (raw === undefined) return { queues: [], topics: [] };
  const root = record(raw, 'the Service Bus seed');
  if ('UserConfig' in root) return fromEmulatorConfig(record(root.UserConfig, 'UserConfig'));
  return fromShortForm(root);
}

function fromEmulatorConfig(config: Props): NamespaceDefinition {
  const definition: NamespaceDefinition = { queues: [], topics: [] };
  for (const ns of list(config.Namespaces, 'UserConfig.Namespaces')) {
    const namespace = record(ns, 'a namespace of UserConfig.Namespaces');
    for (const q of list(namespace.Queues ?? [], 'Queues')) {
      const queue = record(q, 'a queue');
      const name = entityName(queue.Name, 'queue');
      definition.queues.push({ name, properties: properties(queue.Properties, `queue "${name}"`) });
    }
    for (const t of list(namespace.Topics ?? [], 'Topics')) {
      const topic = record(t, 'a topic');
      const name = entityName(topic.Name, 'topic');
      definition.topics.push({
        name,
        properties: properties(topic.Properties, `topic "${name}"`),
        subscriptions: list(topic.Subscriptions ?? [], `topic "${name}" Subscriptions`).map((s) => {
          const sub = record(s, `a subscription of "${name}"`);
          const subName = entityName(sub.Name, `subscription of "${name}"`);
          const where = `subscription "${name}/${subName}"`;
          const rules = list(sub.Rules ?? [], `${where} Rules`).map((r) => {
            const rule = record(r, `a rule of ${where}`);
            return ruleFrom(entityName(rule.Name, `rule of ${where}`), rule.Properties, where);
          });
          return { name: subName, properties: properties(sub.Properties, where), rules: withDefaultRule(rules) };
        }),
      });
    }
  }
  return unique(definition);
}

function fromShortForm(root: Props): NamespaceDefinition {
  for (const key of Object.keys(root)) {
    if (key !== 'queues' && key !== 'topics') throw new ServiceBusSeedError(`unknown key "${key}": the short form has "queues" and "topics" (or pass Microsoft's Config.json with "UserConfig").`);
  }
  const definition: NamespaceDefinition = {
    queues: entries(root.queues, 'queue').map(([name, q]) => ({ name, properties: properties(q.properties, `queue "${name}"`) })),
    topics: entries(root.topics, 'topic').map(([name, t]) => ({
      name,
      properties: properties(t.properties, `topic "${name}"`),
      subscriptions: entries(t.subscriptions, `subscription of "${name}"`).map(([subName, s]) => {
        const where = `subscription "${name}/${subName}"`;
        const rules = Object.entries(s.rules === undefined ? {} : record(s.rules, `${where} rules`)).map(([ruleName, rule]) =>
          ruleFrom(entityName(ruleName, `rule of ${where}`), rule, where),
        );
        return { name: subName, properties: properties(s.properties, where), rules: withDefaultRule(rules) };
      }),
    })),
  };
  return unique(definition);
}

// A subscription that lists rules has exactly those, as in Azure and the emulator.
function withDefaultRule(rules: RuleDefinition[]): RuleDefinition[] {
  return rules.length === 0 ? [DEFAULT_RULE] : rules;
}

function ruleFrom(name: string, raw: unknown, where: string): RuleDefinition {
  const props = record(raw, `rule "${name}" of ${where}`);
  const action = props.Action === undefined ? undefined : sqlExpression(props.Action, `the Action of rule "${name}"`);
  let filter: RuleFilter;
  if (props.FilterType === 'Sql') {
    filter = { kind: 'sql', expression: sqlExpression(props.SqlFilter, `the SqlFilter of rule "${name}"`) };
  } else if (props.FilterType === 'Correlation') {
    filter = { kind: 'correlation', properties: correlation(record(props.CorrelationFilter, `the CorrelationFilter of rule "${name}"`)) };
  } else {
    throw new ServiceBusSeedError(`rule "${name}" of ${where} needs FilterType "Sql" or "Correlation", got ${JSON.stringify(props.FilterType)}.`);
  }
  return { name, filter, ...(action === undefined ? {} : { action }) };
}

function sqlExpression(raw: unknown, where: string): string {
  const value = record(raw, where).SqlExpression;
  if (typeof value !== 'string' || value.trim() === '') throw new ServiceBusSeedError(`${where} needs a non-empty "SqlExpression".`);
  return value;
}

const CORRELATION_FIELDS: Record<string, keyof CorrelationProperties> = {
  CorrelationId: 'correlationId',
  MessageId: 'messageId',
  To: 'to',
  ReplyTo: 'replyTo',
  Label: 'subject',
  Subject: 'subject',
  SessionId: 'sessionId',
  ReplyToSessionId: 'replyToSessionId',
  ContentType: 'contentType',
};

function correlation(raw: Props): CorrelationProperties {
  const result: CorrelationProperties = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'Properties') {
      result.applicationProperties = record(value, 'CorrelationFilter.Properties');
      continue;
    }
    const field = CORRELATION_FIELDS[key];
    if (!field) throw new ServiceBusSeedError(`CorrelationFilter has no field "${key}"; use ${[...Object.keys(CORRELATION_FIELDS), 'Properties'].join(', ')}.`);
    if (field !== 'applicationProperties') (result as Record<string, unknown>)[field] = String(value);
  }
  return result;
}

const STATUSES: EntityStatus[] = ['Active', 'Disabled', 'SendDisabled', 'ReceiveDisabled'];

/** Emulator property names, plus the ones Azure's management API adds. */
function properties(raw: unknown, where: string): EntityProperties {
  const props = raw === undefined ? {} : record(raw, `${where} properties`);
  const result: EntityProperties = { ...SEED_DEFAULTS };
  for (const [key, value] of Object.entries(props)) {
    const fail = (expected: string) => new ServiceBusSeedError(`${where}: ${key} must be ${expected}, got ${JSON.stringify(value)}.`);
    const duration = () => {
      const ms = typeof value === 'string' ? parseDuration(value) : undefined;
      if (ms === undefined) throw fail('an ISO 8601 duration such as "PT1M"');
      return ms;
    };
    const flag = () => {
      if (typeof value !== 'boolean') throw fail('true or false');
      return value;
    };
    const count = () => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw fail('a positive whole number');
      return value;
    };
    const path = () => {
      if (typeof value !== 'string') throw fail('an entity name');
      return value === '' ? undefined : value;
    };
    switch (key) {
      case 'LockDuration': result.lockDurationMs = duration(); break;
      case 'MaxDeliveryCount': result.maxDeliveryCount = count(); break;
      case 'DefaultMessageTimeToLive': result.defaultMessageTimeToLiveMs = duration(); break;
      case 'DeadLetteringOnMessageExpiration': result.deadLetteringOnMessageExpiration = flag(); break;
      case 'RequiresSession': result.requiresSession = flag(); break;
      case 'RequiresDuplicateDetection': result.requiresDuplicateDetection = flag(); break;
      case 'DuplicateDetectionHistoryTimeWindow': result.duplicateDetectionHistoryTimeWindowMs = duration(); break;
      case 'ForwardTo': result.forwardTo = path(); break;
      case 'ForwardDeadLetteredMessagesTo': result.forwardDeadLetteredMessagesTo = path(); break;
      case 'MaxSizeInMegabytes': result.maxSizeBytes = count() * 1024 * 1024; break;
      case 'MaxMessageSizeInKilobytes': result.maxMessageSizeBytes = count() * 1024; break;
      case 'Status':
        if (!STATUSES.includes(value as EntityStatus)) throw fail(STATUSES.map((s) => `"${s}"`).join(', '));
        result.status = value as EntityStatus;
        break;
      default:
        throw new ServiceBusSeedError(
          `${where} has no property "${key}". Known: LockDuration, MaxDeliveryCount, DefaultMessageTimeToLive, DeadLetteringOnMessageExpiration, RequiresSession, RequiresDuplicateDetection, DuplicateDetectionHistoryTimeWindow, ForwardTo, ForwardDeadLetteredMessagesTo, MaxSizeInMegabytes, MaxMessageSizeInKilobytes, Status.`,
        );
    }
  }
  return result;
}

function entries(raw: unknown, what: string): Array<[string, Props]> {
  if (raw === undefined) return [];
  const pairs: Array<[unknown, unknown]> = Array.isArray(raw)
    ? raw.map((item) => (typeof item === 'string' ? [item, {}] : [(item as { name?: unknown } | null)?.name, item]))
    : Object.entries(record(raw, `the ${what}s`));
  return pairs.map(([name, config]) => [entityName(name, what), record(config, `${what} "${String(name)}"`)]);
}

function unique(definition: NamespaceDefinition): NamespaceDefinition {
  const seen = new Set<string>();
  for (const { name } of [...definition.queues, ...definition.topics]) {
    if (seen.has(name.toLowerCase())) throw new ServiceBusSeedError(`the name "${name}" is used twice (queues and topics share one namespace, case-insensitively).`);
    seen.add(name.toLowerCase());
  }
  for (const topic of definition.topics) {
    const subs = new Set<string>();
    for (const sub of topic.subscriptions) {
      if (subs.has(sub.name.toLowerCase())) throw new ServiceBusSeedError(`topic "${topic.name}" lists subscription "${sub.name}" twice.`);
      subs.add(sub.name.toLowerCase());
    }
  }
  return definition;
}

function entityName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !NAME.test(name) || name.length > 260) {
    throw new ServiceBusSeedError(`${JSON.stringify(name)} is not a valid ${what} name (letters, digits, '-', '_', '.', '/'; starting and ending with a letter or digit).`);
  }
  return name;
}

function record(value: unknown, where: string): Props {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceBusSeedError(`${where} must be an object, got ${JSON.stringify(value)}.`);
  }
  return value as Props;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ServiceBusSeedError(`${where} must be an array, got ${JSON.stringify(value)}.`);
  return value;
}
