import type { JournalFilter, RequestJournal } from '../core/request-journal.js';
import { HttpError, type ControlRoute } from './control-server.js';

/**
 * `/_localzure/requests`: what the emulators served since each namespace's
 * last reset. GET filters by `service`, `operation`, `status` (`503` or
 * `5xx`) and `namespace`; DELETE forgets one namespace's requests (all
 * without `namespace`).
 */
export function requestRoutes(journal: RequestJournal, namespaceOf: (query: URLSearchParams) => string | undefined): ControlRoute[] {
  return [
    {
      method: 'GET',
      path: 'requests',
      handler: ({ query }) => {
        const status = query.get('status') ?? undefined;
        if (status !== undefined && !/^([1-5]\d\d|[1-5]xx)$/i.test(status)) {
          throw new HttpError(400, 'InvalidInput', `status is an HTTP status such as 503 or a class such as 5xx, got "${status}".`);
        }
        const filter: JournalFilter = {
          namespace: namespaceOf(query),
          service: query.get('service') ?? undefined,
          operation: query.get('operation') ?? undefined,
          status,
        };
        return journal.list(filter);
      },
    },
    {
      method: 'DELETE',
      path: 'requests',
      handler: ({ query }) => {
        journal.clear({ namespace: namespaceOf(query) });
        return { cleared: true };
      },
    },
  ];
}
