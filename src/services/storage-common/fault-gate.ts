import type { IncomingMessage } from 'node:http';
import { faultAction, type FaultInjector, type FaultTarget } from '../../core/fault-injector.js';
import type { RequestRecording } from './request-recorder.js';
import { StorageError } from './storage-error.js';

// Azure's own wording for the errors tests inject most; others say where they came from.
const MESSAGES: Record<string, string> = {
  ServerBusy: 'The server is currently unable to receive requests. Please retry your request.',
  InternalError: 'The server encountered an internal error. Please retry the request.',
  OperationTimedOut: 'The operation could not be completed within the permitted time.',
};

/**
 * Applies the first armed fault matching `target`: waits its delay, then
 * throws its Azure error (answered like any other), or drops the
 * connection. Resolves `'dropped'` when nothing more may be written, else
 * `'serve'` to carry on normally.
 */
export async function applyFault(
  faults: FaultInjector,
  target: FaultTarget,
  req: IncomingMessage,
  recording: RequestRecording | undefined,
): Promise<'serve' | 'dropped'> {
  const fault = faults.take(target);
  if (!fault) return 'serve';
  // HTTP has no links: a fault that detaches one drops the connection instead.
  const action = faultAction(fault, false);
  const drop = action === 'drop';
  recording?.faulted({ id: fault.id, action });
  if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (drop) {
    req.socket.destroy();
    return 'dropped';
  }
  if (fault.status !== undefined) {
    const code = fault.errorCode!;
    throw new StorageError(fault.status, code, MESSAGES[code] ?? `LocalZure answered ${fault.status} ${code} because a test injected fault ${fault.id}.`);
  }
  return 'serve';
}
