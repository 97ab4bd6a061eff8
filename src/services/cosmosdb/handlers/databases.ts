import type { CosmosRequest, CosmosResponse } from '../request.js';
import { resourceResponse } from '../responses.js';
import { databaseOf, isQuery, throughputOf, type CosmosContext } from './context.js';
import { queryPage, querySpecOf, READ_ALL } from './query.js';

export async function createOrQueryDatabases(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const resources = () => context.store.databases(request.account.name).map((d) => d.resource);
  if (isQuery(request)) return queryPage(context, request, await querySpecOf(request), resources, 'Databases', '');
  const database = context.store.createDatabase(request.account.name, await request.json(), throughputOf(request), request.now);
  return resourceResponse(201, database.resource);
}

export function listDatabases(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  return queryPage(context, request, READ_ALL, () => context.store.databases(request.account.name).map((d) => d.resource), 'Databases', '');
}

export function readDatabase(context: CosmosContext, request: CosmosRequest): CosmosResponse {
  return resourceResponse(200, databaseOf(context, request).resource);
}

export function deleteDatabase(context: CosmosContext, request: CosmosRequest): CosmosResponse {
  context.store.deleteDatabase(request.account.name, request.segments[1]!);
  return { status: 204 };
}
