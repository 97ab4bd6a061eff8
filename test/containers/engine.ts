import { requireContainerRuntime } from '../../src/containers/runtime-availability.js';

/** Why the tests that need a container engine cannot run here; undefined when one answers. */
export const engineMissing: string | undefined = await requireContainerRuntime('container integration tests', { timeoutMs: 5_000 }).then(
  () => undefined,
  (error: Error) => error.message,
);

export const engine = engineMissing === undefined;

export function announceSkip(suite: string): void {
  if (!engine) console.warn(`[localzure] SKIPPED ${suite}: ${engineMissing}`);
}
