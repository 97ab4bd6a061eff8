import { createContext, Script } from 'node:vm';
import { children, queryExpressions, type Expr, type Query, type Selection, type Source } from './ast.js';
import { compile, type CompileContext, type Compiled, type Scope } from './compile.js';
import { parseQuery } from './parser.js';
import { QueryError } from './query-error.js';
import { compareValues, distinctValues, setProperty, valueKey } from './values.js';

/** Cosmos DB's maxSqlQueryInputLength. */
const MAX_QUERY_LENGTH = 262_144;

export interface QuerySpec {
  query: string;
  parameters?: Array<{ name: string; value: unknown }>;
}

/**
 * Runs a query over one container's documents (or any list of resources:
 * databases, containers, offers) and returns every result in order. The
 * caller pages them. `now` is the emulators' clock, read once per query.
 */
export function runQuery(spec: QuerySpec, documents: readonly unknown[], now: number): unknown[] {
  if (spec.query.length > MAX_QUERY_LENGTH) throw QueryError.semantic(`The query text is longer than ${MAX_QUERY_LENGTH} characters, Cosmos DB's limit.`);
  const query = parseQuery(spec.query);
  checkGroupBy(query);
  const parameters = new Map<string, unknown>();
  for (const p of spec.parameters ?? []) {
    if (typeof p?.name !== 'string') throw QueryError.semantic('Every query parameter needs a "name" such as "@id".');
    parameters.set(p.name.startsWith('@') ? p.name : `@${p.name}`, p.value);
  }
  const runner = new Runner(documents, parameters, now);
  if (!USES_REGEX.test(spec.query)) return runner.run(query, undefined);
  return withDeadline(() => runner.run(query, undefined));
}

/**
 * How long a query calling RegexMatch may run. A JavaScript regex backtracks
 * without bound (`^(a+)+$` against a long near-match), and the emulator shares
 * its thread with every other emulator and the tests, so one pattern must not
 * freeze them all. Other queries run unguarded: the watchdog thread costs
 * about 0.1 ms a query.
 */
const REGEX_QUERY_DEADLINE_MS = 2_000;
const USES_REGEX = /\bREGEXMATCH\s*\(/i;
const guarded = new Script('run()');
const sandbox = createContext({ run: undefined });

// A vm timeout interrupts whatever JavaScript runs under it, the engine's own functions included.
function withDeadline<T>(run: () => T): T {
  sandbox.run = run;
  try {
    return guarded.runInContext(sandbox, { timeout: REGEX_QUERY_DEADLINE_MS }) as T;
  } catch (error) {
    if ((error as { code?: unknown })?.code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    throw QueryError.stopped(
      `The query ran for over ${REGEX_QUERY_DEADLINE_MS / 1000} s and was stopped: a RegexMatch pattern that backtracks without end (nested repetition such as (a+)+) is the usual cause; rewrite the pattern without nested quantifiers.`,
    );
  } finally {
    sandbox.run = undefined;
  }
}

class Runner {
  constructor(
    private readonly documents: readonly unknown[],
    private readonly parameters: ReadonlyMap<string, unknown>,
    private readonly now: number,
  ) {}

  #context(aggregates: boolean): CompileContext {
    return { parameters: this.parameters, now: this.now, aggregates, subquery: (query, outer) => this.run(query, outer) };
  }

  run(query: Query, outer: Scope | undefined): unknown[] {
    const plain = this.#context(false);
    let rows = this.#bind(query.from, outer, plain);
    if (query.where) {
      const where = compile(query.where, plain);
      rows = rows.filter((row) => where(row) === true);
    }
    const grouped = query.groupBy !== undefined || hasAggregate(query.selection);
    let results: unknown[];
    if (grouped) {
      if (query.orderBy) throw QueryError.unsupported('ORDER BY together with aggregates');
      results = this.#group(query, rows);
    } else {
      if (query.orderBy) rows = this.#order(query, rows);
      const project = this.#projection(query.selection, query.from, plain);
      results = [];
      for (const row of rows) {
        const value = project(row);
        if (value !== undefined) results.push(value);
      }
    }
    if (query.distinct) results = distinctValues(results);
    const offset = this.#count(query.offset, 'OFFSET');
    const limit = this.#count(query.limit, 'LIMIT');
    if (offset !== undefined) results = results.slice(offset, offset + limit!);
    const top = this.#count(query.top, 'TOP');
    if (top !== undefined) results = results.slice(0, top);
    return results;
  }

  /** Every combination of FROM and JOIN bindings, in document order. */
  #bind(from: Source[], outer: Scope | undefined, context: CompileContext): Scope[] {
    const base: Scope = outer ? { ...outer } : Object.create(null);
    if (from.length === 0) return [base];
    let rows = this.#first(from[0]!, base, outer !== undefined, context);
    for (const source of from.slice(1)) {
      const next: Scope[] = [];
      for (const row of rows) for (const value of this.#values(source, row, context)) next.push({ ...row, [source.alias]: value });
      rows = next;
    }
    return rows;
  }

  #first(source: Source, base: Scope, nested: boolean, context: CompileContext): Scope[] {
    if (source.kind === 'subquery') return this.run(source.query, nested ? base : undefined).map((value) => ({ ...base, [source.alias]: value }));
    if (nested) {
      // A subquery ranges over values of the outer row, never over the container again.
      if (source.kind === 'container') {
        if (!(source.root in base)) throw QueryError.semantic(`Identifier '${source.root}' could not be resolved: a subquery ranges over values of the enclosing row.`);
        const value = this.#follow(source, base, context);
        return value === undefined ? [] : [{ ...base, [source.alias]: value }];
      }
      return this.#values(source, base, context).map((value) => ({ ...base, [source.alias]: value }));
    }
    const rows: Scope[] = [];
    if (source.kind === 'container') {
      const simple = source.path.length === 0;
      for (const doc of this.documents) {
        const value = simple ? doc : this.#follow(source, { [source.root]: doc }, context);
        if (value === undefined) continue;
        const row: Scope = Object.create(null);
        row[source.alias] = value;
        rows.push(row);
      }
      return rows;
    }
    // FROM x IN c.children: the name at the root of the path stands for each document.
    const root = rootName(source.over);
    if (root === undefined) throw QueryError.semantic(`FROM ${source.alias} IN ... must range over a path of the container, such as c.children.`);
    const over = compile(source.over, context);
    for (const doc of this.documents) {
      const values = over({ [root]: doc });
      if (!Array.isArray(values)) continue;
      for (const value of values) {
        const row: Scope = Object.create(null);
        row[source.alias] = value;
        rows.push(row);
      }
    }
    return rows;
  }

  #follow(source: Source & { kind: 'container' }, scope: Scope, context: CompileContext): unknown {
    let value: unknown = scope[source.root];
    for (const step of source.path) {
      const key = compile(step, context)(scope);
      if (Array.isArray(value) && typeof key === 'number') value = value[key];
      else if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof key === 'string' && Object.hasOwn(value, key)) value = (value as Record<string, unknown>)[key];
      else return undefined;
    }
    return value;
  }

  #values(source: Source, row: Scope, context: CompileContext): unknown[] {
    if (source.kind === 'iterate') {
      const values = compile(source.over, context)(row);
      return Array.isArray(values) ? values : [];
    }
    if (source.kind === 'subquery') return this.run(source.query, row);
    throw QueryError.semantic(`JOIN needs an iteration such as 'JOIN t IN ${source.root}.tags'.`);
  }

  #order(query: Query, rows: Scope[]): Scope[] {
    for (const item of query.orderBy!) {
      // As in Azure, which orders through the index: a computed ORDER BY would pass here and fail there.
      if (!isPath(item.expr)) throw QueryError.semantic('Unsupported ORDER BY clause. ORDER BY item expression could not be mapped to a document path.');
    }
    const plain = this.#context(false);
    const keys = query.orderBy!.map((item) => ({ get: compile(item.expr, plain), sign: item.descending ? -1 : 1 }));
    const decorated = rows.map((row, index) => ({ row, index, values: keys.map((k) => k.get(row)) }));
    decorated.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const order = compareValues(a.values[i], b.values[i]) * keys[i]!.sign;
        if (order !== 0) return order;
      }
      return a.index - b.index;
    });
    return decorated.map((d) => d.row);
  }

  #group(query: Query, rows: Scope[]): unknown[] {
    if (query.selection.kind === 'star') throw QueryError.semantic("'SELECT *' is not valid with GROUP BY or aggregates; name what to select.");
    const groupBy = query.groupBy ?? [];
    const groupKeys = new Set(groupBy.map((e) => JSON.stringify(e)));
    for (const expr of selectedExpressions(query.selection)) checkGrouped(expr, groupKeys, query.groupBy !== undefined);
    const project = this.#projection(query.selection, query.from, this.#context(true));
    if (groupBy.length === 0) {
      const value = project(rows[0] ?? Object.create(null), rows);
      return value === undefined ? [] : [value];
    }
    const plain = this.#context(false);
    const keyOf = groupBy.map((e) => compile(e, plain));
    const groups = new Map<string, Scope[]>();
    for (const row of rows) {
      const key = keyOf.map((k) => valueKey(k(row))).join('\u0000');
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    const results: unknown[] = [];
    for (const group of groups.values()) {
      const value = project(group[0]!, group);
      if (value !== undefined) results.push(value);
    }
    return results;
  }

  #projection(selection: Selection, from: Source[], context: CompileContext): Compiled {
    if (selection.kind === 'star') {
      if (from.length !== 1) throw QueryError.semantic("'SELECT *' is only valid with a single input set; with JOIN, select the aliases you want.");
      const alias = from[0]!.alias;
      return (row) => row[alias];
    }
    if (selection.kind === 'value') return compile(selection.expr, context);
    let unnamed = 0;
    const names = new Set<string>();
    const items = selection.items.map((item) => {
      const name = item.alias ?? inferredName(item.expr) ?? `$${++unnamed}`;
      if (names.has(name)) throw QueryError.semantic(`The property name '${name}' is selected more than once; give one of them an alias with AS.`);
      names.add(name);
      return { name, get: compile(item.expr, context) };
    });
    return (row, group) => {
      const out: Record<string, unknown> = {};
      for (const { name, get } of items) {
        const value = get(row, group);
        if (value !== undefined) setProperty(out, name, value);
      }
      return out;
    };
  }

  #count(expr: Expr | undefined, clause: string): number | undefined {
    if (!expr) return undefined;
    const value = compile(expr, this.#context(false))(Object.create(null));
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw QueryError.semantic(`The ${clause} value must be a non-negative integer, got ${JSON.stringify(value) ?? 'undefined'}.`);
    }
    return value;
  }
}

/** `c`, `c.a.b`, `c["a"][0]`: a property path from an alias. */
function isPath(expr: Expr): boolean {
  if (expr.kind === 'ref') return true;
  return expr.kind === 'member' && expr.property.kind === 'literal' && isPath(expr.object);
}

function rootName(expr: Expr): string | undefined {
  if (expr.kind === 'ref') return expr.name;
  if (expr.kind === 'member') return rootName(expr.object);
  return undefined;
}

function inferredName(expr: Expr): string | undefined {
  if (expr.kind === 'ref') return expr.name;
  if (expr.kind === 'member' && !expr.computed && expr.property.kind === 'literal') return String(expr.property.value);
  return undefined;
}

function selectedExpressions(selection: Selection): Expr[] {
  if (selection.kind === 'value') return [selection.expr];
  if (selection.kind === 'list') return selection.items.map((i) => i.expr);
  return [];
}

function hasAggregate(selection: Selection): boolean {
  return selectedExpressions(selection).some(containsAggregate);
}

function containsAggregate(expr: Expr): boolean {
  return some(expr, (e) => e.kind === 'aggregate');
}

/**
 * The limits the GROUP BY reference states, checked on the query and every
 * query nested in it before any row is read: no ORDER BY with GROUP BY, each
 * grouping expression refers to a property and holds no subquery, and an
 * aggregate does not range over a subquery that groups.
 */
function checkGroupBy(query: Query): void {
  if (query.groupBy && query.orderBy) throw QueryError.semantic('Cosmos DB does not allow ORDER BY together with GROUP BY.');
  for (const expr of query.groupBy ?? []) {
    if (some(expr, (e) => e.kind === 'subquery')) throw QueryError.semantic('A GROUP BY expression cannot contain a subquery.');
    if (!some(expr, (e) => e.kind === 'ref')) throw QueryError.semantic('Each GROUP BY expression must refer to at least one property, such as c.city.');
  }
  if (hasAggregate(query.selection) && query.from.some((s) => s.kind === 'subquery' && s.query.groupBy !== undefined)) {
    throw QueryError.semantic('Cosmos DB does not support an aggregate over a subquery with GROUP BY.');
  }
  for (const source of query.from) if (source.kind === 'subquery') checkGroupBy(source.query);
  for (const nested of queryExpressions(query).flatMap(subqueriesIn)) checkGroupBy(nested);
}

function subqueriesIn(expr: Expr): Query[] {
  return expr.kind === 'subquery' ? [expr.query] : children(expr).flatMap(subqueriesIn);
}

/** Whether `test` holds for the expression or one inside it; a subquery's own expressions are not inside it. */
function some(expr: Expr, test: (e: Expr) => boolean): boolean {
  return test(expr) || children(expr).some((child) => some(child, test));
}

/** A grouped SELECT may use the GROUP BY expressions, aggregates and constants, nothing else of the rows. */
function checkGrouped(expr: Expr, groupKeys: Set<string>, explicit: boolean): void {
  if (expr.kind === 'aggregate' || groupKeys.has(JSON.stringify(expr))) return;
  if (expr.kind === 'ref' || (expr.kind === 'subquery')) {
    throw QueryError.semantic(
      explicit
        ? "Every expression in the SELECT list of a GROUP BY query must be one of the GROUP BY expressions or an aggregate."
        : 'Aggregates cannot be mixed with other expressions of the rows in a SELECT list without GROUP BY.',
    );
  }
  for (const child of children(expr)) checkGrouped(child, groupKeys, explicit);
}


