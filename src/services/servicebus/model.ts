/** How an entity is allowed to be used, as Azure's `EntityStatus`. */
export type EntityStatus = 'Active' | 'Disabled' | 'SendDisabled' | 'ReceiveDisabled';

/** The behaviour of a queue or subscription (topics use the send-side fields). */
export interface EntityProperties {
  lockDurationMs: number;
  maxDeliveryCount: number;
  defaultMessageTimeToLiveMs: number;
  deadLetteringOnMessageExpiration: boolean;
  requiresSession: boolean;
  requiresDuplicateDetection: boolean;
  duplicateDetectionHistoryTimeWindowMs: number;
  /** Entity path messages are moved to on arrival; undefined keeps them. */
  forwardTo?: string;
  /** Entity path dead-lettered messages are moved to. */
  forwardDeadLetteredMessagesTo?: string;
  status: EntityStatus;
  /** Bytes of messages the entity may hold before sends get QuotaExceeded. */
  maxSizeBytes: number;
  /** Largest single message, advertised on links. */
  maxMessageSizeBytes: number;
}

/** Azure's defaults for what an entity leaves unset. */
export const DEFAULT_PROPERTIES: EntityProperties = {
  lockDurationMs: 60_000,
  maxDeliveryCount: 10,
  defaultMessageTimeToLiveMs: 14 * 24 * 3600_000,
  deadLetteringOnMessageExpiration: false,
  requiresSession: false,
  requiresDuplicateDetection: false,
  duplicateDetectionHistoryTimeWindowMs: 10 * 60_000,
  status: 'Active',
  maxSizeBytes: 1024 * 1024 * 1024,
  maxMessageSizeBytes: 256 * 1024,
};

export interface QueueDefinition {
  name: string;
  properties: EntityProperties;
}

/** Values for the `@name` placeholders of a SQL filter or action, keyed by name with its `@`. */
export type SqlParameters = Record<string, string | number | boolean | Date>;

export interface RuleDefinition {
  name: string;
  filter: RuleFilter;
  /** A SQL action (`SET x = 1; REMOVE y`), applied to the copy a subscription receives. */
  action?: string;
  actionParameters?: SqlParameters;
}

export type RuleFilter =
  | { kind: 'sql'; expression: string; parameters?: SqlParameters }
  | { kind: 'correlation'; properties: CorrelationProperties }
  | { kind: 'true' }
  | { kind: 'false' };

export interface CorrelationProperties {
  correlationId?: string;
  messageId?: string;
  to?: string;
  replyTo?: string;
  subject?: string;
  sessionId?: string;
  replyToSessionId?: string;
  contentType?: string;
  applicationProperties?: Record<string, unknown>;
}

export interface SubscriptionDefinition {
  name: string;
  properties: EntityProperties;
  rules: RuleDefinition[];
}

export interface TopicDefinition {
  name: string;
  properties: EntityProperties;
  subscriptions: SubscriptionDefinition[];
}

export interface NamespaceDefinition {
  queues: QueueDefinition[];
  topics: TopicDefinition[];
}

/** The rule every subscription gets when it names none: everything matches. */
export const DEFAULT_RULE: RuleDefinition = { name: '$Default', filter: { kind: 'true' } };
