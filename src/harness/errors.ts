import { LocalZureError } from '../core/errors.js';

/** `setup()` was called again before `teardown()`. */
export class AlreadySetUpError extends LocalZureError {
  constructor() {
    super(
      'LZ_ALREADY_SET_UP',
      'LocalZure is already set up by this withLocalZure() harness. Call teardown() before setup() again, or create a second harness with withLocalZure(...).',
    );
  }
}

/** Something needed a running LocalZure, but none was set up. */
export class NotSetUpError extends LocalZureError {
  constructor(message: string) {
    super('LZ_NOT_SET_UP', message);
  }
}

/** A test-file helper was called where the test framework's hooks do not exist. */
export class OutsideTestFileError extends LocalZureError {
  constructor(helper: string) {
    super(
      'LZ_OUTSIDE_TEST_FILE',
      `${helper} needs the test framework's beforeAll and beforeEach: call it at the top of a test file or in a setupFilesAfterEnv module.`,
    );
  }
}

/** A withLocalZure / jest configuration value is wrong. */
export class InvalidOptionError extends LocalZureError {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super('LZ_INVALID_OPTION', `Option "${option}": ${message}`);
  }
}

/** The control API refused a request, or could not be reached. */
export class ControlRequestError extends LocalZureError {
  constructor(
    readonly url: string,
    /** HTTP status; undefined when the server could not be reached. */
    readonly status: number | undefined,
    /** The control API's error code, e.g. `NamespaceNotFound`. */
    readonly remoteCode: string | undefined,
    message: string,
    cause?: unknown,
  ) {
    super('LZ_CONTROL_REQUEST_FAILED', message, { cause });
  }
}
