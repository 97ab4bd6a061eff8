import { AlreadySetUpError, InvalidOptionError } from '../errors.js';
import { withLocalZure, type LocalZureOptions } from '../with-localzure.js';
import { heldHarness, keepHarness } from './harness-handle.js';

/** `testEnvironmentOptions.localzure` in the jest config: withLocalZure's options plus the services. */
export interface JestLocalZureConfig extends LocalZureOptions {
  services?: string[];
}

/** The part of jest's project config this module reads. */
export interface JestProjectConfig {
  rootDir: string;
  testEnvironmentOptions?: Record<string, unknown>;
}

/**
 * jest `globalSetup`: starts the services named in
 * `testEnvironmentOptions.localzure.services` (or the comma-separated
 * `LOCALZURE_SERVICES`, which wins) and publishes the Environment into
 * process.env, which jest's workers inherit. A relative seed folder is
 * resolved against the project's rootDir.
 *
 * @example
 * // jest.config.js
 * module.exports = {
 *   globalSetup: 'localzure/jest/global-setup',
 *   globalTeardown: 'localzure/jest/global-teardown',
 *   setupFilesAfterEnv: ['localzure/jest/setup-after-env'],
 *   testEnvironmentOptions: { localzure: { services: ['blob'], seed: './fixtures/seed' } },
 * };
 */
export default async function globalSetup(_globalConfig: unknown, projectConfig: JestProjectConfig): Promise<void> {
  if (heldHarness()) throw new AlreadySetUpError();
  const { services: configured, ...options } = (projectConfig.testEnvironmentOptions?.localzure ?? {}) as JestLocalZureConfig;
  const services = servicesFromEnv() ?? configured;
  if (!services || services.length === 0) {
    throw new InvalidOptionError(
      'services',
      "no services chosen for jest. Set testEnvironmentOptions: { localzure: { services: ['blob'] } } in the jest config, or LOCALZURE_SERVICES=blob,queue.",
    );
  }
  const harness = withLocalZure(services, { ...options, cwd: options.cwd ?? projectConfig.rootDir });
  await harness.setup();
  keepHarness(harness);
}

function servicesFromEnv(): string[] | undefined {
  const names = process.env.LOCALZURE_SERVICES?.split(',').map((s) => s.trim()).filter(Boolean);
  return names && names.length > 0 ? names : undefined;
}
