import type { CosmosRequest, CosmosResponse } from '../request.js';

const LOCATION = 'LocalZure';

/**
 * The database account document. Its locations name the very address the
 * client used, so the SDK's endpoint discovery (on by default) keeps
 * talking to this emulator, on whatever random port it got.
 */
export function readAccount(request: CosmosRequest): CosmosResponse {
  const endpoint = `http://${request.host}/`;
  const locations = [{ name: LOCATION, databaseAccountEndpoint: endpoint }];
  return {
    status: 200,
    headers: { 'x-ms-max-media-storage-usage-mb': 10240, 'x-ms-media-storage-usage-mb': 0 },
    body: {
      _self: '',
      id: request.account.name,
      _rid: `${request.account.name}.documents.localzure`,
      media: '//media/',
      addresses: '//addresses/',
      _dbs: '//dbs/',
      writableLocations: locations,
      readableLocations: locations,
      enableMultipleWriteLocations: false,
      userReplicationPolicy: { asyncReplication: false, minReplicaSetSize: 1, maxReplicasetSize: 4 },
      userConsistencyPolicy: { defaultConsistencyLevel: 'Session' },
      systemReplicationPolicy: { minReplicaSetSize: 1, maxReplicasetSize: 4 },
      readPolicy: { primaryReadCoefficient: 1, secondaryReadCoefficient: 1 },
      queryEngineConfiguration: JSON.stringify({
        maxSqlQueryInputLength: 262144,
        maxJoinsPerSqlQuery: 5,
        maxLogicalAndPerSqlQuery: 500,
        maxLogicalOrPerSqlQuery: 500,
        maxUdfRefPerSqlQuery: 10,
        maxInExpressionItemsCount: 16000,
        queryMaxInMemorySortDocumentCount: 500,
        maxQueryRequestTimeoutFraction: 0.9,
        sqlAllowNonFiniteNumbers: false,
        sqlAllowAggregateFunctions: true,
        sqlAllowSubQuery: true,
        sqlAllowScalarSubQuery: true,
        allowNewKeywords: true,
        sqlAllowLike: true,
        sqlAllowGroupByClause: true,
        maxSpatialQueryCells: 12,
        spatialMaxGeometryPointCount: 256,
        sqlDisableOptimizationFlags: 0,
        sqlAllowTop: true,
        enableSpatialIndexing: true,
      }),
    },
  };
}
