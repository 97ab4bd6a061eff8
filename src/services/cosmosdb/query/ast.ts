/** The parsed form of a Cosmos DB NoSQL query. */
export type Expr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'param'; name: string }
  | { kind: 'ref'; name: string }
  | { kind: 'member'; object: Expr; property: Expr; computed: boolean }
  | { kind: 'unary'; op: string; operand: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'ternary'; test: Expr; then: Expr; otherwise: Expr }
  | { kind: 'between'; value: Expr; low: Expr; high: Expr; negated: boolean }
  | { kind: 'in'; value: Expr; list: Expr[]; negated: boolean }
  | { kind: 'like'; value: Expr; pattern: Expr; escape?: Expr; negated: boolean }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'aggregate'; name: string; arg: Expr }
  | { kind: 'array'; items: Expr[] }
  | { kind: 'object'; entries: Array<[string, Expr]> }
  | { kind: 'subquery'; mode: 'scalar' | 'exists' | 'array'; query: Query };

export interface SelectItem {
  expr: Expr;
  alias?: string;
}

export type Selection = { kind: 'star' } | { kind: 'value'; expr: Expr } | { kind: 'list'; items: SelectItem[] };

/**
 * One input set of FROM or JOIN: the container itself (`FROM c`), a path in
 * it (`FROM c.children ch`), an iteration (`ch IN c.children`) or a
 * subquery (`(SELECT ...) AS t`).
 */
export type Source =
  | { kind: 'container'; root: string; alias: string; path: Expr[] }
  | { kind: 'iterate'; alias: string; over: Expr }
  | { kind: 'subquery'; alias: string; query: Query };

export interface OrderItem {
  expr: Expr;
  descending: boolean;
}

export interface Query {
  distinct: boolean;
  top?: Expr;
  selection: Selection;
  from: Source[];
  where?: Expr;
  groupBy?: Expr[];
  orderBy?: OrderItem[];
  offset?: Expr;
  limit?: Expr;
}

/** The direct sub-expressions of an expression; a subquery's own expressions are not among them. */
export function children(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'member':
      return [expr.object, expr.property];
    case 'unary':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'ternary':
      return [expr.test, expr.then, expr.otherwise];
    case 'between':
      return [expr.value, expr.low, expr.high];
    case 'in':
      return [expr.value, ...expr.list];
    case 'like':
      return [expr.value, expr.pattern, ...(expr.escape ? [expr.escape] : [])];
    case 'call':
      return expr.args;
    case 'aggregate':
      return [expr.arg];
    case 'array':
      return expr.items;
    case 'object':
      return expr.entries.map(([, e]) => e);
    default:
      return [];
  }
}

/** Every expression a query holds directly: selection, sources, filters, grouping, ordering and paging. */
export function queryExpressions(query: Query): Expr[] {
  const { selection } = query;
  const selected = selection.kind === 'value' ? [selection.expr] : selection.kind === 'list' ? selection.items.map((i) => i.expr) : [];
  const sources = query.from.flatMap((s) => (s.kind === 'container' ? s.path : s.kind === 'iterate' ? [s.over] : []));
  return [
    ...selected,
    ...sources,
    ...(query.top ? [query.top] : []),
    ...(query.where ? [query.where] : []),
    ...(query.groupBy ?? []),
    ...(query.orderBy ?? []).map((o) => o.expr),
    ...(query.offset ? [query.offset] : []),
    ...(query.limit ? [query.limit] : []),
  ];
}
