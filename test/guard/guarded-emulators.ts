import { afterAll, beforeAll } from 'vitest';
import { buildEnvironment, installNetworkGuard, type Environment, type NetworkGuard, type NetworkGuardOptions } from '../../src/index.js';
import { LocalZureRuntime } from '../../src/runtime/runtime.js';
import { BlobService } from '../../src/services/blob/index.js';
import { QueueService } from '../../src/services/queue/index.js';

/** The emulators and an installed guard, as a test file sees them. */
export interface GuardedEmulators {
  env: Environment;
  guard: NetworkGuard;
}

/** Starts blob and queue in this file and installs the guard over them (`redirect` as asked); stops both after the file. */
export function guardedEmulators(options: Omit<NetworkGuardOptions, 'environment'> = {}): GuardedEmulators {
  const runtime = new LocalZureRuntime({ logger: { info() {}, warn() {}, error() {} } });
  runtime.manager.registerService(new BlobService(runtime.manager.context));
  runtime.manager.registerService(new QueueService(runtime.manager.context));
  const handle = {} as GuardedEmulators;
  beforeAll(async () => {
    await runtime.start(['blob', 'queue']);
    handle.env = buildEnvironment(runtime);
    handle.guard = await installNetworkGuard({ ...options, environment: handle.env });
  });
  afterAll(async () => {
    handle.guard?.disarm();
    await runtime.stop();
  });
  return handle;
}
