import { dateTimeValue, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, type EdmValue } from '../edm.js';
import { syntaxError, tokenize, type Token } from './lexer.js';

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A parsed `$filter`. */
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: ComparisonOperator; left: FilterNode; right: FilterNode }
  | { kind: 'property'; name: string }
  | { kind: 'literal'; value: EdmValue };

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const KEYWORDS = new Set<string>([...COMPARISONS, 'and', 'or', 'not', 'true', 'false']);
// Deeper nesting than any real filter needs would only exhaust the stack.
const MAX_DEPTH = 100;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Parses the OData `$filter` subset Azure Table storage accepts: `eq ne gt
 * ge lt le`, `and or not`, parentheses, property names, and the literals
 * `'text'`, `123`, `123L`, `1.5`, `true`, `datetime'...'`, `guid'...'`,
 * `X'..'`/`binary'..'`. Keywords ignore case. `not` binds looser than a
 * comparison, so `not A eq 1` means `not (A eq 1)`. Anything else is
 * InvalidInput naming the position.
 */
export function parseFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let i = 0;
  let depth = 0;
  const nested = <T>(parse: () => T): T => {
    if (++depth > MAX_DEPTH) throw syntaxError(`nesting deeper than ${MAX_DEPTH} levels`, position());
    try {
      return parse();
    } finally {
      depth--;
    }
  };
  const peekWord = (): string | undefined => {
    const t = tokens[i];
    return t?.kind === 'word' ? t.text.toLowerCase() : undefined;
  };
  const position = () => tokens[i]?.at ?? filter.length;

  const or = (): FilterNode => {
    let left = and();
    while (peekWord() === 'or') {
      i++;
      left = { kind: 'or', left: boolean(left), right: boolean(and()) };
    }
    return left;
  };
  const and = (): FilterNode => {
    let left = unary();
    while (peekWord() === 'and') {
      i++;
      left = { kind: 'and', left: boolean(left), right: boolean(unary()) };
    }
    return left;
  };
  const unary = (): FilterNode => {
    if (peekWord() === 'not') {
      i++;
      return { kind: 'not', operand: boolean(nested(unary)) };
    }
    return comparison();
  };
  const comparison = (): FilterNode => {
    const left = primary();
    const op = peekWord();
    if (op === undefined || !COMPARISONS.has(op)) return left;
    i++;
    return { kind: 'compare', op: op as ComparisonOperator, left, right: primary() };
  };
  const primary = (): FilterNode => {
    const at = position();
    const token = tokens[i++];
    if (!token) throw syntaxError('the expression ends too early', at);
    switch (token.kind) {
      case 'open': {
        const inner = nested(or);
        if (tokens[i]?.kind !== 'close') throw syntaxError("')' expected", position());
        i++;
        return inner;
      }
      case 'close':
        throw syntaxError("unexpected ')'", at);
      case 'quoted':
        return { kind: 'literal', value: typedLiteral(token.prefix, token.text, at) };
      case 'number':
        return { kind: 'literal', value: numberLiteral(token.text, at) };
      case 'word': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { kind: 'literal', value: { type: 'Edm.Boolean', value: word === 'true' } };
        if (KEYWORDS.has(word)) throw syntaxError(`unexpected '${token.text}'`, at);
        return { kind: 'property', name: token.text };
      }
    }
  };
  const boolean = (node: FilterNode): FilterNode => {
    if (node.kind === 'literal' && node.value.type !== 'Edm.Boolean') {
      throw syntaxError(`a ${node.value.type} literal cannot be used as a condition`, position());
    }
    return node;
  };

  if (tokens.length === 0) throw syntaxError('the filter is empty', 0);
  const root = boolean(or());
  if (i < tokens.length) throw syntaxError('unexpected token', position());
  return root;
}

function typedLiteral(prefix: string, text: string, at: number): EdmValue {
  switch (prefix) {
    case '':
      return { type: 'Edm.String', value: text };
    case 'datetime': {
      const value = dateTimeValue(text);
      if (!value) throw syntaxError(`'${text}' is not a valid datetime`, at);
      return value;
    }
    case 'guid':
      if (!GUID.test(text)) throw syntaxError(`'${text}' is not a valid guid`, at);
      return { type: 'Edm.Guid', value: text };
    case 'x':
    case 'binary':
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw syntaxError(`'${text}' is not valid hexadecimal binary`, at);
      return { type: 'Edm.Binary', value: Buffer.from(text, 'hex') };
    default:
      throw syntaxError(`unknown literal type '${prefix}'`, at);
  }
}

function numberLiteral(text: string, at: number): EdmValue {
  const suffix = /[LlDdMmFf]$/.test(text) ? text.slice(-1).toLowerCase() : '';
  const digits = suffix ? text.slice(0, -1) : text;
  const integral = /^-?\d+$/.test(digits);
  if (suffix === 'l') {
    if (!integral) throw syntaxError(`'${text}' is not a valid Int64`, at);
    const n = BigInt(digits);
    if (n < INT64_MIN || n > INT64_MAX) throw syntaxError(`'${text}' is out of the Int64 range`, at);
    return { type: 'Edm.Int64', value: n };
  }
  if (integral && suffix === '') {
    const n = BigInt(digits);
    if (n >= BigInt(INT32_MIN) && n <= BigInt(INT32_MAX)) return { type: 'Edm.Int32', value: Number(n) };
    if (n >= INT64_MIN && n <= INT64_MAX) return { type: 'Edm.Int64', value: n };
    throw syntaxError(`'${text}' is out of the Int64 range`, at);
  }
  const n = Number(digits);
  if (!Number.isFinite(n)) throw syntaxError(`'${text}' is out of the Double range`, at);
  return { type: 'Edm.Double', value: n };
}
