import type rhea from 'rhea';
import type { CorrelationProperties, RuleDefinition, RuleFilter, SqlParameters } from './model.js';
import { compileSqlAction, compileSqlFilter, systemProperties } from './sql-filter.js';

/** A subscription rule ready to run: does a message match, and what the subscription's copy looks like. */
export interface CompiledRule {
  definition: RuleDefinition;
  matches(message: rhea.Message): boolean;
  /** The copy the subscription receives (the rule's action applied; the message itself when it has none). */
  apply(message: rhea.Message): rhea.Message;
}

/**
 * Compiles a rule; a SQL filter or action Azure would refuse (or that
 * LocalZure cannot evaluate) throws a wire error, so nothing is silently matched.
 */
export function compileRule(definition: RuleDefinition): CompiledRule {
  const matches = filterOf(definition);
  const action = definition.action === undefined ? undefined : compileSqlAction(definition.action, definition.actionParameters);
  return { definition, matches, apply: (message) => (action ? action(message) : message) };
}

/** A SQL filter as Azure keeps it: `1=1` and `1=0` without parameters are its true and false filters. */
export function sqlRuleFilter(expression: string, parameters?: SqlParameters): RuleFilter {
  if (parameters === undefined || Object.keys(parameters).length === 0) {
    if (/^\s*1\s*=\s*1\s*$/.test(expression)) return { kind: 'true' };
    if (/^\s*1\s*=\s*0\s*$/.test(expression)) return { kind: 'false' };
    return { kind: 'sql', expression };
  }
  return { kind: 'sql', expression, parameters };
}

function filterOf(definition: RuleDefinition): (message: rhea.Message) => boolean {
  const filter = definition.filter;
  switch (filter.kind) {
    case 'true':
      return () => true;
    case 'false':
      return () => false;
    case 'sql':
      return compileSqlFilter(filter.expression, filter.parameters);
    case 'correlation':
      return correlationFilter(filter.properties);
  }
}

const SYSTEM_FIELDS: Array<[keyof CorrelationProperties, string]> = [
  ['correlationId', 'correlationid'],
  ['messageId', 'messageid'],
  ['to', 'to'],
  ['replyTo', 'replyto'],
  ['subject', 'label'],
  ['sessionId', 'sessionid'],
  ['replyToSessionId', 'replytosessionid'],
  ['contentType', 'contenttype'],
];

// Every field the filter sets must equal the message's; user properties compare by value.
function correlationFilter(properties: CorrelationProperties): (message: rhea.Message) => boolean {
  const wanted = SYSTEM_FIELDS.filter(([field]) => properties[field] !== undefined && properties[field] !== null);
  const user = Object.entries(properties.applicationProperties ?? {});
  return (message) => {
    const system = systemProperties(message);
    if (!wanted.every(([field, name]) => system[name] !== undefined && String(system[name]) === String(properties[field]))) return false;
    const app = (message.application_properties ?? {}) as Record<string, unknown>;
    return user.every(([key, value]) => key in app && sameValue(app[key], value));
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return new Date(a as Date).getTime() === new Date(b as Date).getTime();
  return a === b || String(a) === String(b);
}
