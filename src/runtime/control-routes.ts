import { randomBytes } from 'node:crypto';
import { ClockMoveError } from '../core/clock.js';
import { InvalidNamespaceError } from '../core/namespaces.js';
import type { HealthStatus } from '../core/service.js';
import { HttpError, type ControlRoute } from './control-server.js';
import { dashboardPage } from './dashboard/page.js';
import { faultRoutes } from './fault-routes.js';
import { requestRoutes } from './request-routes.js';
import { snapshotRoutes } from './snapshot-routes.js';
import type { LocalZureRuntime } from './runtime.js';
import { collectState } from './state.js';

/** The `/_localzure/` API: health, status, reset, namespaces and the clock. */
export function controlRoutes(runtime: LocalZureRuntime): ControlRoute[] {
  const { manager } = runtime;
  const namespaceOf = (query: URLSearchParams): string | undefined => {
    const name = query.get('namespace') ?? undefined;
    if (name !== undefined && !runtime.namespaces.has(name)) {
      throw new HttpError(404, 'NamespaceNotFound', `No namespace "${name}"; create it with POST /_localzure/namespaces.`);
    }
    return name;
  };
  // An account is handed out only once seeded, also to a second caller that finds it already created.
  const seeding = new Map<string, Promise<void>>();

  return [
    {
      method: 'GET',
      path: 'health',
      handler: async () => {
        const health = await manager.getAllHealth();
        const services = Object.fromEntries(
          manager.serviceNames.map((name) => {
            const status = manager.getServiceStatus(name);
            return [name, { state: status.state, uptime: status.uptime, health: health[name] }];
          }),
        );
        const enabled = manager.serviceNames.filter((name) => manager.getServiceStatus(name).enabled);
        return { status: overallStatus(enabled.map((name) => health[name]!.status)), services };
      },
    },
    { method: 'GET', path: 'services', handler: () => ({ services: manager.getAllStatus() }) },
    ...requestRoutes(runtime.journal, namespaceOf),
    ...faultRoutes(runtime.faults, namespaceOf),
    ...snapshotRoutes(runtime, namespaceOf),
    // Read-only: what each running service holds, for one namespace (?namespace=) or all.
    { method: 'GET', path: 'state', handler: ({ query }) => collectState(runtime, namespaceOf(query)) },
    { method: 'GET', path: '', handler: dashboardPage },
    { method: 'GET', path: 'dashboard', handler: dashboardPage },
    {
      method: 'POST',
      path: 'reset',
      handler: async ({ query }) => ({ reset: await manager.resetAll(namespaceOf(query)) }),
    },
    {
      method: 'POST',
      path: 'reset/*',
      handler: async ({ params, query }) => ({ reset: await manager.resetService(params[0]!, namespaceOf(query)) }),
    },
    { method: 'GET', path: 'namespaces', handler: () => ({ namespaces: runtime.namespaces.list().map((n) => n.name) }) },
    {
      method: 'POST',
      path: 'namespaces',
      handler: async ({ body }) => {
        const { name, key } = (body ?? {}) as { name?: unknown; key?: unknown };
        if (typeof name !== 'string' || (key !== undefined && typeof key !== 'string')) {
          throw new HttpError(400, 'InvalidInput', 'Send {"name": "<account name>", "key"?: "<base64 key>"}.');
        }
        const existing = runtime.namespaces.get(name);
        if (existing && typeof key === 'string' && key !== existing.key) {
          throw new HttpError(409, 'NamespaceConflict', `Namespace "${name}" already exists with another key; pick another name.`);
        }
        if (existing) {
          await seeding.get(name);
          return existing;
        }
        let added;
        try {
          added = runtime.namespaces.add({ name, key: key ?? randomBytes(64).toString('base64') });
        } catch (error) {
          if (error instanceof InvalidNamespaceError) throw new HttpError(400, 'InvalidInput', error.message);
          throw error;
        }
        // A new account starts from the seed, as the default one did.
        const seeded = manager.seedAll(added.name);
        seeding.set(added.name, seeded);
        try {
          await seeded;
        } finally {
          seeding.delete(added.name);
        }
        return added;
      },
    },
    { method: 'GET', path: 'clock', handler: () => clockState(runtime) },
    {
      method: 'POST',
      path: 'clock',
      handler: ({ body }) => {
        const { advanceMs, time } = (body ?? {}) as { advanceMs?: unknown; time?: unknown };
        try {
          if (typeof advanceMs === 'number') runtime.clock.advance(advanceMs);
          else if (typeof time === 'number') runtime.clock.set(time);
          else if (typeof time === 'string') runtime.clock.set(parseTime(time));
          else throw new ClockMoveError('Send {"advanceMs": <ms>} or {"time": <epoch ms or ISO date>}.');
        } catch (error) {
          if (error instanceof ClockMoveError) throw new HttpError(400, 'InvalidInput', error.message);
          throw error;
        }
        return clockState(runtime);
      },
    },
  ];
}

// Judged on what each service reports, so a running service whose own check
// fails counts like a failed one. Nothing registered is nothing wrong.
function overallStatus(statuses: HealthStatus[]): HealthStatus {
  if (statuses.every((s) => s === 'healthy')) return 'healthy';
  return statuses.some((s) => s !== 'unhealthy') ? 'degraded' : 'unhealthy';
}

function parseTime(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ClockMoveError(`"${text}" is not a date; send an ISO date such as 2030-01-01T00:00:00Z, or epoch milliseconds.`);
  return ms;
}

function clockState(runtime: LocalZureRuntime): { now: string; nowMs: number } {
  const nowMs = runtime.clock.now();
  return { now: new Date(nowMs).toISOString(), nowMs };
}
