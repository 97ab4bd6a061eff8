import { XMLParser } from 'fast-xml-parser';
import { formatDuration, parseDuration } from './duration.js';
import type { EntityProperties, EntityStatus } from './model.js';

/**
 * The Atom documents of Service Bus's administration API: entity
 * descriptions out (entries and feeds, as Azure writes them), entity
 * descriptions in (what `ServiceBusAdministrationClient` PUTs).
 */

const ATOM = 'http://www.w3.org/2005/Atom';
export const CONNECT = 'http://schemas.microsoft.com/netservices/2010/10/servicebus/connect';
export const INSTANCE = 'http://www.w3.org/2001/XMLSchema-instance';
const COUNTS = 'http://schemas.microsoft.com/netservices/2011/06/servicebus';

export interface Counts {
  active: number;
  deadLetter: number;
  scheduled: number;
  sizeInBytes: number;
}

export interface EntityTimes {
  createdAt: number;
  updatedAt: number;
}

export const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const element = (name: string, value: string | number | boolean) => `<${name}>${escape(String(value))}</${name}>`;
export const iso = (ms: number) => new Date(ms).toISOString();

function countDetails(counts: Counts): string {
  return (
    `<CountDetails xmlns:d2p1="${COUNTS}">` +
    element('d2p1:ActiveMessageCount', counts.active) +
    element('d2p1:DeadLetterMessageCount', counts.deadLetter) +
    element('d2p1:ScheduledMessageCount', counts.scheduled) +
    element('d2p1:TransferMessageCount', 0) +
    element('d2p1:TransferDeadLetterMessageCount', 0) +
    '</CountDetails>'
  );
}

const timeElements = (t: EntityTimes) => element('CreatedAt', iso(t.createdAt)) + element('UpdatedAt', iso(t.updatedAt)) + element('AccessedAt', iso(t.updatedAt));
const status = (p: EntityProperties) => element('Status', p.status);
const forward = (name: string, endpoint: string, path: string | undefined) => (path ? element(name, `${endpoint}${path}`) : '');

/** A QueueDescription, in Azure's element order. */
export function queueDescription(p: EntityProperties, counts: Counts, times: EntityTimes, endpoint: string): string {
  return (
    `<QueueDescription xmlns="${CONNECT}" xmlns:i="${INSTANCE}">` +
    element('LockDuration', formatDuration(p.lockDurationMs)) +
    element('MaxSizeInMegabytes', Math.floor(p.maxSizeBytes / 1024 / 1024)) +
    element('RequiresDuplicateDetection', p.requiresDuplicateDetection) +
    element('RequiresSession', p.requiresSession) +
    element('DefaultMessageTimeToLive', formatDuration(p.defaultMessageTimeToLiveMs)) +
    element('DeadLetteringOnMessageExpiration', p.deadLetteringOnMessageExpiration) +
    element('DuplicateDetectionHistoryTimeWindow', formatDuration(p.duplicateDetectionHistoryTimeWindowMs)) +
    element('MaxDeliveryCount', p.maxDeliveryCount) +
    element('EnableBatchedOperations', true) +
    element('SizeInBytes', counts.sizeInBytes) +
    element('MessageCount', counts.active + counts.deadLetter + counts.scheduled) +
    element('IsAnonymousAccessible', false) +
    '<AuthorizationRules/>' +
    status(p) +
    forward('ForwardTo', endpoint, p.forwardTo) +
    timeElements(times) +
    element('SupportOrdering', true) +
    countDetails(counts) +
    element('AutoDeleteOnIdle', 'P10675199DT2H48M5.4775807S') +
    element('EnablePartitioning', false) +
    element('EntityAvailabilityStatus', 'Available') +
    element('EnableExpress', false) +
    forward('ForwardDeadLetteredMessagesTo', endpoint, p.forwardDeadLetteredMessagesTo) +
    element('MaxMessageSizeInKilobytes', Math.floor(p.maxMessageSizeBytes / 1024)) +
    '</QueueDescription>'
  );
}

export function topicDescription(p: EntityProperties, counts: Counts, subscriptionCount: number, times: EntityTimes): string {
  return (
    `<TopicDescription xmlns="${CONNECT}" xmlns:i="${INSTANCE}">` +
    element('DefaultMessageTimeToLive', formatDuration(p.defaultMessageTimeToLiveMs)) +
    element('MaxSizeInMegabytes', Math.floor(p.maxSizeBytes / 1024 / 1024)) +
    element('RequiresDuplicateDetection', p.requiresDuplicateDetection) +
    element('DuplicateDetectionHistoryTimeWindow', formatDuration(p.duplicateDetectionHistoryTimeWindowMs)) +
    element('EnableBatchedOperations', true) +
    element('SizeInBytes', counts.sizeInBytes) +
    element('FilteringMessagesBeforePublishing', false) +
    element('IsAnonymousAccessible', false) +
    '<AuthorizationRules/>' +
    status(p) +
    timeElements(times) +
    element('SupportOrdering', true) +
    countDetails(counts) +
    element('AutoDeleteOnIdle', 'P10675199DT2H48M5.4775807S') +
    element('EnablePartitioning', false) +
    element('EntityAvailabilityStatus', 'Available') +
    element('EnableSubscriptionPartitioning', false) +
    element('EnableExpress', false) +
    element('SubscriptionCount', subscriptionCount) +
    element('MaxMessageSizeInKilobytes', Math.floor(p.maxMessageSizeBytes / 1024)) +
    '</TopicDescription>'
  );
}

export function subscriptionDescription(p: EntityProperties, counts: Counts, times: EntityTimes, endpoint: string): string {
  return (
    `<SubscriptionDescription xmlns="${CONNECT}" xmlns:i="${INSTANCE}">` +
    element('LockDuration', formatDuration(p.lockDurationMs)) +
    element('RequiresSession', p.requiresSession) +
    element('DefaultMessageTimeToLive', formatDuration(p.defaultMessageTimeToLiveMs)) +
    element('DeadLetteringOnMessageExpiration', p.deadLetteringOnMessageExpiration) +
    element('DeadLetteringOnFilterEvaluationExceptions', true) +
    element('MessageCount', counts.active + counts.deadLetter + counts.scheduled) +
    element('MaxDeliveryCount', p.maxDeliveryCount) +
    element('EnableBatchedOperations', true) +
    status(p) +
    forward('ForwardTo', endpoint, p.forwardTo) +
    timeElements(times) +
    countDetails(counts) +
    element('AutoDeleteOnIdle', 'P10675199DT2H48M5.4775807S') +
    forward('ForwardDeadLetteredMessagesTo', endpoint, p.forwardDeadLetteredMessagesTo) +
    element('EntityAvailabilityStatus', 'Available') +
    '</SubscriptionDescription>'
  );
}

export function namespaceInfo(name: string, createdAt: number): string {
  return (
    `<NamespaceInfo xmlns="${CONNECT}" xmlns:i="${INSTANCE}">` +
    element('CreatedTime', iso(createdAt)) +
    element('MessagingSKU', 'Standard') +
    element('ModifiedTime', iso(createdAt)) +
    element('Name', name) +
    element('NamespaceType', 'Messaging') +
    '</NamespaceInfo>'
  );
}

/** An Atom entry: `id` is the entity's URL, from which the SDK reads its name. */
export function entry(id: string, title: string, content: string, updated: number): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><entry xmlns="${ATOM}">` +
    element('id', id) +
    `<title type="text">${escape(title)}</title>` +
    element('published', iso(updated)) +
    element('updated', iso(updated)) +
    `<link rel="self" href="${escape(id)}"/>` +
    `<content type="application/xml">${content}</content></entry>`
  );
}

/** An Atom feed of entries (without their XML declarations); `next` links the following page. */
export function feed(id: string, title: string, entries: string[], updated: number, next?: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><feed xmlns="${ATOM}">` +
    `<title type="text">${escape(title)}</title>` +
    element('id', id) +
    element('updated', iso(updated)) +
    `<link rel="self" href="${escape(id)}"/>` +
    (next ? `<link rel="next" href="${escape(next)}"/>` : '') +
    entries.map((e) => e.replace(/^<\?xml[^>]*\?>/, '').replace(` xmlns="${ATOM}"`, '')).join('') +
    '</feed>'
  );
}

/** Azure's error document. */
export function errorDocument(code: number, detail: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><Error>${element('Code', code)}${element('Detail', detail)}</Error>`;
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false });

/** The description element (`QueueDescription`, ...) a PUT carries, and its fields as text. */
export function parseDescription(body: string): { kind: string; fields: Record<string, unknown> } | undefined {
  let document: Record<string, unknown>;
  try {
    document = parser.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const content = (document.entry as { content?: Record<string, unknown> } | undefined)?.content;
  if (!content || typeof content !== 'object') return undefined;
  const kind = Object.keys(content).find((k) => k.endsWith('Description'));
  if (!kind) return undefined;
  const fields = content[kind];
  return { kind, fields: typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>) : {} };
}

const STATUSES: EntityStatus[] = ['Active', 'Disabled', 'SendDisabled', 'ReceiveDisabled'];

/**
 * Applies the fields of a description onto `base`; returns the field that
 * is malformed (for a 400) or the properties. Fields LocalZure does not model
 * (partitioning, express, auto-delete) are accepted and ignored, as they do
 * not change what a client sees.
 */
export function applyDescription(base: EntityProperties, fields: Record<string, unknown>, entityPath: (url: string) => string): EntityProperties | { invalid: string } {
  const result: EntityProperties = { ...base };
  const text = (name: string) => (fields[name] === undefined ? undefined : String(fields[name]));
  const duration = (name: string, set: (ms: number) => void) => {
    const value = text(name);
    if (value === undefined) return true;
    const ms = parseDuration(value);
    if (ms === undefined) return false;
    set(ms);
    return true;
  };
  const flag = (name: string, set: (v: boolean) => void) => {
    const value = text(name);
    if (value === undefined) return true;
    if (value !== 'true' && value !== 'false') return false;
    set(value === 'true');
    return true;
  };
  const integer = (name: string, set: (v: number) => void) => {
    const value = text(name);
    if (value === undefined) return true;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) return false;
    set(n);
    return true;
  };
  const checks: Array<[string, boolean]> = [
    ['LockDuration', duration('LockDuration', (v) => (result.lockDurationMs = v))],
    ['DefaultMessageTimeToLive', duration('DefaultMessageTimeToLive', (v) => (result.defaultMessageTimeToLiveMs = v))],
    ['DuplicateDetectionHistoryTimeWindow', duration('DuplicateDetectionHistoryTimeWindow', (v) => (result.duplicateDetectionHistoryTimeWindowMs = v))],
    ['RequiresSession', flag('RequiresSession', (v) => (result.requiresSession = v))],
    ['RequiresDuplicateDetection', flag('RequiresDuplicateDetection', (v) => (result.requiresDuplicateDetection = v))],
    ['DeadLetteringOnMessageExpiration', flag('DeadLetteringOnMessageExpiration', (v) => (result.deadLetteringOnMessageExpiration = v))],
    ['MaxDeliveryCount', integer('MaxDeliveryCount', (v) => (result.maxDeliveryCount = v))],
    ['MaxSizeInMegabytes', integer('MaxSizeInMegabytes', (v) => (result.maxSizeBytes = v * 1024 * 1024))],
    ['MaxMessageSizeInKilobytes', integer('MaxMessageSizeInKilobytes', (v) => (result.maxMessageSizeBytes = v * 1024))],
  ];
  const bad = checks.find(([, ok]) => !ok);
  if (bad) return { invalid: bad[0] };
  const statusValue = text('Status');
  if (statusValue !== undefined) {
    if (!STATUSES.includes(statusValue as EntityStatus)) return { invalid: 'Status' };
    result.status = statusValue as EntityStatus;
  }
  const forwardTo = text('ForwardTo');
  if (forwardTo !== undefined) result.forwardTo = forwardTo === '' ? undefined : entityPath(forwardTo);
  const forwardDead = text('ForwardDeadLetteredMessagesTo');
  if (forwardDead !== undefined) result.forwardDeadLetteredMessagesTo = forwardDead === '' ? undefined : entityPath(forwardDead);
  return result;
}
