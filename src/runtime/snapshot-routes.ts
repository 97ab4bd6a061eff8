import { ServiceState } from '../core/service.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SnapshotFile } from '../core/snapshot-file.js';
import { HttpError, type ControlRoute } from './control-server.js';
import type { LocalZureRuntime } from './runtime.js';

/** What `POST /_localzure/snapshots` answers: the snapshot saved and the services that took part. */
export interface SnapshotInfo {
  name: string;
  namespace: string;
  services: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * `/_localzure/snapshots[?namespace=]`: POST `{ name }` copies what the
 * namespace (the default account when absent) holds in every running
 * service; POST `snapshots/<name>` puts that copy back, forgetting the
 * namespace's recorded requests and armed faults as a reset does; GET lists
 * a namespace's snapshots; DELETE `snapshots/<name>` forgets one; GET
 * `snapshot-file[?name=&services=a,b]` answers the namespace (as it stands,
 * or snapshot `name`) as a snapshot file, for `localzure snapshot export`. Snapshots
 * belong to their namespace, so workers never restore one another's.
 */
export function snapshotRoutes(runtime: LocalZureRuntime, namespaceOf: (query: URLSearchParams) => string | undefined): ControlRoute[] {
  // namespace → name → service → what the service captured
  const saved = new Map<string, Map<string, Map<string, unknown>>>();
  const namespace = (query: URLSearchParams) => namespaceOf(query) ?? runtime.account.name;
  const running = () => runtime.manager.startOrder.filter((name) => runtime.manager.getService(name).state === ServiceState.RUNNING);
  const find = (query: URLSearchParams, name: string) => {
    const snapshot = saved.get(namespace(query))?.get(name);
    if (!snapshot) throw new HttpError(404, 'SnapshotNotFound', `Namespace "${namespace(query)}" has no snapshot "${name}"; save one with POST /_localzure/snapshots {"name": "${name}"}.`);
    return snapshot;
  };
  return [
    {
      method: 'POST',
      path: 'snapshots',
      handler: async ({ query, body }): Promise<SnapshotInfo> => {
        const { name } = (body ?? {}) as { name?: unknown };
        if (typeof name !== 'string' || !NAME.test(name)) throw new HttpError(400, 'InvalidInput', 'Send {"name": "<snapshot name>"}: up to 128 letters, digits, ".", "_" and "-".');
        const ns = namespace(query);
        const captured = new Map<string, unknown>();
        for (const service of running()) captured.set(service, await runtime.manager.getService(service).captureNamespace(ns));
        if (!saved.has(ns)) saved.set(ns, new Map());
        saved.get(ns)!.set(name, captured);
        return { name, namespace: ns, services: [...captured.keys()] };
      },
    },
    {
      method: 'POST',
      path: 'snapshots/*',
      handler: async ({ params, query }): Promise<SnapshotInfo> => {
        const name = params[0]!;
        const captured = find(query, name);
        const ns = namespace(query);
        // Dependents first, as a reset goes, so nothing reacts to a dependency changing under it.
        const services = running().filter((service) => captured.has(service)).reverse();
        for (const service of services) await runtime.manager.getService(service).restoreNamespace(ns, captured.get(service));
        runtime.journal.clear({ namespace: ns });
        runtime.faults.clear({ namespace: ns });
        return { name, namespace: ns, services };
      },
    },
    {
      method: 'GET',
      path: 'snapshot-file',
      handler: async ({ query }): Promise<SnapshotFile> => {
        const ns = namespace(query);
        const name = query.get('name') ?? undefined;
        const wanted = query.get('services')?.split(',').filter((s) => s !== '');
        const unknown = wanted?.filter((s) => !running().includes(s)) ?? [];
        if (unknown.length > 0) throw new HttpError(400, 'InvalidInput', `Not running: ${unknown.join(', ')}. Name services among ${running().join(', ')}.`);
        let captured = name === undefined ? undefined : find(query, name);
        if (!captured) {
          captured = new Map();
          for (const service of running()) captured.set(service, await runtime.manager.getService(service).captureNamespace(ns));
        }
        const services: Record<string, unknown> = {};
        for (const [service, capture] of captured) {
          // Nothing held (a namespace a service never saw) is left out, so the file seeds harnesses without that service.
          if (capture === undefined || (wanted && !wanted.includes(service))) continue;
          try {
            services[service] = runtime.manager.getService(service).encodeSnapshot(capture);
          } catch (error) {
            throw new HttpError(400, 'SnapshotNotExportable', `The ${service} service cannot write its data to a snapshot file (${(error as Error).message}); leave it out with services=.`);
          }
        }
        return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, namespace: ns, ...(name === undefined ? {} : { snapshot: name }), exportedAt: new Date(runtime.clock.now()).toISOString(), services };
      },
    },
    { method: 'GET', path: 'snapshots', handler: ({ query }) => ({ snapshots: [...(saved.get(namespace(query))?.keys() ?? [])] }) },
    {
      method: 'DELETE',
      path: 'snapshots/*',
      handler: ({ params, query }) => {
        find(query, params[0]!);
        saved.get(namespace(query))!.delete(params[0]!);
        return { removed: params[0] };
      },
    },
  ];
}
