import { afterAll, beforeAll } from 'vitest';
import { buildEnvironment, ControlClient, workerAccount, type Environment } from '../../../src/index.js';
import type { LocalZureService, SeedSource, ServiceContext } from '../../../src/core/service.js';
import { LocalZureRuntime } from '../../../src/runtime/runtime.js';

const quiet = { info() {}, warn() {}, error() {} };

export interface SnapshotFixture {
  runtime: LocalZureRuntime;
  control: ControlClient;
  /** An Environment for a worker account of its own, registered (and seeded) like a test worker's. */
  worker(id: string): Promise<Environment>;
}

/** A runtime running this checkout's `services` (not a built package) with `seed`, for the test file. */
export function useSnapshotRuntime(services: Record<string, new (context: ServiceContext) => LocalZureService>, seed?: SeedSource): SnapshotFixture {
  const fixture = {} as SnapshotFixture;
  beforeAll(async () => {
    const runtime = new LocalZureRuntime({ logger: quiet, seed });
    for (const Service of Object.values(services)) runtime.manager.registerService(new Service(runtime.manager.context));
    await runtime.start(Object.keys(services));
    fixture.runtime = runtime;
    fixture.control = new ControlClient(runtime.controlUrl);
  });
  afterAll(() => fixture.runtime?.stop());
  fixture.worker = async (id) => {
    const env = buildEnvironment(fixture.runtime, workerAccount(fixture.runtime.account, id));
    await fixture.control.registerNamespace(env.account);
    return env;
  };
  return fixture;
}
