import { Agent } from 'node:http';
import { AdjustableClock } from '../../../src/core/clock.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import type { Logger, ServiceContext } from '../../../src/core/service.js';
import type { StorageService } from '../../../src/services/storage-common/storage-service.js';

/** A logger that keeps what the services report as errors: an exception escaping a handler shows up here. */
export function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info() {}, warn() {}, error: (message) => errors.push(message) };
}

export interface Running<S extends StorageService> {
  service: S;
  port: number;
  url: string;
  logger: ReturnType<typeof recordingLogger>;
}

/** Starts a storage service on a random port with its own clock, accounts and a recording logger. */
export async function startService<S extends StorageService>(
  create: (context: Partial<ServiceContext>) => S,
  context: Partial<ServiceContext> = {},
): Promise<Running<S>> {
  const logger = recordingLogger();
  const service = create({ clock: new AdjustableClock(), namespaces: new NamespaceRegistry(), logger, ...context });
  await service.start();
  const url = service.getEndpoint(DEFAULT_ACCOUNT)!.url;
  return { service, port: Number(new URL(url).port), url, logger };
}

/** Keep-alive connections, many at once: thousands of requests in seconds. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 32 });
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
