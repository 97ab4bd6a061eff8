import type { ServiceContext } from '../../core/service.js';
import { corsRulesOf } from '../storage-common/cors.js';
import { createStorageDispatcher } from '../storage-common/dispatcher.js';
import { odataJsonErrorBody } from '../storage-common/json-error-body.js';
import { sharedSeedLoader } from '../storage-common/shared-seed.js';
import { StorageService } from '../storage-common/storage-service.js';
import { tableAuthorizer } from './auth.js';
import { inspectTables } from './inspect.js';
import { splitTablePath } from './resource.js';
import { accessFor, tableRoutes } from './routes.js';
import { applyTableSeed, readTableSeed } from './seed.js';
import { TableStore } from './store.js';

/**
 * The Azure Table service, in process: the unmodified `@azure/data-tables`
 * clients talk to it over HTTP with path-style URLs
 * (`http://127.0.0.1:<port>/<account>/<table>`), in OData JSON. Timestamps
 * and SAS expiry follow the context's clock.
 *
 * @example
 * await using table = new TableService();
 * await table.start();
 * const client = new TableClient(table.getEndpoint(DEFAULT_ACCOUNT)!.url, 'people', new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key), { allowInsecureConnection: true });
 */
export class TableService extends StorageService {
  constructor(context: Partial<ServiceContext> = {}) {
    super(context, (ctx) => {
      const store = new TableStore(ctx.limits?.maxStoredBytes);
      const authorize = tableAuthorizer(store);
      return {
        name: 'table',
        description: 'Azure Table Storage emulator (in process)',
        connectionStringKey: 'TableEndpoint',
        store,
        listener: createStorageDispatcher({
          service: 'table',
          routes: tableRoutes(store, authorize),
          namespaces: ctx.namespaces,
          clock: ctx.clock,
          logger: ctx.logger,
          splitPath: splitTablePath,
          cors: (account) => corsRulesOf(store.serviceProperties(account)),
          authorize: (request, route) => authorize(request, { access: accessFor(route.access, request) }),
          renderError: odataJsonErrorBody,
        }),
        loadSeed: sharedSeedLoader(() => readTableSeed(ctx.seed), (account, seed) => applyTableSeed(store, account, seed, ctx.clock.now())),
        inspect: (account) => inspectTables(store, account),
      };
    });
  }
}

export default TableService;
