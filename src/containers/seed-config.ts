import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedSource } from '../core/service.js';
import { ContainerConfigError } from './errors.js';

/**
 * A container service's configuration from the seed: inline under
 * `seed.data.<service>`, or the file `<seed dir>/<service>/config.json`.
 * Undefined when neither is given.
 */
export function readSeedConfig(seed: SeedSource | undefined, service: string): unknown {
  const inline = seed?.data?.[service];
  if (inline !== undefined) return inline;
  if (!seed?.dir) return undefined;
  const file = join(seed.dir, service, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ContainerConfigError(service, `${file} is not valid JSON (${(error as Error).message}).`);
  }
}

/** Narrows `value` to a plain object or says where it is not one. */
export function expectRecord(service: string, value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ContainerConfigError(service, `${where} must be an object keyed by name, got ${JSON.stringify(value)}.`);
  }
  return value as Record<string, unknown>;
}
