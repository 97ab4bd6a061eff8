import { QueryError } from './query-error.js';

export type Token =
  | { kind: 'ident'; text: string; at: number }
  | { kind: 'keyword'; text: string; original: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'param'; text: string; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'end'; at: number };

/** Words the grammar reserves; matched case-insensitively and kept upper-case. */
const KEYWORDS = new Set([
  'SELECT', 'DISTINCT', 'TOP', 'VALUE', 'AS', 'FROM', 'IN', 'JOIN', 'WHERE', 'GROUP', 'BY', 'ORDER', 'ASC', 'DESC',
  'OFFSET', 'LIMIT', 'AND', 'OR', 'NOT', 'BETWEEN', 'LIKE', 'ESCAPE', 'EXISTS', 'ARRAY', 'TRUE', 'FALSE', 'NULL',
  'UNDEFINED', 'UDF', 'RANK', 'ALL', 'ANY',
]);

// Longest first, so `<=` is never read as `<` then `=`.
const OPERATORS = ['>>>', '<<', '>>', '<=', '>=', '!=', '<>', '||', '??', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '~', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}'];

const IDENT = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/y;

/** Splits query text into tokens; a character that starts none is a syntax error naming its position. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const c = text[at]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      at++;
      continue;
    }
    if (c === '-' && text[at + 1] === '-') {
      const end = text.indexOf('\n', at);
      at = end === -1 ? text.length : end;
      continue;
    }
    if (c === "'" || c === '"') {
      at = readString(text, at, tokens);
      continue;
    }
    if (c === '@') {
      IDENT.lastIndex = at + 1;
      const match = IDENT.exec(text);
      if (!match) throw QueryError.syntax(`a parameter name must follow '@'`, at);
      tokens.push({ kind: 'param', text: `@${match[0]}`, at });
      at += 1 + match[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      IDENT.lastIndex = at;
      const word = IDENT.exec(text)![0];
      const upper = word.toUpperCase();
      tokens.push(KEYWORDS.has(upper) ? { kind: 'keyword', text: upper, original: word, at } : { kind: 'ident', text: word, at });
      at += word.length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[at + 1] ?? ''))) {
      NUMBER.lastIndex = at;
      const match = NUMBER.exec(text)!;
      tokens.push({ kind: 'number', value: Number(match[0]), at });
      at += match[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, at));
    if (!op) throw QueryError.syntax(`unexpected character '${c}'`, at);
    tokens.push({ kind: 'op', text: op, at });
    at += op.length;
  }
  tokens.push({ kind: 'end', at });
  return tokens;
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '/': '/', '\\': '\\', "'": "'", '"': '"' };

function readString(text: string, start: number, tokens: Token[]): number {
  const quote = text[start]!;
  let value = '';
  let at = start + 1;
  while (at < text.length) {
    const c = text[at]!;
    if (c === quote) {
      tokens.push({ kind: 'string', value, at: start });
      return at + 1;
    }
    if (c === '\\') {
      const next = text[at + 1];
      if (next === 'u') {
        const hex = text.slice(at + 2, at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw QueryError.syntax('a \\u escape takes four hex digits', at);
        value += String.fromCharCode(parseInt(hex, 16));
        at += 6;
        continue;
      }
      const escaped = next === undefined ? undefined : ESCAPES[next];
      if (escaped === undefined) throw QueryError.syntax(`unknown escape '\\${next ?? ''}' in a string`, at);
      value += escaped;
      at += 2;
      continue;
    }
    value += c;
    at++;
  }
  throw QueryError.syntax('a string is not closed', start);
}
