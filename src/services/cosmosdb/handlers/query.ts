import { runQuery, type QuerySpec } from '../query/execute.js';
import { parseQuery } from '../query/parser.js';
import { badRequest } from '../errors.js';
import { isObject } from '../query/values.js';
import type { CosmosRequest, CosmosResponse } from '../request.js';
import { feedResponse } from '../responses.js';
import type { CosmosContext } from './context.js';

/** The query of a POST body: `{ query, parameters }`. */
export async function querySpecOf(request: CosmosRequest): Promise<QuerySpec> {
  const body = await request.json();
  if (!isObject(body) || typeof body.query !== 'string') throw badRequest('A query body is { "query": "SELECT ...", "parameters": [{ "name": "@p", "value": 1 }] }.');
  if (body.parameters !== undefined && !Array.isArray(body.parameters)) throw badRequest('Query "parameters" must be a list of { name, value }.');
  return { query: body.query, parameters: body.parameters as QuerySpec['parameters'] };
}

/** One page of a query (or of a plain feed, which is `SELECT * FROM root`) over `resources`. */
export function queryPage(context: CosmosContext, request: CosmosRequest, spec: QuerySpec, resources: () => readonly unknown[], feed: string, rid: string): CosmosResponse {
  const scope = JSON.stringify([request.rawPath, spec.query, spec.parameters ?? [], request.header('x-ms-documentdb-partitionkey') ?? null]);
  const page = context.pages.page(request.account.name, scope, () => runQuery(spec, resources(), request.now), request.header('x-ms-continuation'), request.header('x-ms-max-item-count'));
  return feedResponse(feed, rid, page);
}

export const READ_ALL: QuerySpec = { query: 'SELECT * FROM root' };

/**
 * The query plan the SDK asks for before a cross-partition query. Every
 * container here is one partition key range that evaluates the whole query
 * (ORDER BY, GROUP BY, aggregates, DISTINCT, TOP, OFFSET), so the plan has
 * the SDK pass results through untouched. The query is parsed, so a
 * malformed one fails here as in Azure.
 */
export async function queryPlan(request: CosmosRequest): Promise<CosmosResponse> {
  const spec = await querySpecOf(request);
  const query = parseQuery(spec.query);
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
