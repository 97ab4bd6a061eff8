import type { RuntimeState, ServiceSnapshot } from '../core/inspection.js';
import { toError } from '../core/service.js';
import type { LocalZureRuntime } from './runtime.js';

/** Asks every running service what it holds, for one namespace or all; one failing service does not hide the others. */
export async function collectState(runtime: LocalZureRuntime, namespace?: string): Promise<RuntimeState> {
  const { manager } = runtime;
  const services: Record<string, ServiceSnapshot> = {};
  const errors: Record<string, string> = {};
  for (const name of manager.startOrder.filter((n) => manager.runningServices.includes(n))) {
    try {
      const snapshot = await manager.getService(name).inspect(namespace);
      if (snapshot) services[name] = snapshot;
    } catch (error) {
      errors[name] = toError(error).message;
    }
  }
  return {
    namespace: namespace ?? null,
    namespaces: runtime.namespaces.list().map((n) => n.name),
    time: new Date(runtime.clock.now()).toISOString(),
    services,
    errors,
  };
}
