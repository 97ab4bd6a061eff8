import type { SnapshotInfo } from '../runtime/snapshot-routes.js';
import { ControlClient, targetFromProcessEnv, type ResetTarget } from './control-client.js';

/**
 * Saves what this worker's account holds in every running service under
 * `name`, e.g. a large baseline built once in a `beforeAll`. Other workers'
 * accounts are not touched and cannot restore it.
 *
 * @example
 * beforeAll(async () => {
 *   await loadCatalogue(); // thousands of blobs, messages, entities
 *   await snapshot('catalogue');
 * });
 * beforeEach(() => restore('catalogue'));
 */
export async function snapshot(name: string, target: ResetTarget = targetFromProcessEnv('snapshot()')): Promise<SnapshotInfo> {
  return new ControlClient(target.controlUrl).snapshot(target.account.name, name);
}

/**
 * Puts this worker's account back as `snapshot(name)` saved it, in every
 * service that took part, and forgets the requests and faults recorded
 * since, as a reset does. It can be restored again and again.
 */
export async function restore(name: string, target: ResetTarget = targetFromProcessEnv('restore()')): Promise<SnapshotInfo> {
  return new ControlClient(target.controlUrl).restore(target.account.name, name);
}
