import { children, queryExpressions, type Expr, type OrderItem, type Query, type SelectItem, type Selection, type Source } from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { QueryError } from './query-error.js';

const AGGREGATES = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);

/** Nesting (parentheses, subqueries, unary chains) deeper than this is refused, before it can exhaust the stack. */
const MAX_DEPTH = 128;
/**
 * How deep the parsed tree may be. Operator chains (`1 + 1 + ...`) and paths
 * (`c.a.b...`) parse in loops, but everything after the parser walks the
 * tree recursively; past this they are refused instead.
 */
const MAX_TREE_DEPTH = 1000;

// Binary operators by precedence, loosest first; each level is left-associative.
const LEVELS: string[][] = [
  ['||'],
  ['|'],
  ['^'],
  ['&'],
  ['<<', '>>', '>>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

/** Parses query text into a Query; anything the grammar does not cover is a syntax error naming the position. */
export function parseQuery(text: string): Query {
  const parser = new Parser(tokenize(text));
  const query = parser.query();
  parser.expectEnd();
  checkTreeDepth(query);
  return query;
}

// Iterative, with its own stack: the check must not overflow on the very trees it is there to refuse.
function checkTreeDepth(query: Query): void {
  const pending: Array<[Expr, number]> = queryExpressions(query).map((e) => [e, 1]);
  while (pending.length > 0) {
    const [expr, depth] = pending.pop()!;
    if (depth > MAX_TREE_DEPTH) throw QueryError.syntax(`an expression nests deeper than ${MAX_TREE_DEPTH} levels`);
    const next = expr.kind === 'subquery' ? queryExpressions(expr.query) : children(expr);
    for (const child of next) pending.push([child, depth + 1]);
  }
  for (const source of query.from) if (source.kind === 'subquery') checkTreeDepth(source.query);
}

class Parser {
  #at = 0;
  #depth = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): Query {
    this.#keyword('SELECT');
    const distinct = this.#accept('keyword', 'DISTINCT');
    let top: Expr | undefined;
    if (this.#accept('keyword', 'TOP')) top = this.#primary();
    const selection = this.#selection();
    const from: Source[] = [];
    if (this.#accept('keyword', 'FROM')) {
      from.push(this.#source(true));
      while (this.#accept('keyword', 'JOIN')) from.push(this.#source(false));
    }
    const query: Query = { distinct, selection, from, ...(top ? { top } : {}) };
    if (this.#accept('keyword', 'WHERE')) query.where = this.expr();
    if (this.#accept('keyword', 'GROUP')) {
      this.#keyword('BY');
      query.groupBy = this.#list(() => this.expr());
    }
    if (this.#accept('keyword', 'ORDER')) {
      this.#keyword('BY');
      query.orderBy = this.#list(() => this.#orderItem());
    }
    if (this.#accept('keyword', 'OFFSET')) {
      query.offset = this.#primary();
      this.#keyword('LIMIT');
      query.limit = this.#primary();
    }
    return query;
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token.kind !== 'end') throw QueryError.syntax(`incorrect syntax near ${describe(token)}`, token.at);
  }

  #selection(): Selection {
    if (this.#acceptOp('*')) return { kind: 'star' };
    if (this.#accept('keyword', 'VALUE')) {
      const expr = this.expr();
      // The reference's syntax lets VALUE take an alias; a bare value has no property for it to name.
      this.#alias();
      return { kind: 'value', expr };
    }
    return { kind: 'list', items: this.#list(() => this.#selectItem()) };
  }

  #selectItem(): SelectItem {
    const expr = this.expr();
    const alias = this.#alias();
    return alias === undefined ? { expr } : { expr, alias };
  }

  #orderItem(): OrderItem {
    const expr = this.expr();
    if (this.#accept('keyword', 'DESC')) return { expr, descending: true };
    this.#accept('keyword', 'ASC');
    return { expr, descending: false };
  }

  #source(first: boolean): Source {
    const token = this.#peek();
    if (token.kind === 'op' && token.text === '(') {
      this.#next();
      const query = this.query();
      this.#op(')');
      const alias = this.#alias();
      if (alias === undefined) throw QueryError.syntax('a subquery in FROM or JOIN needs an alias', token.at);
      return { kind: 'subquery', alias, query };
    }
    const name = this.#identifier();
    if (this.#accept('keyword', 'IN')) return { kind: 'iterate', alias: name, over: this.expr() };
    if (!first) {
      // JOIN c.tags t: an input set that is not an iteration is the only element of itself.
      const path = this.#path({ kind: 'ref', name });
      const alias = this.#alias() ?? lastName(path) ?? name;
      return { kind: 'iterate', alias, over: { kind: 'array', items: [path] } };
    }
    const path: Expr[] = [];
    for (;;) {
      if (this.#acceptOp('.')) path.push({ kind: 'literal', value: this.#propertyName() });
      else if (this.#acceptOp('[')) {
        path.push(this.expr());
        this.#op(']');
      } else break;
    }
    const alias = this.#alias() ?? (path.length > 0 ? String((path[path.length - 1] as { value?: unknown }).value ?? name) : name);
    return { kind: 'container', root: name, alias, path };
  }

  #path(base: Expr): Expr {
    let expr = base;
    for (;;) {
      if (this.#acceptOp('.')) expr = { kind: 'member', object: expr, property: { kind: 'literal', value: this.#propertyName() }, computed: false };
      else if (this.#acceptOp('[')) {
        expr = { kind: 'member', object: expr, property: this.expr(), computed: true };
        this.#op(']');
      } else return expr;
    }
  }

  #alias(): string | undefined {
    if (this.#accept('keyword', 'AS')) return this.#identifier();
    const token = this.#peek();
    if (token.kind === 'ident') {
      this.#next();
      return token.text;
    }
    return undefined;
  }

  expr(): Expr {
    if (++this.#depth > MAX_DEPTH) throw QueryError.syntax(`the query nests deeper than ${MAX_DEPTH} levels`, this.#peek().at);
    try {
      const test = this.#coalesce();
      if (!this.#acceptOp('?')) return test;
      const then = this.expr();
      this.#op(':');
      return { kind: 'ternary', test, then, otherwise: this.expr() };
    } finally {
      this.#depth--;
    }
  }

  #coalesce(): Expr {
    let left = this.#or();
    while (this.#acceptOp('??')) left = { kind: 'binary', op: '??', left, right: this.#or() };
    return left;
  }

  #or(): Expr {
    let left = this.#and();
    while (this.#accept('keyword', 'OR')) left = { kind: 'binary', op: 'OR', left, right: this.#and() };
    return left;
  }

  #and(): Expr {
    let left = this.#not();
    while (this.#accept('keyword', 'AND')) left = { kind: 'binary', op: 'AND', left, right: this.#not() };
    return left;
  }

  #not(): Expr {
    if (this.#accept('keyword', 'NOT')) return { kind: 'unary', op: 'NOT', operand: this.#nested(() => this.#not()) };
    return this.#predicate();
  }

  #nested(parse: () => Expr): Expr {
    if (++this.#depth > MAX_DEPTH) throw QueryError.syntax(`the query nests deeper than ${MAX_DEPTH} levels`, this.#peek().at);
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  #predicate(): Expr {
    let left = this.#comparison();
    for (;;) {
      const negated = this.#peekKeyword('NOT') && ['IN', 'BETWEEN', 'LIKE'].some((k) => this.#peekKeyword(k, 1));
      if (negated) this.#next();
      if (this.#accept('keyword', 'IN')) {
        this.#op('(');
        const list = this.#list(() => this.expr());
        this.#op(')');
        left = { kind: 'in', value: left, list, negated };
      } else if (this.#accept('keyword', 'BETWEEN')) {
        const low = this.#comparison();
        this.#keyword('AND');
        left = { kind: 'between', value: left, low, high: this.#comparison(), negated };
      } else if (this.#accept('keyword', 'LIKE')) {
        const pattern = this.#comparison();
        const escape = this.#accept('keyword', 'ESCAPE') ? this.#comparison() : undefined;
        left = { kind: 'like', value: left, pattern, negated, ...(escape ? { escape } : {}) };
      } else return left;
    }
  }

  #comparison(): Expr {
    let left = this.#binary(0);
    for (;;) {
      const token = this.#peek();
      if (token.kind !== 'op' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(token.text)) return left;
      this.#next();
      left = { kind: 'binary', op: token.text === '<>' ? '!=' : token.text, left, right: this.#binary(0) };
    }
  }

  #binary(level: number): Expr {
    if (level === LEVELS.length) return this.#unary();
    let left = this.#binary(level + 1);
    for (;;) {
      const token = this.#peek();
      if (token.kind !== 'op' || !LEVELS[level]!.includes(token.text)) return left;
      this.#next();
      left = { kind: 'binary', op: token.text, left, right: this.#binary(level + 1) };
    }
  }

  #unary(): Expr {
    const token = this.#peek();
    if (token.kind === 'op' && (token.text === '-' || token.text === '+' || token.text === '~')) {
      this.#next();
      return { kind: 'unary', op: token.text, operand: this.#nested(() => this.#unary()) };
    }
    if (token.kind === 'keyword' && token.text === 'NOT') {
      this.#next();
      return { kind: 'unary', op: 'NOT', operand: this.#nested(() => this.#unary()) };
    }
    return this.#path(this.#primary());
  }

  #primary(): Expr {
    const token = this.#next();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'param':
        return { kind: 'param', name: token.text };
      case 'keyword':
        return this.#keywordPrimary(token);
      case 'ident':
        if (this.#acceptOp('(')) return this.#call(token.text);
        return { kind: 'ref', name: token.text };
      case 'op':
        if (token.text === '(') {
          if (this.#peekKeyword('SELECT')) {
            const query = this.query();
            this.#op(')');
            return { kind: 'subquery', mode: 'scalar', query };
          }
          const inner = this.expr();
          this.#op(')');
          return inner;
        }
        if (token.text === '[') return { kind: 'array', items: this.#until(']', () => this.expr()) };
        if (token.text === '{') return { kind: 'object', entries: this.#until('}', () => this.#objectEntry()) };
    }
    throw QueryError.syntax(`incorrect syntax near ${describe(token)}`, token.at);
  }

  #keywordPrimary(token: Token & { kind: 'keyword' }): Expr {
    switch (token.text) {
      case 'TRUE':
        return { kind: 'literal', value: true };
      case 'FALSE':
        return { kind: 'literal', value: false };
      case 'NULL':
        return { kind: 'literal', value: null };
      case 'UNDEFINED':
        return { kind: 'literal', value: undefined };
      case 'EXISTS':
      case 'ARRAY': {
        this.#op('(');
        const query = this.query();
        this.#op(')');
        return { kind: 'subquery', mode: token.text === 'EXISTS' ? 'exists' : 'array', query };
      }
      case 'UDF':
        throw QueryError.unsupported('user-defined functions (udf.*)');
      case 'RANK':
        throw QueryError.unsupported('RANK (full-text and hybrid search)');
    }
    // Keywords that are also ordinary names where an expression may stand.
    if (token.text === 'VALUE' || token.text === 'LIMIT' || token.text === 'OFFSET') return { kind: 'ref', name: token.original };
    throw QueryError.syntax(`incorrect syntax near '${token.text}'`, token.at);
  }

  #call(name: string): Expr {
    const upper = name.toUpperCase();
    const args = this.#until(')', () => this.expr());
    if (AGGREGATES.has(upper)) {
      if (args.length !== 1) throw QueryError.semantic(`The aggregate function '${upper}' takes exactly one argument, ${args.length} given.`);
      return { kind: 'aggregate', name: upper, arg: args[0]! };
    }
    return { kind: 'call', name: upper, args };
  }

  #objectEntry(): [string, Expr] {
    const token = this.#next();
    const key = token.kind === 'string' ? token.value : token.kind === 'ident' ? token.text : token.kind === 'keyword' ? token.original : undefined;
    if (key === undefined) throw QueryError.syntax(`incorrect syntax near ${describe(token)} in an object`, token.at);
    this.#op(':');
    return [key, this.expr()];
  }

  #until<T>(close: string, item: () => T): T[] {
    if (this.#acceptOp(close)) return [];
    const items = this.#list(item);
    this.#op(close);
    return items;
  }

  #list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.#acceptOp(',')) items.push(item());
    return items;
  }

  #propertyName(): string {
    const token = this.#next();
    // A keyword after '.' is an ordinary property name (c.value), in the case it was written.
    if (token.kind === 'ident') return token.text;
    if (token.kind === 'keyword') return token.original;
    throw QueryError.syntax(`a property name must follow '.', found ${describe(token)}`, token.at);
  }

  #identifier(): string {
    const token = this.#next();
    if (token.kind === 'ident') return token.text;
    throw QueryError.syntax(`expected a name, found ${describe(token)}`, token.at);
  }

  #keyword(text: string): void {
    const token = this.#next();
    if (token.kind !== 'keyword' || token.text !== text) throw QueryError.syntax(`expected ${text}, found ${describe(token)}`, token.at);
  }

  #op(text: string): void {
    const token = this.#next();
    if (token.kind !== 'op' || token.text !== text) throw QueryError.syntax(`expected '${text}', found ${describe(token)}`, token.at);
  }

  #accept(kind: 'keyword', text: string): boolean {
    if (!this.#peekKeyword(text)) return false;
    this.#at++;
    return true;
  }

  #acceptOp(text: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'op' || token.text !== text) return false;
    this.#at++;
    return true;
  }

  #peekKeyword(text: string, ahead = 0): boolean {
    const token = this.tokens[this.#at + ahead] ?? this.tokens[this.tokens.length - 1]!;
    return token.kind === 'keyword' && token.text === text;
  }

  #peek(): Token {
    return this.tokens[this.#at]!;
  }

  #next(): Token {
    const token = this.tokens[this.#at]!;
    if (token.kind !== 'end') this.#at++;
    return token;
  }
}

function lastName(path: Expr): string | undefined {
  return path.kind === 'member' && !path.computed ? String((path.property as { value: unknown }).value) : undefined;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the query';
    case 'number':
      return `'${token.value}'`;
    case 'string':
      return `'"${token.value}"'`;
    default:
      return `'${token.text}'`;
  }
}
