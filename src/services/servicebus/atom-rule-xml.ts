import { XMLParser } from 'fast-xml-parser';
import { CONNECT, INSTANCE, element, escape, iso } from './atom-xml.js';
import type { CorrelationProperties, RuleDefinition, RuleFilter, SqlParameters } from './model.js';
import { sqlRuleFilter } from './rules.js';

/**
 * Rule descriptions of Service Bus's administration API, both ways: out as
 * Azure writes them (a typed `Filter` and `Action`, `CreatedAt`, `Name`),
 * in as `ServiceBusAdministrationClient` PUTs them, also inside a
 * subscription's `DefaultRuleDescription`. Parameters and correlation
 * properties are .NET DataContract key-value pairs, each value typed with
 * an XML Schema type (`d6p1:string`, `d6p1:int`, ...).
 */

const SCHEMA = 'http://www.w3.org/2001/XMLSchema';
/** Azure's SQL compatibility level, echoed on every SQL filter and action. */
const COMPATIBILITY_LEVEL = 20;

/** What a rule description in a request asks for; the name comes from the URL. */
export type ParsedRule = Omit<RuleDefinition, 'name'> & { name?: string };

/** A RuleDescription, in Azure's element order. */
export function ruleDescription(rule: RuleDefinition, createdAt: number): string {
  return (
    `<RuleDescription xmlns="${CONNECT}" xmlns:i="${INSTANCE}">` +
    filterElement(rule.filter) +
    actionElement(rule) +
    element('CreatedAt', iso(createdAt)) +
    element('Name', rule.name) +
    '</RuleDescription>'
  );
}

function filterElement(filter: RuleFilter): string {
  const sql = (type: string, expression: string, parameters?: SqlParameters) =>
    `<Filter i:type="${type}">${element('SqlExpression', expression)}${keyValues('Parameters', parameters)}${element('CompatibilityLevel', COMPATIBILITY_LEVEL)}</Filter>`;
  switch (filter.kind) {
    case 'true':
      return sql('TrueFilter', '1=1');
    case 'false':
      return sql('FalseFilter', '1=0');
    case 'sql':
      return sql('SqlFilter', filter.expression, filter.parameters);
    case 'correlation': {
      const p = filter.properties;
      // Only what is set: the SDK reads an empty element as an empty string, not as "unset".
      const fields = CORRELATION_FIELDS.map(([field, name]) => (p[field] === undefined || p[field] === null ? '' : element(name, String(p[field])))).join('');
      return `<Filter i:type="CorrelationFilter">${fields}${keyValues('Properties', p.applicationProperties)}</Filter>`;
    }
  }
}

function actionElement(rule: RuleDefinition): string {
  if (rule.action === undefined) return '<Action i:type="EmptyRuleAction"/>';
  return `<Action i:type="SqlRuleAction">${element('SqlExpression', rule.action)}${keyValues('Parameters', rule.actionParameters)}${element('CompatibilityLevel', COMPATIBILITY_LEVEL)}</Action>`;
}

const CORRELATION_FIELDS: Array<[keyof Omit<CorrelationProperties, 'applicationProperties'>, string]> = [
  ['correlationId', 'CorrelationId'],
  ['messageId', 'MessageId'],
  ['to', 'To'],
  ['replyTo', 'ReplyTo'],
  ['subject', 'Label'],
  ['sessionId', 'SessionId'],
  ['replyToSessionId', 'ReplyToSessionId'],
  ['contentType', 'ContentType'],
];

// The SDK reads the type after a five-character prefix (`d6p1:`), as the DataContract serializer writes it.
function keyValues(name: string, values: Record<string, unknown> | undefined): string {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return '';
  const pairs = entries.map(([key, value]) => {
    const [type, text] = typed(value);
    return `<KeyValueOfstringanyType>${element('Key', key)}<Value i:type="d6p1:${type}" xmlns:d6p1="${SCHEMA}">${escape(text)}</Value></KeyValueOfstringanyType>`;
  });
  return `<${name}>${pairs.join('')}</${name}>`;
}

function typed(value: unknown): [string, string] {
  if (typeof value === 'boolean') return ['boolean', String(value)];
  if (typeof value === 'number') return [Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 'int' : 'double', String(value)];
  if (value instanceof Date) return ['dateTime', value.toISOString()];
  return ['string', String(value)];
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  // Parameter strings keep their spaces.
  trimValues: false,
  isArray: (name) => name === 'KeyValueOfstringanyType',
});

type Node = Record<string, unknown>;

/**
 * The RuleDescription a PUT carries; `{ invalid }` names what is malformed
 * (for a 400); undefined when the body holds no RuleDescription.
 */
export function parseRuleDescription(body: string): ParsedRule | { invalid: string } | undefined {
  const content = contentOf(body);
  const description = content?.RuleDescription;
  if (!description || typeof description !== 'object') return undefined;
  return parseRule(description as Node);
}

/** The `DefaultRuleDescription` of a SubscriptionDescription a PUT carries, if it has one. */
export function parseDefaultRule(body: string): ParsedRule | { invalid: string } | undefined {
  const description = (contentOf(body)?.SubscriptionDescription as Node | undefined)?.DefaultRuleDescription;
  if (!description || typeof description !== 'object') return undefined;
  return parseRule(description as Node);
}

function contentOf(body: string): Node | undefined {
  try {
    const content = ((parser.parse(body) as Node).entry as Node | undefined)?.content;
    return content && typeof content === 'object' ? (content as Node) : undefined;
  } catch {
    return undefined;
  }
}

function parseRule(description: Node): ParsedRule | { invalid: string } {
  const filter = parseFilter(description.Filter);
  if ('invalid' in filter) return filter;
  const action = parseAction(description.Action);
  if ('invalid' in action) return action;
  const name = text(description.Name);
  return { filter: filter.filter, ...action.action, ...(name ? { name } : {}) };
}

// A rule without a filter matches everything, as the SDK's own default.
function parseFilter(node: unknown): { filter: RuleFilter } | { invalid: string } {
  if (node === undefined || node === '') return { filter: { kind: 'true' } };
  if (typeof node !== 'object' || node === null) return { invalid: 'Filter' };
  const filter = node as Node;
  const type = typeOf(filter);
  if (type === 'TrueFilter') return { filter: { kind: 'true' } };
  if (type === 'FalseFilter') return { filter: { kind: 'false' } };
  if (type === 'SqlFilter' || (type === undefined && filter.SqlExpression !== undefined)) {
    const expression = text(filter.SqlExpression);
    if (!expression?.trim()) return { invalid: 'Filter.SqlExpression' };
    const parameters = parseKeyValues(filter.Parameters);
    if (parameters === 'invalid') return { invalid: 'Filter.Parameters' };
    return { filter: sqlRuleFilter(expression, parameters) };
  }
  if (type === 'CorrelationFilter' || type === undefined) {
    const properties: CorrelationProperties = {};
    for (const [field, name] of CORRELATION_FIELDS) {
      const value = text(filter[name]);
      if (value !== undefined) properties[field] = value;
    }
    const applicationProperties = parseKeyValues(filter.Properties);
    if (applicationProperties === 'invalid') return { invalid: 'Filter.Properties' };
    if (applicationProperties) properties.applicationProperties = applicationProperties;
    return { filter: { kind: 'correlation', properties } };
  }
  return { invalid: `Filter type ${type}` };
}

function parseAction(node: unknown): { action: Pick<RuleDefinition, 'action' | 'actionParameters'> } | { invalid: string } {
  if (node === undefined || node === '' || typeof node !== 'object' || node === null) return { action: {} };
  const action = node as Node;
  const type = typeOf(action);
  if (type === 'EmptyRuleAction' || (type === undefined && action.SqlExpression === undefined)) return { action: {} };
  if (type !== undefined && type !== 'SqlRuleAction') return { invalid: `Action type ${type}` };
  const expression = text(action.SqlExpression);
  if (!expression?.trim()) return { invalid: 'Action.SqlExpression' };
  const parameters = parseKeyValues(action.Parameters);
  if (parameters === 'invalid') return { invalid: 'Action.Parameters' };
  return { action: { action: expression, ...(parameters ? { actionParameters: parameters } : {}) } };
}

function parseKeyValues(node: unknown): SqlParameters | undefined | 'invalid' {
  if (node === undefined || typeof node !== 'object' || node === null) return undefined;
  const pairs = (node as Node).KeyValueOfstringanyType;
  if (pairs === undefined) return undefined;
  const result: SqlParameters = {};
  for (const pair of pairs as Node[]) {
    const key = text(pair.Key);
    const value = pair.Value as Node | string | undefined;
    if (!key || value === undefined) return 'invalid';
    const raw = typeof value === 'string' ? value : (text(value['#text']) ?? '');
    const type = typeof value === 'object' ? String(value['@_type'] ?? 'string').replace(/^.*:/, '') : 'string';
    const parsed = fromSchemaType(type, raw);
    if (parsed === undefined) return 'invalid';
    result[key] = parsed;
  }
  return result;
}

function fromSchemaType(type: string, raw: string): string | number | boolean | Date | undefined {
  switch (type) {
    case 'string':
      return raw;
    case 'int':
    case 'long':
    case 'short':
    case 'byte':
    case 'double':
    case 'float':
    case 'decimal': {
      const n = Number(raw);
      return raw.trim() === '' || !Number.isFinite(n) ? undefined : n;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'dateTime': {
      const d = new Date(raw);
      return Number.isNaN(d.getTime()) ? undefined : d;
    }
    default:
      return undefined;
  }
}

function typeOf(node: Node): string | undefined {
  const type = node['@_type'];
  return typeof type === 'string' ? type.replace(/^.*:/, '') : undefined;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'object') return undefined;
  return String(value);
}
