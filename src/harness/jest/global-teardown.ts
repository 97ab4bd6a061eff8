import { NotSetUpError } from '../errors.js';
import { takeHarness } from './harness-handle.js';

/** jest `globalTeardown`: stops what localzure/jest/global-setup started. */
export default async function globalTeardown(): Promise<void> {
  const harness = takeHarness();
  if (!harness) {
    throw new NotSetUpError(
      'localzure/jest/global-teardown found nothing to stop. Set globalSetup: "localzure/jest/global-setup" in the jest config next to this globalTeardown.',
    );
  }
  await harness.teardown();
}
