import type { GuardOptions } from '../guard/network-guard.js';
import type { Environment } from './environment.js';

/**
 * What the process that started LocalZure hands to test workers: the
 * Environment (as seen from the default account) plus how workers behave.
 */
export interface Handover {
  environment: Environment;
  resetBetweenTests: boolean;
  /** Print the worker's namespace when a test fails; undefined means on in CI. */
  reportOnFailure?: boolean;
  /** The network guard's options, or false when it is off; undefined means on. */
  guard?: false | GuardOptions;
}

/** The process.env variable carrying the Handover as JSON (how jest workers receive it). */
export const HANDOVER_VARIABLE = 'LOCALZURE_HARNESS';

/**
 * Writes the environment's variables and the handover into process.env;
 * returns a function that puts back what was there before.
 */
export function publishToProcessEnv(handover: Handover): () => void {
  const values = { ...handover.environment.env, [HANDOVER_VARIABLE]: JSON.stringify(handover) };
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

export function readHandover(env: NodeJS.ProcessEnv = process.env): Handover | undefined {
  const text = env[HANDOVER_VARIABLE];
  return text ? (JSON.parse(text) as Handover) : undefined;
}
