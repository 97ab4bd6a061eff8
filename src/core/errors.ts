/**
 * Library-misuse errors. Every one has a stable `code` so callers can match on
 * it instead of on message text; messages say what was wrong and what to do.
 */
export class LocalZureError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class ServiceStateError extends LocalZureError {
  constructor(
    message: string,
    readonly service: string,
    code = 'LZ_INVALID_STATE',
  ) {
    super(code, message);
  }
}

export class DependencyNotRunningError extends ServiceStateError {
  constructor(
    service: string,
    readonly dependency: string,
    dependencyState: string,
  ) {
    super(
      `Cannot start "${service}": its dependency "${dependency}" is ${dependencyState}, not RUNNING. Start "${dependency}" first, or use startAll().`,
      service,
      'LZ_DEPENDENCY_NOT_RUNNING',
    );
  }
}

/** Reported by startAll for a service it skipped because something it needs failed to start. */
export class DependencyFailedError extends ServiceStateError {
  constructor(
    service: string,
    readonly dependency: string,
  ) {
    super(
      `"${service}" was not started because its dependency "${dependency}" failed to start.`,
      service,
      'LZ_DEPENDENCY_FAILED',
    );
  }
}

export class ServiceDisabledError extends ServiceStateError {
  constructor(service: string) {
    super(
      `Cannot start "${service}": it is disabled (enabled: false in its metadata). Enable it to start it.`,
      service,
      'LZ_SERVICE_DISABLED',
    );
  }
}

export class MissingDependencyError extends LocalZureError {
  constructor(
    readonly service: string,
    readonly dependency: string,
  ) {
    super(
      'LZ_MISSING_DEPENDENCY',
      `Service "${service}" depends on "${dependency}", which is not registered or is disabled. Register and enable "${dependency}", or remove it from "${service}"'s dependencies.`,
    );
  }
}

export class CircularDependencyError extends LocalZureError {
  constructor(readonly cycle: string[]) {
    super(
      'LZ_CIRCULAR_DEPENDENCY',
      `Circular dependency between services: ${cycle.join(' → ')}. Remove one of these dependencies.`,
    );
  }
}

export class ServiceNotFoundError extends LocalZureError {
  constructor(
    readonly service: string,
    readonly known: string[],
  ) {
    super(
      'LZ_SERVICE_NOT_FOUND',
      `Unknown service "${service}". Known services: ${known.length ? known.join(', ') : '(none)'}.`,
    );
  }
}

export class DuplicateServiceError extends LocalZureError {
  constructor(readonly service: string) {
    super(
      'LZ_DUPLICATE_SERVICE',
      `A service named "${service}" is already registered. Give the new service another name, or register it in place of the old one on a new manager.`,
    );
  }
}

/** A LocalZureRuntime used out of order, e.g. started twice or asked for its URL before start. */
export class RuntimeStateError extends LocalZureError {
  constructor(message: string) {
    super('LZ_RUNTIME_STATE', message);
  }
}

export interface ServiceFailure {
  service: string;
  error: Error;
}

/** Thrown by bulk operations after they have done all they could. */
export class BulkOperationError extends LocalZureError {
  constructor(
    code: string,
    operation: string,
    readonly failures: ServiceFailure[],
  ) {
    super(
      code,
      `${operation} failed for ${failures.length} service(s): ${failures
        .map((f) => `${f.service} (${f.error.message})`)
        .join('; ')}`,
      { cause: failures[0]?.error },
    );
  }
}

export class DiscoveryError extends LocalZureError {
  constructor(
    readonly packageName: string,
    readonly service: string,
    message: string,
    cause?: unknown,
  ) {
    super('LZ_DISCOVERY_FAILED', `Package "${packageName}" declares service "${service}", but ${message}`, { cause });
  }
}

export class PortInUseError extends LocalZureError {
  constructor(
    readonly port: number,
    readonly requestedBy: string,
  ) {
    super(
      'LZ_PORT_IN_USE',
      `Port ${port}, asked for by ${requestedBy}, is already in use. Free it, choose another port, or leave the port unset to get a random free one.`,
    );
  }
}
