import { InvalidFaultError, type FaultInjector, type FaultSpec } from '../core/fault-injector.js';
import { HttpError, type ControlRoute } from './control-server.js';

/**
 * `/_localzure/faults`: POST arms a fault (a FaultSpec as JSON) and answers
 * it with its `id`; GET lists the armed ones (`?namespace=` narrows);
 * DELETE disarms one namespace's (all without `namespace`), DELETE
 * `faults/<id>` one fault.
 */
export function faultRoutes(faults: FaultInjector, namespaceOf: (query: URLSearchParams) => string | undefined): ControlRoute[] {
  return [
    {
      method: 'POST',
      path: 'faults',
      handler: ({ body }) => {
        const spec = body as FaultSpec;
        if (typeof spec === 'object' && spec !== null && typeof spec.namespace === 'string') {
          namespaceOf(new URLSearchParams({ namespace: spec.namespace }));
        }
        try {
          return { fault: faults.add(spec) };
        } catch (error) {
          if (error instanceof InvalidFaultError) throw new HttpError(400, 'InvalidFault', error.message);
          throw error;
        }
      },
    },
    { method: 'GET', path: 'faults', handler: ({ query }) => ({ faults: faults.list({ namespace: namespaceOf(query) }) }) },
    {
      method: 'DELETE',
      path: 'faults',
      handler: ({ query }) => {
        faults.clear({ namespace: namespaceOf(query) });
        return { cleared: true };
      },
    },
    {
      method: 'DELETE',
      path: 'faults/*',
      handler: ({ params }) => {
        if (!faults.remove(params[0]!)) throw new HttpError(404, 'FaultNotFound', `No armed fault "${params[0]}"; it may have run out of times or been cleared by a reset.`);
        return { removed: params[0] };
      },
    },
  ];
}
