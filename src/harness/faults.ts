import type { Fault, FaultSpec } from '../core/fault-injector.js';
import { ControlClient, targetFromProcessEnv, type ResetTarget } from './control-client.js';

/**
 * Makes the next matching requests to an emulator fail: answer an Azure
 * error (`status`, `errorCode`), wait (`delayMs`), drop the connection
 * (`reset: true`) or detach a Service Bus or Event Hubs link (`detach:
 * true`), `times` times (default 1); then the service behaves
 * normally. Only this worker's account is affected unless `namespace` says
 * otherwise, and its next reset disarms what is left.
 *
 * @example
 * await injectFault({ service: 'blob', operation: 'PutBlob', status: 503, times: 2 });
 * await blockBlob.upload('hi', 2); // the SDK's retries absorb both failures
 */
export async function injectFault(spec: FaultSpec, target: ResetTarget = targetFromProcessEnv('injectFault()')): Promise<Fault> {
  return new ControlClient(target.controlUrl).injectFault({ namespace: target.account.name, ...spec });
}

/** Disarms this worker's faults (or the one with `id`) before they run out. */
export async function clearFaults(id?: string, target: ResetTarget = targetFromProcessEnv('clearFaults()')): Promise<void> {
  await new ControlClient(target.controlUrl).clearFaults(id === undefined ? { namespace: target.account.name } : { id });
}
