import { LocalZureError } from '../core/errors.js';

/** A test tried to reach real Azure; the message names the URL and what to use instead. */
export class RealAzureBlockedError extends LocalZureError {
  constructor(
    readonly url: string,
    instead: string,
  ) {
    super(
      'LZ_REAL_AZURE_BLOCKED',
      `LocalZure's network guard blocked a request to real Azure: ${url}. Tests must stay on the emulators. ${instead} (To opt out, pass guard: false to withLocalZure.)`,
    );
  }
}
