import { queryEngine } from '../query/engine.js';
import type { QuerySpec } from '../query/execute.js';
import { children, type Expr, type Query } from '../query/ast.js';
import { badRequest } from '../errors.js';
import { isObject } from '../query/values.js';
import type { CosmosRequest, CosmosResponse } from '../request.js';
import { feedResponse } from '../responses.js';
import type { ContainerState } from '../store.js';
import type { CosmosContext } from './context.js';

/** The query of a POST body: `{ query, parameters }`. */
export async function querySpecOf(request: CosmosRequest): Promise<QuerySpec> {
  const body = await request.json();
  if (!isObject(body) || typeof body.query !== 'string') throw badRequest('A query body is { "query": "SELECT ...", "parameters": [{ "name": "@p", "value": 1 }] }.');
  if (body.parameters !== undefined && !Array.isArray(body.parameters)) throw badRequest('Query "parameters" must be a list of { name, value }.');
  return { query: body.query, parameters: body.parameters as QuerySpec['parameters'] };
}

/** One page of a query (or of a plain feed, which is `SELECT * FROM root`) over `resources`. */
export async function queryPage(context: CosmosContext, request: CosmosRequest, spec: QuerySpec, resources: () => readonly unknown[], feed: string, rid: string): Promise<CosmosResponse> {
  const { runQuery } = await queryEngine();
  // A continuation belongs to one query over one part of the container: its partition key, partition key range and feed range.
  const part = ['x-ms-documentdb-partitionkey', 'x-ms-documentdb-partitionkeyrangeid', 'x-ms-start-epk', 'x-ms-end-epk'].map((name) => request.header(name) ?? null);
  const scope = JSON.stringify([request.rawPath, spec.query, spec.parameters ?? [], ...part]);
  const page = context.pages.page(request.account.name, scope, () => runQuery(spec, resources(), request.now), request.header('x-ms-continuation'), request.header('x-ms-max-item-count'));
  return feedResponse(feed, rid, page);
}

export const READ_ALL: QuerySpec = { query: 'SELECT * FROM root' };

/**
 * The query plan the SDK asks for before a cross-partition query. A
 * container of one partition key range evaluates the whole query (ORDER BY,
 * GROUP BY, aggregates, DISTINCT, TOP, OFFSET) there, so the plan has the
 * SDK pass results through untouched. Over several ranges the SDK would
 * concatenate each range's answer, which is right only for queries that
 * need no merging: the others are refused, naming what needs merging. The
 * query is parsed, so a malformed one fails here as in Azure.
 */
export async function queryPlan(request: CosmosRequest, container: ContainerState): Promise<CosmosResponse> {
  const spec = await querySpecOf(request);
  const query = (await queryEngine()).parseQuery(spec.query);
  if (container.partitionCount > 1) {
    const merged = mergedConstruct(query);
    if (merged) {
      throw badRequest(`LocalZure's Cosmos DB emulator does not plan ${merged} across the ${container.partitionCount} partition key ranges of this container yet: give the query a partition key, or leave forceQueryPlan off so the emulator evaluates it whole.`);
    }
  }
  return {
    status: 200,
    body: {
      partitionedQueryExecutionInfoVersion: 2,
      queryInfo: {
        distinctType: 'None',
        top: null,
        offset: null,
        limit: null,
        orderBy: [],
        orderByExpressions: [],
        groupByExpressions: [],
        groupByAliases: [],
        aggregates: [],
        groupByAliasToAggregateType: {},
        rewrittenQuery: '',
        hasSelectValue: query.selection.kind === 'value',
        dCountInfo: null,
        hasNonStreamingOrderBy: false,
      },
      queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
    },
  };
}

/** The first construct of a query whose per-range answers the SDK would have to merge, or undefined. */
function mergedConstruct(query: Query): string | undefined {
  if (query.distinct) return 'DISTINCT';
  if (query.top) return 'TOP';
  if (query.orderBy?.length) return 'ORDER BY';
  if (query.groupBy?.length) return 'GROUP BY';
  if (query.offset || query.limit) return 'OFFSET LIMIT';
  const { selection } = query;
  const selected = selection.kind === 'value' ? [selection.expr] : selection.kind === 'list' ? selection.items.map((i) => i.expr) : [];
  return selected.some(hasAggregate) ? 'an aggregate' : undefined;
}

function hasAggregate(expr: Expr): boolean {
  return expr.kind === 'aggregate' || children(expr).some(hasAggregate);
}
