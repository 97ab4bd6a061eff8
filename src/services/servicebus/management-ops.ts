import rhea from 'rhea';
import type { ManagementRequest, ManagementResult } from '../amqp-common/management.js';
import { sbErrors } from './errors.js';
import { encodeForClient, messagesOfTransfer, uuidBytes, uuidText } from './message.js';
import type { MessageEntity } from './message-entity.js';
import type { CorrelationProperties, RuleDefinition, RuleFilter } from './model.js';
import type { Resolved, ServiceBusNamespace } from './namespace-store.js';
import { compileRule, sqlRuleFilter } from './rules.js';

/** What the `$management` operations need from the service. */
export interface ManagementEnvironment {
  namespace: ServiceBusNamespace;
  now(): number;
  endpoint: string;
}

type Body = Record<string, unknown>;
type Operation = (request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body) => ManagementResult;

const DESCRIPTOR = {
  ruleDescription: 1335734829060,
  sqlFilter: 83483426822,
  trueFilter: 83483426823,
  falseFilter: 83483426824,
  correlationFilter: 83483426825,
  emptyAction: 1335734829061,
  sqlAction: 1335734829062,
};

/** Who holds a lock taken over `$management` (receive-by-sequence-number): the connection's management link. */
const managementOwners = new WeakMap<object, object>();

/** Azure's `$management` operations on queues, subscriptions and their dead-letter sub-queues, by operation name. */
export const OPERATIONS: Record<string, { journal: string; run: Operation }> = {
  'com.microsoft:peek-message': { journal: 'Peek', run: peek },
  'com.microsoft:renew-lock': { journal: 'RenewLock', run: renewLock },
  'com.microsoft:schedule-message': { journal: 'Schedule', run: schedule },
  'com.microsoft:cancel-scheduled-message': { journal: 'CancelScheduled', run: cancelScheduled },
  'com.microsoft:receive-by-sequence-number': { journal: 'ReceiveDeferred', run: receiveBySequenceNumber },
  'com.microsoft:update-disposition': { journal: 'UpdateDisposition', run: updateDisposition },
  'com.microsoft:renew-session-lock': { journal: 'RenewSessionLock', run: renewSessionLock },
  'com.microsoft:get-session-state': { journal: 'GetSessionState', run: getSessionState },
  'com.microsoft:set-session-state': { journal: 'SetSessionState', run: setSessionState },
  'com.microsoft:enumerate-sessions': { journal: 'ListSessions', run: enumerateSessions },
  'com.microsoft:enumerate-rules': { journal: 'GetRules', run: enumerateRules },
  'com.microsoft:add-rule': { journal: 'AddRule', run: addRule },
  'com.microsoft:remove-rule': { journal: 'RemoveRule', run: removeRule },
};

function entityOf(target: Resolved, operation: string): MessageEntity {
  if (target.kind === 'topic') throw sbErrors.badRequest(`The operation ${operation} needs a queue or subscription, not topic '${target.topic.name}'.`);
  return target.entity;
}

function peek(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const entity = entityOf(target, request.operation);
  const from = toNumber(body['from-sequence-number']) ?? 1;
  const count = toNumber(body['message-count']) ?? 1;
  const sessionId = optionalString(body['session-id']);
  const messages = entity.peek(from, count, env.now(), sessionId);
  if (messages.length === 0) return { statusCode: 204, body: {} };
  return { body: { messages: messages.map((m) => ({ message: encodeForClient({ ...m, lock: undefined }) })) } };
}

function renewLock(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const entity = entityOf(target, request.operation);
  const expirations = lockTokens(body).map((token) => new Date(entity.renewLock(token, env.now())));
  return { body: { expirations } };
}

function schedule(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const entries = Array.isArray(body.messages) ? (body.messages as Body[]) : [];
  const incoming = entries.map((entry) => messagesOfTransfer(0, rhea.message.decode(entry.message as Buffer) as unknown as rhea.Message)[0]!);
  const numbers = env.namespace.send(target, incoming, env.now(), env.endpoint);
  return { body: { 'sequence-numbers': numbers.map((n) => rhea.types.wrap_long(n)) } };
}

function cancelScheduled(_request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  env.namespace.cancelScheduled(target, sequenceNumbers(body));
  return {};
}

function receiveBySequenceNumber(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const entity = entityOf(target, request.operation);
  const receiveAndDelete = toNumber(body['receiver-settle-mode']) === 0;
  const owner = ownerOf(request);
  const messages = entity.receiveDeferred(sequenceNumbers(body), env.now(), owner, receiveAndDelete, optionalString(body['session-id']));
  return {
    body: {
      messages: messages.map((m) => ({
        'lock-token': rhea.types.wrap_uuid(uuidBytes(m.lock?.token ?? '00000000-0000-0000-0000-000000000000') as never),
        message: encodeForClient(m),
      })),
    },
  };
}

function updateDisposition(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const entity = entityOf(target, request.operation);
  const now = env.now();
  const status = String(body['disposition-status'] ?? '');
  const properties = (body['properties-to-modify'] ?? undefined) as Record<string, unknown> | undefined;
  for (const token of lockTokens(body)) {
    switch (status) {
      case 'completed':
        entity.complete(token, now);
        break;
      case 'abandoned':
        entity.abandon(token, now, properties);
        break;
      case 'defered':
        entity.defer(token, now, properties);
        break;
      case 'suspended':
        entity.deadLetter(token, now, {
          reason: optionalString(body['deadletter-reason']),
          description: optionalString(body['deadletter-description']),
          properties,
        });
        break;
      default:
        throw sbErrors.badRequest(`disposition-status '${status}' is not one of completed, abandoned, defered, suspended.`);
    }
  }
  return {};
}

function renewSessionLock(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const until = entityOf(target, request.operation).renewSessionLock(requiredString(body['session-id'], 'session-id'), env.now());
  return { body: { expiration: new Date(until) } };
}

function getSessionState(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const session = entityOf(target, request.operation).heldSession(requiredString(body['session-id'], 'session-id'), env.now());
  return { body: { 'session-state': session.state ?? null } };
}

function setSessionState(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const session = entityOf(target, request.operation).heldSession(requiredString(body['session-id'], 'session-id'), env.now());
  const state = body['session-state'];
  session.state = state === undefined || state === null ? undefined : Buffer.isBuffer(state) ? state : Buffer.from(String(state));
  return {};
}

function enumerateSessions(request: ManagementRequest, target: Resolved, env: ManagementEnvironment, body: Body): ManagementResult {
  const entity = entityOf(target, request.operation);
  entity.refresh(env.now());
  const skip = toNumber(body.skip) ?? 0;
  const top = toNumber(body.top) ?? 100;
  const ids = [...entity.sessions.values()]
    .filter((s) => s.state !== undefined || [...entity.messages()].some((m) => m.sessionId === s.id))
    .map((s) => s.id)
    .slice(skip, skip + top);
  if (ids.length === 0) return { statusCode: 204, body: {} };
  return { body: { skip: rhea.types.wrap_int(skip + ids.length), 'sessions-ids': ids } };
}

function subscriptionOf(target: Resolved) {
  if (target.kind !== 'subscription' || target.deadLetter) throw sbErrors.badRequest('Rules belong to subscriptions: open the rule manager on a topic subscription.');
  return target.subscription;
}

function enumerateRules(_request: ManagementRequest, target: Resolved, _env: ManagementEnvironment, body: Body): ManagementResult {
  const rules = subscriptionOf(target).rules.map((r) => r.definition);
  const skip = toNumber(body.skip) ?? 0;
  const top = toNumber(body.top) ?? rules.length;
  const page = rules.slice(skip, skip + top);
  if (page.length === 0) return { statusCode: 204, body: {} };
  return { body: { rules: page.map((rule) => ({ 'rule-description': describeRule(rule) })) } };
}

function addRule(_request: ManagementRequest, target: Resolved, _env: ManagementEnvironment, body: Body): ManagementResult {
  const subscription = subscriptionOf(target);
  const name = requiredString(body['rule-name'], 'rule-name');
  if (subscription.rules.some((r) => r.definition.name.toLowerCase() === name.toLowerCase())) throw sbErrors.ruleExists(name);
  const description = (body['rule-description'] ?? {}) as Body;
  const definition: RuleDefinition = { name, filter: filterOf(description), ...actionOf(description) };
  subscription.rules.push(compileRule(definition));
  return {};
}

function removeRule(_request: ManagementRequest, target: Resolved, _env: ManagementEnvironment, body: Body): ManagementResult {
  const subscription = subscriptionOf(target);
  const name = requiredString(body['rule-name'], 'rule-name');
  const index = subscription.rules.findIndex((r) => r.definition.name.toLowerCase() === name.toLowerCase());
  if (index < 0) throw sbErrors.ruleNotFound(name);
  subscription.rules.splice(index, 1);
  return {};
}

function filterOf(description: Body): RuleFilter {
  const sql = description['sql-filter'] as Body | undefined;
  if (sql) {
    return sqlRuleFilter(requiredString(sql.expression, 'sql-filter expression'));
  }
  const correlation = description['correlation-filter'] as Body | undefined;
  if (correlation) {
    const pick = (key: string) => optionalString(correlation[key]);
    const properties: CorrelationProperties = {
      correlationId: pick('correlation-id'),
      messageId: pick('message-id'),
      to: pick('to'),
      replyTo: pick('reply-to'),
      subject: pick('label'),
      sessionId: pick('session-id'),
      replyToSessionId: pick('reply-to-session-id'),
      contentType: pick('content-type'),
      ...(correlation.properties ? { applicationProperties: correlation.properties as Record<string, unknown> } : {}),
    };
    return { kind: 'correlation', properties };
  }
  throw sbErrors.badRequest('A rule needs a sql-filter or a correlation-filter.');
}

function actionOf(description: Body): { action?: string } {
  const action = description['sql-rule-action'] as Body | undefined;
  const expression = optionalString(action?.expression);
  return expression === undefined || expression.trim() === '' ? {} : { action: expression };
}

function describeRule(rule: RuleDefinition): unknown {
  const t = rhea.types;
  const described = (code: number, fields: unknown[]) => t.described(t.wrap_ulong(code) as never, t.wrap_list(fields as never) as never);
  const str = (v: string | undefined) => (v === undefined ? (t as unknown as { Null(): unknown }).Null() : t.wrap_string(v));
  let filter: unknown;
  switch (rule.filter.kind) {
    case 'true':
      filter = described(DESCRIPTOR.trueFilter, [t.wrap_string('1=1'), t.wrap_int(20)]);
      break;
    case 'false':
      filter = described(DESCRIPTOR.falseFilter, [t.wrap_string('1=0'), t.wrap_int(20)]);
      break;
    case 'sql':
      filter = described(DESCRIPTOR.sqlFilter, [t.wrap_string(rule.filter.expression), t.wrap_int(20)]);
      break;
    case 'correlation': {
      const p = rule.filter.properties;
      filter = described(DESCRIPTOR.correlationFilter, [
        str(p.correlationId),
        str(p.messageId),
        str(p.to),
        str(p.replyTo),
        str(p.subject),
        str(p.sessionId),
        str(p.replyToSessionId),
        str(p.contentType),
        t.wrap_map((p.applicationProperties ?? {}) as never),
      ]);
      break;
    }
  }
  const action = rule.action === undefined
    ? described(DESCRIPTOR.emptyAction, [])
    : described(DESCRIPTOR.sqlAction, [t.wrap_string(rule.action), t.wrap_int(20)]);
  return described(DESCRIPTOR.ruleDescription, [filter, action, t.wrap_string(rule.name)]);
}

function ownerOf(request: ManagementRequest): object {
  let owner = managementOwners.get(request.connection);
  if (!owner) managementOwners.set(request.connection, (owner = {}));
  return owner;
}

function lockTokens(body: Body): string[] {
  const tokens = body['lock-tokens'];
  if (!Array.isArray(tokens) || tokens.length === 0) throw sbErrors.badRequest('The request has no lock-tokens.');
  return tokens.map((t) => (Buffer.isBuffer(t) ? uuidText(t) : String(t)));
}

function sequenceNumbers(body: Body): number[] {
  const numbers = body['sequence-numbers'];
  if (!Array.isArray(numbers)) throw sbErrors.badRequest('The request has no sequence-numbers.');
  return numbers.map((n) => toNumber(n) ?? NaN);
}

/** A number from what rhea decodes: a number, or 8 big-endian bytes of a long. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value) && value.length === 8) return Number(value.readBigInt64BE());
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function requiredString(value: unknown, name: string): string {
  if (value === undefined || value === null || value === '') throw sbErrors.badRequest(`The request has no ${name}.`);
  return String(value);
}
