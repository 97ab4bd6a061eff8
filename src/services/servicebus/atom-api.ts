import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.js';
import { AmqpWireError } from '../amqp-common/errors.js';
import { verifySasToken } from '../amqp-common/sas-token.js';
import {
  applyDescription,
  entry,
  errorDocument,
  feed,
  namespaceInfo,
  parseDescription,
  queueDescription,
  subscriptionDescription,
  topicDescription,
  type Counts,
  type EntityTimes,
} from './atom-xml.js';
import { parseDefaultRule, parseRuleDescription, ruleDescription } from './atom-rule-xml.js';
import { DEFAULT_PROPERTIES, DEFAULT_RULE, type EntityProperties, type RuleDefinition } from './model.js';
import { deadLetterOf, type Queue, type ServiceBusNamespace, type Subscription, type Topic } from './namespace-store.js';
import type { MessageEntity } from './message-entity.js';
import { compileRule, type CompiledRule } from './rules.js';

/** What the administration API needs from the service. */
export interface AtomApiOptions {
  clock: Clock;
  namespace(name: string): ServiceBusNamespace;
  resolveKey(keyName: string): { namespace: string; key: string } | undefined;
  /** `host:port` the API answers for. */
  authority(): string;
  /** Records an operation in the journal. */
  record(namespace: string, operation: string, path: string, status: number, errorCode?: string): void;
}

class AtomError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 1024 * 1024;

/**
 * Service Bus's administration API (the Atom feed over HTTPS that
 * `ServiceBusAdministrationClient` speaks): queues, topics, subscriptions
 * and their rules: create, get, update, delete, list, runtime properties,
 * and the namespace's properties. Rules are the subscription's own, the ones
 * routing and the rule manager use. Requests are signed with the namespace's SAS key.
 */
export function atomApi(options: AtomApiOptions): RequestListener {
  const times = new WeakMap<object, EntityTimes>();
  const timesOf = (entity: object): EntityTimes => {
    let t = times.get(entity);
    if (!t) times.set(entity, (t = { createdAt: options.clock.now(), updatedAt: options.clock.now() }));
    return t;
  };
  const started = options.clock.now();

  return (request, response) => {
    void serve(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, errorDocument(500, 'LocalZure could not serve this request.'));
    });
  };

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', `https://${options.authority()}`);
    const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
    let namespace = '';
    let operation = `${request.method} ${path}`;
    try {
      namespace = authorize(request.headers.authorization);
      const ns = options.namespace(namespace);
      const result = route(ns, request.method ?? 'GET', path, url, body, request.headers['if-match'] !== undefined);
      operation = result.operation;
      options.record(namespace, result.operation, `/${path}`, result.status);
      send(response, result.status, result.body);
    } catch (error) {
      const e = error instanceof AtomError ? error : new AtomError(500, 'InternalError', String(error));
      if (namespace) options.record(namespace, operation, `/${path}`, e.status, e.code);
      send(response, e.status, errorDocument(e.status, e.message));
    }
  }

  function authorize(header: string | undefined): string {
    let namespace: string | undefined;
    try {
      verifySasToken(header, (keyName) => {
        const rule = options.resolveKey(keyName);
        namespace = rule?.namespace;
        return rule?.key;
      }, options.clock.now());
    } catch (error) {
      throw new AtomError(401, 'UnauthorizedRequestError', (error as AmqpWireError).description ?? 'Unauthorized.');
    }
    return namespace!;
  }

  function route(ns: ServiceBusNamespace, method: string, path: string, url: URL, body: string, ifMatch: boolean): { operation: string; status: number; body: string } {
    const now = options.clock.now();
    const base = `https://${options.authority()}/`;
    // One page of a list; a `next` link carries the SDK to the rest, as Azure's feeds do.
    const listFeed = <T>(title: string, items: T[], toEntry: (item: T) => string) => {
      const skip = Number(url.searchParams.get('$skip') ?? 0) || 0;
      const top = Number(url.searchParams.get('$top') ?? 100) || 100;
      let next: string | undefined;
      if (skip + top < items.length) {
        const nextUrl = new URL(`${base}${path}${url.search}`);
        nextUrl.searchParams.set('$skip', String(skip + top));
        nextUrl.searchParams.set('$top', String(top));
        next = nextUrl.href;
      }
      return feed(`${base}${path}`, title, items.slice(skip, skip + top).map(toEntry), now, next);
    };
    if (path.toLowerCase() === '$namespaceinfo' && method === 'GET') {
      return { operation: 'GetNamespaceInfo', status: 200, body: entry(`${base}$namespaceinfo`, ns.name, namespaceInfo(ns.name, started), now) };
    }
    const resources = /^\$resources\/(queues|topics)$/i.exec(path);
    if (resources && method === 'GET') {
      const queues = resources[1]!.toLowerCase() === 'queues';
      const body = queues
        ? listFeed('Queues', [...ns.queues.values()], (q) => queueEntry(q, base))
        : listFeed('Topics', [...ns.topics.values()], (t) => topicEntry(t, base));
      return { operation: queues ? 'ListQueues' : 'ListTopics', status: 200, body };
    }
    const rules = /^(.+)\/subscriptions\/([^/]+)\/rules(?:\/([^/]+))?$/i.exec(path);
    if (rules) {
      const subscription = requireSubscription(requireTopic(ns, rules[1]!), rules[2]!);
      if (rules[3] !== undefined) return ruleRoute(method, subscription, rules[3], body, ifMatch, base);
      if (method !== 'GET') throw new AtomError(405, 'MethodNotAllowed', `${method} is not served on '${path}'.`);
      return { operation: 'ListRules', status: 200, body: listFeed('Rules', subscription.rules, (r) => ruleEntry(subscription, r, base)) };
    }
    const subscriptions = /^(.+)\/subscriptions$/i.exec(path);
    if (subscriptions && method === 'GET') {
      const topic = requireTopic(ns, subscriptions[1]!);
      return {
        operation: 'ListSubscriptions',
        status: 200,
        body: listFeed('Subscriptions', [...topic.subscriptions.values()], (s) => subscriptionEntry(s, base)),
      };
    }
    const subscription = /^(.+)\/subscriptions\/([^/]+)$/i.exec(path);
    if (subscription) return subscriptionRoute(ns, method, requireTopic(ns, subscription[1]!), subscription[2]!, body, ifMatch, base);
    return entityRoute(ns, method, path, body, ifMatch, base);
  }

  function entityRoute(ns: ServiceBusNamespace, method: string, name: string, body: string, ifMatch: boolean, base: string) {
    const queue = ns.queues.get(name.toLowerCase());
    const topic = ns.topics.get(name.toLowerCase());
    switch (method) {
      case 'GET':
        if (queue) return { operation: 'GetQueue', status: 200, body: queueEntry(queue, base) };
        if (topic) return { operation: 'GetTopic', status: 200, body: topicEntry(topic, base) };
        throw notFound(name);
      case 'DELETE':
        if (queue) ns.queues.delete(name.toLowerCase());
        else if (topic) ns.topics.delete(name.toLowerCase());
        else throw notFound(name);
        return { operation: queue ? 'DeleteQueue' : 'DeleteTopic', status: 200, body: '' };
      case 'PUT': {
        const description = parseDescription(body);
        if (!description || (description.kind !== 'QueueDescription' && description.kind !== 'TopicDescription')) {
          throw new AtomError(400, 'BadRequest', 'The request body must be an Atom entry holding a QueueDescription or TopicDescription.');
        }
        const isQueue = description.kind === 'QueueDescription';
        const existing = isQueue ? queue : topic;
        if (!ifMatch && (queue || topic)) throw new AtomError(409, 'MessagingEntityAlreadyExists', `The messaging entity '${name}' already exists.`);
        if (ifMatch && !existing) throw notFound(name);
        const properties = described(existing ? propertiesOf(existing) : DEFAULT_PROPERTIES, description.fields);
        if (isQueue) {
          const q = queue ?? ns.addQueue(name, properties);
          setProperties(q.entity, properties);
          touch(q, !!existing);
          return { operation: existing ? 'UpdateQueue' : 'CreateQueue', status: existing ? 200 : 201, body: queueEntry(q, base) };
        }
        const t = topic ?? ns.addTopic(name, properties);
        t.properties = properties;
        touch(t, !!existing);
        return { operation: existing ? 'UpdateTopic' : 'CreateTopic', status: existing ? 200 : 201, body: topicEntry(t, base) };
      }
      default:
        throw new AtomError(405, 'MethodNotAllowed', `${method} is not served on '${name}'.`);
    }
  }

  function subscriptionRoute(ns: ServiceBusNamespace, method: string, topic: Topic, name: string, body: string, ifMatch: boolean, base: string) {
    const existing = topic.subscriptions.get(name.toLowerCase());
    const path = `${topic.name}/Subscriptions/${name}`;
    switch (method) {
      case 'GET':
        if (!existing) throw notFound(path);
        return { operation: 'GetSubscription', status: 200, body: subscriptionEntry(existing, base) };
      case 'DELETE':
        if (!existing) throw notFound(path);
        topic.subscriptions.delete(name.toLowerCase());
        return { operation: 'DeleteSubscription', status: 200, body: '' };
      case 'PUT': {
        const description = parseDescription(body);
        if (description?.kind !== 'SubscriptionDescription') throw new AtomError(400, 'BadRequest', 'The request body must be an Atom entry holding a SubscriptionDescription.');
        if (!ifMatch && existing) throw new AtomError(409, 'MessagingEntityAlreadyExists', `The messaging entity '${path}' already exists.`);
        if (ifMatch && !existing) throw notFound(path);
        const properties = described(existing ? existing.entity.properties : DEFAULT_PROPERTIES, description.fields);
        // Azure reads a DefaultRuleDescription only when it creates the subscription.
        const sub = existing ?? ns.addSubscription(topic, name, properties, [defaultRule(body)]);
        setProperties(sub.entity, properties);
        touch(sub, !!existing);
        return { operation: existing ? 'UpdateSubscription' : 'CreateSubscription', status: existing ? 200 : 201, body: subscriptionEntry(sub, base) };
      }
      default:
        throw new AtomError(405, 'MethodNotAllowed', `${method} is not served on '${path}'.`);
    }
  }

  function ruleRoute(method: string, sub: Subscription, name: string, body: string, ifMatch: boolean, base: string) {
    const index = sub.rules.findIndex((r) => r.definition.name.toLowerCase() === name.toLowerCase());
    const existing = index < 0 ? undefined : sub.rules[index]!;
    const path = `${sub.topic.name}/Subscriptions/${sub.name}/Rules/${name}`;
    switch (method) {
      case 'GET':
        if (!existing) throw notFound(path);
        return { operation: 'GetRule', status: 200, body: ruleEntry(sub, existing, base) };
      case 'DELETE':
        if (!existing) throw notFound(path);
        sub.rules.splice(index, 1);
        return { operation: 'DeleteRule', status: 200, body: '' };
      case 'PUT': {
        const parsed = parseRuleDescription(body);
        if (!parsed) throw new AtomError(400, 'BadRequest', 'The request body must be an Atom entry holding a RuleDescription.');
        if ('invalid' in parsed) throw new AtomError(400, 'BadRequest', `The value of ${parsed.invalid} is not valid.`);
        if (!ifMatch && existing) throw new AtomError(409, 'MessagingEntityAlreadyExists', `The messaging entity '${path}' already exists.`);
        if (ifMatch && !existing) throw notFound(path);
        const rule = compiled({ ...parsed, name: existing?.definition.name ?? name });
        if (existing) {
          sub.rules[index] = rule;
          times.set(rule, { createdAt: timesOf(existing).createdAt, updatedAt: options.clock.now() });
        } else {
          sub.rules.push(rule);
        }
        return { operation: existing ? 'UpdateRule' : 'CreateRule', status: existing ? 200 : 201, body: ruleEntry(sub, rule, base) };
      }
      default:
        throw new AtomError(405, 'MethodNotAllowed', `${method} is not served on '${path}'.`);
    }
  }

  // The rule a new subscription starts with: its DefaultRuleDescription, else $Default (match all).
  function defaultRule(body: string): RuleDefinition {
    const parsed = parseDefaultRule(body);
    if (parsed === undefined) return DEFAULT_RULE;
    if ('invalid' in parsed) throw new AtomError(400, 'BadRequest', `The value of DefaultRuleDescription.${parsed.invalid} is not valid.`);
    return compiled({ ...parsed, name: parsed.name ?? DEFAULT_RULE.name }).definition;
  }

  function ruleEntry(sub: Subscription, rule: CompiledRule, base: string): string {
    const t = timesOf(rule);
    const name = rule.definition.name;
    return entry(`${base}${sub.topic.name}/Subscriptions/${sub.name}/Rules/${name}`, name, ruleDescription(rule.definition, t.createdAt), t.updatedAt);
  }

  function described(base: EntityProperties, fields: Record<string, unknown>): EntityProperties {
    const authority = options.authority();
    const result = applyDescription(base, fields, (url) => url.replace(/^[a-z]+:\/\/[^/]+\//i, '').replace(new RegExp(`^${authority}/`), ''));
    if ('invalid' in result) throw new AtomError(400, 'BadRequest', `The value of ${result.invalid} is not valid.`);
    return result;
  }

  function touch(entity: object, updated: boolean): void {
    const t = timesOf(entity);
    if (updated) t.updatedAt = options.clock.now();
  }

  function counts(entity: MessageEntity): Counts {
    const c = entity.counts(options.clock.now());
    return { active: c.active + c.deferred, deadLetter: deadLetterOf(entity).messageCount, scheduled: c.scheduled, sizeInBytes: entity.sizeBytes };
  }

  function queueEntry(queue: Queue, base: string): string {
    const t = timesOf(queue);
    return entry(`${base}${queue.name}`, queue.name, queueDescription(queue.entity.properties, counts(queue.entity), t, `sb://${options.authority()}/`), t.updatedAt);
  }

  function topicEntry(topic: Topic, base: string): string {
    const t = timesOf(topic);
    const subs = [...topic.subscriptions.values()];
    const total = subs.reduce((sum, s) => sum + s.entity.sizeBytes, 0);
    return entry(`${base}${topic.name}`, topic.name, topicDescription(topic.properties, { active: 0, deadLetter: 0, scheduled: 0, sizeInBytes: total }, subs.length, t), t.updatedAt);
  }

  function subscriptionEntry(sub: Subscription, base: string): string {
    const t = timesOf(sub);
    return entry(`${base}${sub.topic.name}/Subscriptions/${sub.name}`, sub.name, subscriptionDescription(sub.entity.properties, counts(sub.entity), t, `sb://${options.authority()}/`), t.updatedAt);
  }
}

function propertiesOf(entity: Queue | Topic): EntityProperties {
  return entity.kind === 'queue' ? entity.entity.properties : entity.properties;
}

function setProperties(entity: MessageEntity, properties: EntityProperties): void {
  entity.properties = properties;
  deadLetterOf(entity).properties = properties;
}

// A filter or action Azure would refuse is a 400 naming what is wrong with it.
function compiled(definition: RuleDefinition): CompiledRule {
  try {
    return compileRule(definition);
  } catch (error) {
    throw new AtomError(400, 'BadRequest', error instanceof AmqpWireError ? error.description : String(error));
  }
}

function requireSubscription(topic: Topic, name: string): Subscription {
  const subscription = topic.subscriptions.get(name.toLowerCase());
  if (!subscription) throw notFound(`${topic.name}/Subscriptions/${name}`);
  return subscription;
}

function requireTopic(ns: ServiceBusNamespace, name: string): Topic {
  const topic = ns.topics.get(name.toLowerCase());
  if (!topic) throw notFound(name);
  return topic;
}

function notFound(path: string): AtomError {
  return new AtomError(404, 'MessagingEntityNotFound', `The messaging entity '${path}' could not be found.`);
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': body.startsWith('<?xml') ? 'application/atom+xml;type=entry;charset=utf-8' : 'text/plain', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new AtomError(413, 'RequestEntityTooLarge', 'The request body is larger than 1 MiB.'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
