import type { Expr, Query } from './ast.js';
import { resolveBuiltIn, type FunctionContext } from './functions.js';
import { QueryError } from './query-error.js';
import { compareValues, isObject, queryCompare, queryEquals, setProperty, typeRank } from './values.js';

/** The values of the aliases in scope for one row: `c`, and what JOINs and iterations bind. */
export type Scope = Record<string, unknown>;

/** A compiled expression: its value for one row, or over a group of rows where aggregates appear. */
export type Compiled = (scope: Scope, group?: readonly Scope[]) => unknown;

export interface CompileContext extends FunctionContext {
  parameters: ReadonlyMap<string, unknown>;
  /** Where aggregates may appear: only in the SELECT list. */
  aggregates: boolean;
  /** Runs a subquery for one outer row. */
  subquery(query: Query, outer: Scope): unknown[];
}

/** Compiles an expression to a closure; names and arities are checked here, once, not per row. */
export function compile(expr: Expr, context: CompileContext): Compiled {
  switch (expr.kind) {
    case 'literal': {
      const { value } = expr;
      return () => value;
    }
    case 'param': {
      if (!context.parameters.has(expr.name)) throw QueryError.semantic(`The parameter ${expr.name} is used in the query but no value was given for it.`);
      const value = context.parameters.get(expr.name);
      return () => value;
    }
    case 'ref': {
      const { name } = expr;
      return (scope) => {
        if (!Object.hasOwn(scope, name)) throw QueryError.semantic(`Identifier '${name}' could not be resolved.`);
        return scope[name];
      };
    }
    case 'member':
      return member(compile(expr.object, context), expr.property.kind === 'literal' ? expr.property.value : undefined, compile(expr.property, context));
    case 'unary':
      return unary(expr.op, compile(expr.operand, context));
    case 'binary':
      return binary(expr.op, compile(expr.left, context), compile(expr.right, context));
    case 'ternary': {
      const test = compile(expr.test, context);
      const then = compile(expr.then, context);
      const otherwise = compile(expr.otherwise, context);
      return (s, g) => (test(s, g) === true ? then(s, g) : otherwise(s, g));
    }
    case 'between': {
      const value = compile(expr.value, context);
      const low = compile(expr.low, context);
      const high = compile(expr.high, context);
      return (s, g) => {
        const v = value(s, g);
        const a = queryCompare(v, low(s, g));
        const b = queryCompare(v, high(s, g));
        if (a === undefined || b === undefined) return undefined;
        return (a >= 0 && b <= 0) !== expr.negated;
      };
    }
    case 'in': {
      const value = compile(expr.value, context);
      const list = expr.list.map((e) => compile(e, context));
      return (s, g) => {
        const v = value(s, g);
        if (v === undefined) return undefined;
        return list.some((item) => queryEquals(v, item(s, g)) === true) !== expr.negated;
      };
    }
    case 'like':
      return like(compile(expr.value, context), compile(expr.pattern, context), expr.escape && compile(expr.escape, context), expr.negated);
    case 'call': {
      const args = expr.args.map((e) => compile(e, context));
      const fn = resolveBuiltIn(expr.name, args.length);
      return (s, g) => fn(args.map((a) => a(s, g)), context);
    }
    case 'aggregate':
      if (!context.aggregates) throw QueryError.semantic(`The aggregate function ${expr.name} may appear only in the SELECT list.`);
      return aggregate(expr.name, compile(expr.arg, { ...context, aggregates: false }));
    case 'array': {
      const items = expr.items.map((e) => compile(e, context));
      // Undefined elements of an array literal are dropped, as Cosmos DB does.
      return (s, g) => items.map((i) => i(s, g)).filter((v) => v !== undefined);
    }
    case 'object': {
      const entries = expr.entries.map(([k, e]) => [k, compile(e, context)] as const);
      return (s, g) => {
        const out: Record<string, unknown> = {};
        for (const [k, e] of entries) {
          const v = e(s, g);
          if (v !== undefined) setProperty(out, k, v);
        }
        return out;
      };
    }
    case 'subquery': {
      const { query, mode } = expr;
      return (s) => {
        const rows = context.subquery(query, s);
        if (mode === 'exists') return rows.length > 0;
        if (mode === 'array') return rows;
        return rows[0];
      };
    }
  }
}

function member(object: Compiled, literal: unknown, property: Compiled): Compiled {
  if (typeof literal === 'string') {
    return (s, g) => {
      const o = object(s, g);
      return isObject(o) && Object.hasOwn(o, literal) ? o[literal] : undefined;
    };
  }
  return (s, g) => {
    const o = object(s, g);
    const key = property(s, g);
    if (Array.isArray(o)) return typeof key === 'number' && Number.isInteger(key) ? o[key] : undefined;
    return isObject(o) && typeof key === 'string' && Object.hasOwn(o, key) ? o[key] : undefined;
  };
}

const num = (v: unknown): v is number => typeof v === 'number';

function unary(op: string, operand: Compiled): Compiled {
  switch (op) {
    case '-':
      return (s, g) => { const v = operand(s, g); return num(v) ? -v : undefined; };
    case '+':
      return (s, g) => { const v = operand(s, g); return num(v) ? v : undefined; };
    case '~':
      return (s, g) => { const v = operand(s, g); return num(v) ? ~v : undefined; };
    default:
      return (s, g) => { const v = operand(s, g); return typeof v === 'boolean' ? !v : undefined; };
  }
}

function arithmetic(fn: (a: number, b: number) => number): (a: unknown, b: unknown) => unknown {
  return (a, b) => {
    if (!num(a) || !num(b)) return undefined;
    const result = fn(a, b);
    return Number.isFinite(result) ? result : undefined;
  };
}

const COMPARE: Record<string, (n: number) => boolean> = {
  '<': (n) => n < 0,
  '<=': (n) => n <= 0,
  '>': (n) => n > 0,
  '>=': (n) => n >= 0,
};

const OPERATIONS: Record<string, (a: unknown, b: unknown) => unknown> = {
  '+': arithmetic((a, b) => a + b),
  '-': arithmetic((a, b) => a - b),
  '*': arithmetic((a, b) => a * b),
  '/': arithmetic((a, b) => a / b),
  '%': arithmetic((a, b) => a % b),
  '&': arithmetic((a, b) => a & b),
  '|': arithmetic((a, b) => a | b),
  '^': arithmetic((a, b) => a ^ b),
  '<<': arithmetic((a, b) => a << b),
  '>>': arithmetic((a, b) => a >> b),
  '>>>': arithmetic((a, b) => a >>> b),
  '||': (a, b) => (typeof a === 'string' && typeof b === 'string' ? a + b : undefined),
  '=': queryEquals,
  '!=': (a, b) => {
    // Cosmos DB: != between two objects or arrays is undefined, unlike =.
    if (typeRank(a) >= 5) return undefined;
    const eq = queryEquals(a, b);
    return eq === undefined ? undefined : !eq;
  },
};

function binary(op: string, left: Compiled, right: Compiled): Compiled {
  if (op === 'AND') {
    return (s, g) => {
      const a = left(s, g);
      if (a === false) return false;
      const b = right(s, g);
      if (b === false) return false;
      return a === true && b === true ? true : undefined;
    };
  }
  if (op === 'OR') {
    return (s, g) => {
      const a = left(s, g);
      if (a === true) return true;
      const b = right(s, g);
      if (b === true) return true;
      return a === false && b === false ? false : undefined;
    };
  }
  if (op === '??') {
    return (s, g) => {
      const a = left(s, g);
      return a === undefined ? right(s, g) : a;
    };
  }
  const compare = COMPARE[op];
  if (compare) {
    return (s, g) => {
      const order = queryCompare(left(s, g), right(s, g));
      return order === undefined ? undefined : compare(order);
    };
  }
  const operation = OPERATIONS[op];
  if (!operation) throw QueryError.unsupported(`the operator '${op}'`);
  return (s, g) => operation(left(s, g), right(s, g));
}

function like(value: Compiled, pattern: Compiled, escape: Compiled | undefined, negated: boolean): Compiled {
  const cache = new Map<string, LikeToken[]>();
  return (s, g) => {
    const v = value(s, g);
    const p = pattern(s, g);
    const e = escape?.(s, g);
    if (typeof v !== 'string' || typeof p !== 'string' || (e !== undefined && typeof e !== 'string')) return undefined;
    const key = `${e ?? ''}\u0000${p}`;
    let tokens = cache.get(key);
    if (!tokens) cache.set(key, (tokens = likeTokens(p, e)));
    return likeMatches(tokens, v) !== negated;
  };
}

/** One element of a LIKE pattern: `%`, or a test of one character (a literal, `_`, a `[...]` set). */
type LikeToken = '%' | ((c: string) => boolean);

function likeTokens(pattern: string, escape: string | undefined): LikeToken[] {
  const tokens: LikeToken[] = [];
  const literal = (c: string) => tokens.push((x) => x === c);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== undefined && c === escape && i + 1 < pattern.length) literal(pattern[++i]!);
    else if (c === '%') {
      if (tokens[tokens.length - 1] !== '%') tokens.push('%');
    } else if (c === '_') tokens.push(() => true);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) literal('[');
      else {
        const body = pattern.slice(i + 1, end);
        const set = body.startsWith('^') ? `[^${body.slice(1).replace(/[\\\]]/g, '\\$&')}]` : `[${body.replace(/[\\\]]/g, '\\$&')}]`;
        let regex: RegExp;
        try {
          regex = new RegExp(set);
        } catch {
          throw QueryError.semantic(`The LIKE pattern '${pattern}' has a set [${body}] whose range runs backwards; write the lower character first, as in [a-z].`);
        }
        tokens.push((x) => regex.test(x));
        i = end;
      }
    } else literal(c);
  }
  return tokens;
}

/**
 * Matches a LIKE pattern, backtracking only to the latest `%`: at most
 * text × pattern steps. A backtracking regex of the same pattern takes
 * exponential time on patterns such as '%a%a%a%a%a%a%a%ab', which froze
 * the whole process (every emulator in it) on one query.
 */
function likeMatches(tokens: LikeToken[], text: string): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const token = tokens[p];
    if (token === '%') {
      star = p++;
      resume = t;
    } else if (token !== undefined && token(text[t]!)) {
      t++;
      p++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (tokens[p] === '%') p++;
  return p === tokens.length;
}

function aggregate(name: string, arg: Compiled): Compiled {
  return (_scope, group) => {
    if (!group) throw QueryError.semantic(`The aggregate function ${name} may appear only in the SELECT list.`);
    const values: unknown[] = [];
    for (const row of group) {
      const v = arg(row);
      if (v !== undefined) values.push(v);
    }
    switch (name) {
      case 'COUNT':
        return values.length;
      case 'SUM':
        return values.every(num) ? values.reduce((a: number, b) => a + (b as number), 0) : undefined;
      case 'AVG':
        return values.length > 0 && values.every(num) ? values.reduce((a: number, b) => a + (b as number), 0) / values.length : undefined;
      default: {
        // MIN and MAX order mixed primitive types the way ORDER BY does; arrays and objects make the result undefined.
        if (values.length === 0 || values.some((v) => typeRank(v) >= 5)) return undefined;
        const sign = name === 'MIN' ? -1 : 1;
        return values.reduce((best, v) => (compareValues(v, best) * sign > 0 ? v : best));
      }
    }
  };
}
