import type rhea from 'rhea';
import { AmqpCondition, AmqpWireError } from '../amqp-common/errors.js';
import type { SqlParameters } from './model.js';

/**
 * Service Bus's SQL filter and action language, the part Azure documents:
 * `sys.`/`user.`/bare and `[bracketed]` property names; string, number,
 * boolean and NULL literals; `= <> != < <= > >=`, `+ - * / %`, unary `-`;
 * `AND OR NOT`, `LIKE` with `ESCAPE`, `IN`, `IS [NOT] NULL`, `EXISTS(...)`;
 * actions `SET name = expression` and `REMOVE name`, separated by `;`;
 * `@name` placeholders take the rule's parameters. Anything else is refused
 * with `com.microsoft:argument-error` naming the place, so a filter is never
 * silently matched.
 */

type Value = string | number | boolean | Date | null;

type Node =
  | { type: 'literal'; value: Value }
  | { type: 'property'; scope: 'sys' | 'user'; name: string }
  | { type: 'unary'; op: 'not' | 'neg'; operand: Node }
  | { type: 'binary'; op: string; left: Node; right: Node }
  | { type: 'like'; operand: Node; pattern: string; escape?: string; negated: boolean }
  | { type: 'in'; operand: Node; list: Node[]; negated: boolean }
  | { type: 'isnull'; operand: Node; negated: boolean }
  | { type: 'exists'; property: Extract<Node, { type: 'property' }> };

type Token = { kind: 'word' | 'string' | 'number' | 'op' | 'ident'; text: string; at: number };

/** The values a message offers to filters: `sys.` names (lower case) and its application properties. */
export function systemProperties(message: rhea.Message): Record<string, Value | undefined> {
  const annotations = (message.message_annotations ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (v === undefined || v === null ? undefined : Buffer.isBuffer(v) ? v.toString('hex') : String(v));
  return {
    messageid: text(message.message_id),
    correlationid: text(message.correlation_id),
    to: text(message.to),
    replyto: text(message.reply_to),
    label: text(message.subject),
    subject: text(message.subject),
    sessionid: text(message.group_id),
    replytosessionid: text(message.reply_to_group_id),
    contenttype: text(message.content_type),
    timetolive: typeof message.ttl === 'number' ? message.ttl : undefined,
    partitionkey: text(annotations['x-opt-partition-key']),
    scheduledenqueuetimeutc: annotations['x-opt-scheduled-enqueue-time'] instanceof Date ? (annotations['x-opt-scheduled-enqueue-time'] as Date) : undefined,
  };
}

const invalid = (expression: string, why: string) =>
  new AmqpWireError(AmqpCondition.ArgumentError, `The SQL expression "${expression}" is not valid: ${why}.`);

/** A SQL filter as a predicate; throws an argument error for syntax Azure refuses or LocalZure does not support. */
export function compileSqlFilter(expression: string, parameters: SqlParameters = {}): (message: rhea.Message) => boolean {
  const parser = new Parser(expression, parameters);
  const node = parser.expression();
  parser.end();
  return (message) => truth(evaluate(node, message)) === true;
}

/** A SQL rule action as a function producing the modified copy of a message. */
export function compileSqlAction(expression: string, parameters: SqlParameters = {}): (message: rhea.Message) => rhea.Message {
  const statements = expression
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (statements.length === 0) throw invalid(expression, 'an action needs at least one SET or REMOVE statement');
  const steps = statements.map((statement) => {
    const parser = new Parser(statement, parameters);
    const verb = parser.word();
    if (verb === 'set') {
      const target = parser.property();
      parser.expectOp('=');
      const value = parser.expression();
      parser.end();
      return { target, value };
    }
    if (verb === 'remove') {
      const target = parser.property();
      parser.end();
      return { target, value: undefined };
    }
    throw invalid(statement, `actions are SET or REMOVE statements, not "${verb ?? statement}"`);
  });
  return (message) => {
    const copy: rhea.Message = { ...message, application_properties: { ...(message.application_properties as Record<string, unknown> | undefined) } };
    for (const { target, value } of steps) {
      const result = value === undefined ? undefined : evaluate(value, copy);
      if (target.scope === 'user') {
        const props = copy.application_properties as Record<string, unknown>;
        const key = Object.keys(props).find((k) => k.toLowerCase() === target.name.toLowerCase()) ?? target.name;
        if (value === undefined) delete props[key];
        else props[key] = result;
      } else {
        setSystem(copy, target.name, value === undefined ? undefined : result, statements.join('; '));
      }
    }
    return copy;
  };
}

const SYSTEM_SETTERS: Record<string, keyof rhea.Message> = {
  messageid: 'message_id',
  correlationid: 'correlation_id',
  to: 'to',
  replyto: 'reply_to',
  label: 'subject',
  subject: 'subject',
  sessionid: 'group_id',
  replytosessionid: 'reply_to_group_id',
  contenttype: 'content_type',
};

function setSystem(message: rhea.Message, name: string, value: Value | undefined, expression: string): void {
  const field = SYSTEM_SETTERS[name.toLowerCase()];
  if (!field) throw invalid(expression, `sys.${name} cannot be set by an action`);
  (message as unknown as Record<string, unknown>)[field] = value === undefined || value === null ? undefined : String(value);
}

class Parser {
  readonly #tokens: Token[];
  #at = 0;

  constructor(
    readonly source: string,
    readonly parameters: SqlParameters,
  ) {
    this.#tokens = tokenize(source);
  }

  end(): void {
    const token = this.#tokens[this.#at];
    if (token) throw invalid(this.source, `unexpected "${token.text}" at position ${token.at + 1}`);
  }

  word(): string | undefined {
    const token = this.#tokens[this.#at];
    if (token?.kind !== 'word') return undefined;
    this.#at++;
    return token.text.toLowerCase();
  }

  expectOp(op: string): void {
    const token = this.#tokens[this.#at];
    if (token?.kind !== 'op' || token.text !== op) throw invalid(this.source, `expected "${op}"${token ? ` at position ${token.at + 1}` : ' at the end'}`);
    this.#at++;
  }

  expression(): Node {
    return this.#or();
  }

  property(): Extract<Node, { type: 'property' }> {
    const node = this.#primary();
    if (node.type !== 'property') throw invalid(this.source, 'expected a property name');
    return node;
  }

  #peekWord(...words: string[]): boolean {
    const token = this.#tokens[this.#at];
    return token?.kind === 'word' && words.includes(token.text.toLowerCase());
  }

  #peekOp(...ops: string[]): string | undefined {
    const token = this.#tokens[this.#at];
    return token?.kind === 'op' && ops.includes(token.text) ? token.text : undefined;
  }

  #or(): Node {
    let left = this.#and();
    while (this.#peekWord('or')) {
      this.#at++;
      left = { type: 'binary', op: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): Node {
    let left = this.#not();
    while (this.#peekWord('and')) {
      this.#at++;
      left = { type: 'binary', op: 'and', left, right: this.#not() };
    }
    return left;
  }

  #not(): Node {
    if (this.#peekWord('not')) {
      this.#at++;
      if (this.#peekWord('exists')) return { type: 'unary', op: 'not', operand: this.#exists() };
      return { type: 'unary', op: 'not', operand: this.#not() };
    }
    return this.#predicate();
  }

  #exists(): Node {
    this.#at++;
    this.expectOp('(');
    const property = this.property();
    this.expectOp(')');
    return { type: 'exists', property };
  }

  #predicate(): Node {
    if (this.#peekWord('exists')) return this.#exists();
    const left = this.#additive();
    const op = this.#peekOp('=', '<>', '!=', '<', '<=', '>', '>=');
    if (op) {
      this.#at++;
      return { type: 'binary', op: op === '!=' ? '<>' : op, left, right: this.#additive() };
    }
    if (this.#peekWord('is')) {
      this.#at++;
      const negated = this.#peekWord('not');
      if (negated) this.#at++;
      if (!this.#peekWord('null')) throw invalid(this.source, 'IS must be followed by NULL or NOT NULL');
      this.#at++;
      return { type: 'isnull', operand: left, negated };
    }
    let negated = false;
    if (this.#peekWord('not')) {
      negated = true;
      this.#at++;
      if (!this.#peekWord('like', 'in')) throw invalid(this.source, 'NOT here must be followed by LIKE or IN');
    }
    if (this.#peekWord('like')) {
      this.#at++;
      const pattern = this.#string('LIKE needs a string pattern');
      let escape: string | undefined;
      if (this.#peekWord('escape')) {
        this.#at++;
        escape = this.#string('ESCAPE needs a one-character string');
        if (escape.length !== 1) throw invalid(this.source, 'the ESCAPE character must be exactly one character');
      }
      return { type: 'like', operand: left, pattern, escape, negated };
    }
    if (this.#peekWord('in')) {
      this.#at++;
      this.expectOp('(');
      const list: Node[] = [this.#additive()];
      while (this.#peekOp(',')) {
        this.#at++;
        list.push(this.#additive());
      }
      this.expectOp(')');
      return { type: 'in', operand: left, list, negated };
    }
    return left;
  }

  #string(why: string): string {
    const token = this.#tokens[this.#at];
    if (token?.kind !== 'string') throw invalid(this.source, why);
    this.#at++;
    return token.text;
  }

  #additive(): Node {
    let left = this.#multiplicative();
    for (let op = this.#peekOp('+', '-'); op; op = this.#peekOp('+', '-')) {
      this.#at++;
      left = { type: 'binary', op, left, right: this.#multiplicative() };
    }
    return left;
  }

  #multiplicative(): Node {
    let left = this.#unary();
    for (let op = this.#peekOp('*', '/', '%'); op; op = this.#peekOp('*', '/', '%')) {
      this.#at++;
      left = { type: 'binary', op, left, right: this.#unary() };
    }
    return left;
  }

  #unary(): Node {
    if (this.#peekOp('-')) {
      this.#at++;
      return { type: 'unary', op: 'neg', operand: this.#unary() };
    }
    if (this.#peekOp('+')) this.#at++;
    return this.#primary();
  }

  #primary(): Node {
    const token = this.#tokens[this.#at];
    if (!token) throw invalid(this.source, 'it ends where a value was expected');
    this.#at++;
    switch (token.kind) {
      case 'string':
        return { type: 'literal', value: token.text };
      case 'number':
        return { type: 'literal', value: Number(token.text) };
      case 'ident':
        return { type: 'property', scope: 'user', name: token.text };
      case 'op':
        if (token.text === '(') {
          const inner = this.expression();
          this.expectOp(')');
          return inner;
        }
        throw invalid(this.source, `unexpected "${token.text}" at position ${token.at + 1}`);
      case 'word': {
        if (token.text.startsWith('@')) return { type: 'literal', value: this.#parameter(token.text) };
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { type: 'literal', value: word === 'true' };
        if (word === 'null') return { type: 'literal', value: null };
        if (this.#peekOp('(')) throw invalid(this.source, `the function ${token.text}() is not supported`);
        if ((word === 'sys' || word === 'user') && this.#peekOp('.')) {
          this.#at++;
          const name = this.#tokens[this.#at];
          if (!name || (name.kind !== 'word' && name.kind !== 'ident')) throw invalid(this.source, `expected a property name after "${token.text}."`);
          this.#at++;
          return { type: 'property', scope: word, name: name.text };
        }
        if (KEYWORDS.has(word)) throw invalid(this.source, `unexpected keyword ${token.text.toUpperCase()} at position ${token.at + 1}`);
        return { type: 'property', scope: 'user', name: token.text };
      }
    }
  }

  #parameter(name: string): Value {
    const key = Object.keys(this.parameters).find((k) => k.toLowerCase() === name.toLowerCase() || `@${k.toLowerCase()}` === name.toLowerCase());
    if (key === undefined) throw invalid(this.source, `the parameter ${name} has no value: give it in the rule's parameters`);
    return this.parameters[key]!;
  }
}

const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'in', 'is', 'escape', 'exists', 'set', 'remove']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw invalid(source, `the string starting at position ${i + 1} is not closed`);
        if (source[j] === "'") {
          if (source[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += source[j++];
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else if (ch === '[') {
      const close = source.indexOf(']', i);
      if (close < 0) throw invalid(source, `the name starting at position ${i + 1} is not closed with "]"`);
      tokens.push({ kind: 'ident', text: source.slice(i + 1, close), at: i });
      i = close + 1;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(source.slice(i))!;
      tokens.push({ kind: 'number', text: match[0], at: i });
      i += match[0].length;
    } else if (/[A-Za-z_@$]/.test(ch)) {
      const match = /^[A-Za-z_@$][\w@$-]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'word', text: match[0], at: i });
      i += match[0].length;
    } else {
      const two = source.slice(i, i + 2);
      if (['<>', '!=', '<=', '>='].includes(two)) {
        tokens.push({ kind: 'op', text: two, at: i });
        i += 2;
      } else if ('=<>+-*/%(),.'.includes(ch)) {
        tokens.push({ kind: 'op', text: ch, at: i });
        i++;
      } else {
        throw invalid(source, `the character "${ch}" at position ${i + 1} is not part of the language`);
      }
    }
  }
  return tokens;
}

// Three-valued logic: a missing property is NULL, and comparisons with NULL are unknown (no match).
function evaluate(node: Node, message: rhea.Message): Value {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'property':
      return lookup(node, message) ?? null;
    case 'exists':
      return lookup(node.property, message) !== undefined;
    case 'isnull': {
      const isNull = evaluate(node.operand, message) === null;
      return node.negated ? !isNull : isNull;
    }
    case 'unary': {
      const value = evaluate(node.operand, message);
      if (node.op === 'neg') return typeof value === 'number' ? -value : null;
      const t = truth(value);
      return t === null ? null : !t;
    }
    case 'like': {
      const value = evaluate(node.operand, message);
      if (typeof value !== 'string') return null;
      const matched = likeToRegExp(node.pattern, node.escape).test(value);
      return node.negated ? !matched : matched;
    }
    case 'in': {
      const value = evaluate(node.operand, message);
      if (value === null) return null;
      const found = node.list.some((item) => compare(value, evaluate(item, message)) === 0);
      return node.negated ? !found : found;
    }
    case 'binary':
      return binary(node.op, node.left, node.right, message);
  }
}

function binary(op: string, leftNode: Node, rightNode: Node, message: rhea.Message): Value {
  if (op === 'and' || op === 'or') {
    const left = truth(evaluate(leftNode, message));
    if (op === 'and' && left === false) return false;
    if (op === 'or' && left === true) return true;
    const right = truth(evaluate(rightNode, message));
    if (op === 'and') return left === null || right === null ? (right === false ? false : null) : left && right;
    return left === null || right === null ? (right === true ? true : null) : left || right;
  }
  const left = evaluate(leftNode, message);
  const right = evaluate(rightNode, message);
  if (left === null || right === null) return null;
  if (['+', '-', '*', '/', '%'].includes(op)) {
    if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
    if (typeof left !== 'number' || typeof right !== 'number') return null;
    switch (op) {
      case '+': return left + right;
      case '-': return left - right;
      case '*': return left * right;
      case '/': return right === 0 ? null : left / right;
      default: return right === 0 ? null : left % right;
    }
  }
  const order = compare(left, right);
  if (order === undefined) return null;
  switch (op) {
    case '=': return order === 0;
    case '<>': return order !== 0;
    case '<': return order < 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    default: return order >= 0;
  }
}

function compare(a: Value, b: Value): number | undefined {
  if (a === null || b === null) return undefined;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  if (typeof x !== typeof y) return undefined;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

function truth(value: Value): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function lookup(node: Extract<Node, { type: 'property' }>, message: rhea.Message): Value | undefined {
  if (node.scope === 'sys') return systemProperties(message)[node.name.toLowerCase()];
  const props = (message.application_properties ?? {}) as Record<string, unknown>;
  const key = node.name in props ? node.name : Object.keys(props).find((k) => k.toLowerCase() === node.name.toLowerCase());
  if (key === undefined) return undefined;
  const value = props[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}

function likeToRegExp(pattern: string, escape: string | undefined): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (escape !== undefined && ch === escape && i + 1 < pattern.length) {
      source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') {
      source += '[\\s\\S]*';
    } else if (ch === '_') {
      source += '[\\s\\S]';
    } else {
      source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
