import { createHash } from 'node:crypto';
import type { BlobServiceClient } from '@azure/storage-blob';

/** What a scenario saw: plain data only, so two servers' runs compare with toEqual. */
export type Observed = string | number | boolean | null | undefined | Observed[] | { [key: string]: Observed };
export type Observation = { [key: string]: Observed };

/**
 * Resource names for one scenario. Both servers get the same sequence (the
 * listed names must match), and each scenario its own prefix, so scenarios
 * sharing a server never see each other's containers.
 */
export interface Names {
  /** Common start of every container name this scenario makes. */
  readonly prefix: string;
  container(): string;
  blob(extension?: string): string;
}

export type ScenarioRun = (client: BlobServiceClient, names: Names) => Promise<Observation>;

/**
 * Where Azurite departs from the Azure REST reference. The scenario then
 * checks LocalZure against the reference instead of against Azurite, and
 * checks Azurite still deviates, so a fixed Azurite makes this note fail
 * rather than silently go stale.
 */
export interface AzuriteDifference {
  /** A page of the Azure REST reference. */
  reference: string;
  /** The sentence of the reference that decides it. */
  quote: string;
  /** The observation Azure gives, derived from Azurite's by correcting only what Azurite gets wrong. */
  expected(azurite: Observation): Observation;
}

export interface Scenario {
  name: string;
  run: ScenarioRun;
  knownAzuriteDifference?: AzuriteDifference;
}

export function namesFor(scenarioName: string): Names {
  const prefix = `c${createHash('sha256').update(scenarioName).digest('hex').slice(0, 8)}`;
  let containers = 0;
  let blobs = 0;
  return {
    prefix,
    container: () => `${prefix}-${++containers}`,
    blob: (extension = 'txt') => `blob-${++blobs}.${extension}`,
  };
}
