import { TableDomainError } from '../errors.js';

export type Token =
  | { kind: 'open' | 'close'; at: number }
  | { kind: 'word'; text: string; at: number }
  /** `'text'`, or a typed literal such as `datetime'...'` (prefix lowercased, `''` unescaped). */
  | { kind: 'quoted'; prefix: string; text: string; at: number }
  | { kind: 'number'; text: string; at: number };

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[LlDdMmFf]?/y;

/** Splits a `$filter` into tokens; a character that starts no token is InvalidInput naming its position. */
export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < filter.length) {
    const c = filter[at]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      at++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', at });
      at++;
    } else if (c === "'") {
      at = quoted(filter, at, '', tokens);
    } else if (/[A-Za-z_]/.test(c)) {
      WORD.lastIndex = at;
      const text = WORD.exec(filter)![0];
      const end = at + text.length;
      if (filter[end] === "'") at = quoted(filter, end, text.toLowerCase(), tokens, at);
      else {
        tokens.push({ kind: 'word', text, at });
        at = end;
      }
    } else {
      NUMBER.lastIndex = at;
      const match = NUMBER.exec(filter);
      if (!match) throw syntaxError(`unexpected character '${c}'`, at);
      tokens.push({ kind: 'number', text: match[0], at });
      at += match[0].length;
      if (at < filter.length && /[A-Za-z0-9_.']/.test(filter[at]!)) throw syntaxError(`malformed number '${match[0]}${filter[at]}'`, at);
    }
  }
  return tokens;
}

// Reads a quoted literal starting at the quote; returns the index after the closing quote.
function quoted(filter: string, quote: number, prefix: string, tokens: Token[], start = quote): number {
  let text = '';
  let at = quote + 1;
  for (;;) {
    const next = filter.indexOf("'", at);
    if (next === -1) throw syntaxError('unterminated string literal', quote);
    text += filter.slice(at, next);
    if (filter[next + 1] === "'") {
      text += "'";
      at = next + 2;
      continue;
    }
    tokens.push({ kind: 'quoted', prefix, text, at: start });
    return next + 1;
  }
}

export function syntaxError(reason: string, at: number): TableDomainError {
  return new TableDomainError('InvalidInput', `The $filter is not valid: ${reason} at position ${at}.`);
}
