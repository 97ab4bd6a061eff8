import type { LocalZureHarness } from '../with-localzure.js';

// jest runs globalSetup and globalTeardown in one process but loads each
// module on its own, so module state is not shared; jest documents globals
// set in globalSetup as readable in globalTeardown.
const HARNESS = Symbol.for('localzure.jest.harness');

type HarnessGlobal = typeof globalThis & { [HARNESS]?: LocalZureHarness };

export function keepHarness(harness: LocalZureHarness): void {
  (globalThis as HarnessGlobal)[HARNESS] = harness;
}

export function takeHarness(): LocalZureHarness | undefined {
  const holder = globalThis as HarnessGlobal;
  const harness = holder[HARNESS];
  delete holder[HARNESS];
  return harness;
}

export function heldHarness(): LocalZureHarness | undefined {
  return (globalThis as HarnessGlobal)[HARNESS];
}
