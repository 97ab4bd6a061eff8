import { isTagText } from './tags.js';

// The expressions of x-ms-if-tags: comparisons of a blob's tags joined by AND
// and OR, with parentheses; unlike Find Blobs by Tags they allow `<>` and OR.
// https://learn.microsoft.com/azure/storage/blobs/storage-manage-find-blobs#conditional-operations

type Comparison = '=' | '<>' | '>' | '>=' | '<' | '<=';

export type TagExpression =
  | { kind: 'compare'; key: string; operator: Comparison; value: string }
  | { kind: 'and' | 'or'; left: TagExpression; right: TagExpression };

// Bare keys are letters, digits and underscores; any other key needs double quotes.
const TOKEN = /\s*(?:(\()|(\))|"((?:[^"]|"")*)"|'((?:[^']|'')*)'|(<>|>=|<=|=|<|>)|([A-Za-z0-9_]+))/y;

type Token = { kind: 'open' | 'close' | 'key' | 'value' | 'operator' | 'word'; text: string };

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    at = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: 'open', text: '(' });
    else if (m[2]) tokens.push({ kind: 'close', text: ')' });
    else if (m[3] !== undefined) tokens.push({ kind: 'key', text: m[3].replace(/""/g, '"') });
    else if (m[4] !== undefined) tokens.push({ kind: 'value', text: m[4].replace(/''/g, "'") });
    else if (m[5]) tokens.push({ kind: 'operator', text: m[5] });
    else tokens.push({ kind: 'word', text: m[6]! });
  }
  return tokens;
}

/** Parses an x-ms-if-tags expression; undefined when it is malformed (Azure's 400 InvalidHeaderValue). */
export function parseTagExpression(text: string): TagExpression | undefined {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  let at = 0;
  const isWord = (word: string) => tokens[at]?.kind === 'word' && tokens[at]!.text.toUpperCase() === word;

  const joined = (kind: 'and' | 'or', next: () => TagExpression | undefined): TagExpression | undefined => {
    let left = next();
    while (left && isWord(kind.toUpperCase())) {
      at++;
      const right = next();
      left = right && { kind, left, right };
    }
    return left;
  };
  const primary = (): TagExpression | undefined => {
    if (tokens[at]?.kind === 'open') {
      at++;
      const inner = joined('or', () => joined('and', primary));
      if (tokens[at]?.kind !== 'close') return undefined;
      at++;
      return inner;
    }
    const [key, operator, value] = tokens.slice(at, at + 3);
    if (!key || (key.kind !== 'key' && key.kind !== 'word') || operator?.kind !== 'operator' || value?.kind !== 'value') return undefined;
    // Characters no tag can hold make the expression malformed; lengths no tag can have merely never match.
    if (!isTagText(key.text) || !isTagText(value.text)) return undefined;
    at += 3;
    return { kind: 'compare', key: key.text, operator: operator.text as Comparison, value: value.text };
  };

  const expression = joined('or', () => joined('and', primary));
  return expression && at === tokens.length ? expression : undefined;
}

/** Whether a blob's tags satisfy the expression; a comparison with a tag the blob lacks is false. */
export function tagExpressionHolds(expression: TagExpression, tags: Record<string, string>): boolean {
  if (expression.kind !== 'compare') {
    const left = tagExpressionHolds(expression.left, tags);
    return expression.kind === 'and' ? left && tagExpressionHolds(expression.right, tags) : left || tagExpressionHolds(expression.right, tags);
  }
  const actual = tags[expression.key];
  if (actual === undefined) return false;
  switch (expression.operator) {
    case '=':
      return actual === expression.value;
    case '<>':
      return actual !== expression.value;
    case '>':
      return actual > expression.value;
    case '>=':
      return actual >= expression.value;
    case '<':
      return actual < expression.value;
    case '<=':
      return actual <= expression.value;
  }
}
