import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFor, type AzuriteDifference, type Observation, type Scenario, type ScenarioRun } from './scenario.js';
import { startTargets, type Target, type Targets } from './targets.js';

/** A scenario takes well under a second; a server that stops answering fails it quickly instead of eating the suite's minute. */
const SCENARIO_TIMEOUT_MS = 10_000;

type Define = (name: string, run: ScenarioRun, options?: { knownAzuriteDifference?: AzuriteDifference }) => void;

async function observe(target: Target, scenario: Scenario): Promise<Observation> {
  return scenario.run(target.client, namesFor(scenario.name));
}

/**
 * LocalZure crashing mid-scenario (not a RestError, which `attempt` records)
 * becomes part of its observation, so the report shows the scenario as a
 * difference instead of a stack trace.
 */
async function observeLocalZure(target: Target, scenario: Scenario): Promise<Observation> {
  try {
    return await observe(target, scenario);
  } catch (error) {
    return { crashed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

async function compare(targets: Targets, scenario: Scenario): Promise<void> {
  const [local, azurite] = await Promise.all([observeLocalZure(targets.localzure, scenario), observe(targets.azurite, scenario)]);
  const difference = scenario.knownAzuriteDifference;
  if (!difference) {
    expect(local, 'LocalZure (left) against Azurite (right)').toEqual(azurite);
    return;
  }
  const reference = difference.expected(azurite);
  expect(azurite, `Azurite no longer deviates from ${difference.reference}; drop the note`).not.toEqual(reference);
  // Self-check runs Azurite in LocalZure's place, so there it must equal Azurite, deviation and all.
  expect(local, `LocalZure (left) against the reference ${difference.reference}`).toEqual(targets.selfCheck ? azurite : reference);
}

/**
 * Declares a group of scenarios, each run against LocalZure and Azurite
 * (started once for the group) and compared.
 *
 * @example
 * conformance('containers', (scenario) => {
 *   scenario('creating an existing container fails', async (client, names) => {
 *     const container = client.getContainerClient(names.container());
 *     await container.create();
 *     return { again: await attempt(() => container.create()) };
 *   });
 * });
 */
export function conformance(title: string, define: (scenario: Define) => void): void {
  describe(`conformance: ${title}`, () => {
    let targets: Targets | undefined;
    beforeAll(async () => {
      targets = await startTargets();
    });
    afterAll(async () => {
      await targets?.stop();
    });
    define((name, run, options = {}) => {
      const scenario: Scenario = { name, run, ...options };
      it(name, () => compare(targets!, scenario), SCENARIO_TIMEOUT_MS);
    });
  });
}
