import type { JournalEntry, JournalFilter } from '../core/request-journal.js';
import { ControlClient, targetFromProcessEnv, type ResetTarget } from './control-client.js';

/**
 * The requests the emulators served for this worker's account since its
 * last reset (so, by default, during the current test), oldest first.
 * Filter by `service`, `operation` (Azure's name, e.g. `PutBlob`), `status`
 * (`503` or `'5xx'`), or another `namespace`.
 *
 * @example
 * const puts = await requests({ service: 'blob', operation: 'PutBlob' });
 * expect(puts).toHaveLength(1);
 * expect(puts[0]!.headers['x-ms-blob-content-type']).toBe('image/png');
 */
export async function requests(filter: JournalFilter = {}, target: ResetTarget = targetFromProcessEnv('requests()')): Promise<JournalEntry[]> {
  const page = await new ControlClient(target.controlUrl).requests({ namespace: target.account.name, ...filter });
  return page.requests;
}

/** Forgets the requests recorded for this worker's account so far, e.g. after a test's own setup steps. */
export async function clearRequests(target: ResetTarget = targetFromProcessEnv('clearRequests()')): Promise<void> {
  await new ControlClient(target.controlUrl).clearRequests(target.account.name);
}
