import { LocalZureError } from '../core/errors.js';

/**
 * No container engine answered, so no container-backed service can start.
 * `tried` lists every place looked at and what was found there, the same
 * places testcontainers searches.
 */
export class ContainerRuntimeUnavailableError extends LocalZureError {
  constructor(
    readonly service: string,
    readonly tried: string[],
    readonly reason: string,
    cause?: unknown,
  ) {
    super(
      'LZ_CONTAINER_RUNTIME_UNAVAILABLE',
      `Cannot start "${service}": it runs in a container, and ${reason}. Tried: ${tried.join('; ')}. ` +
        'Start Docker (or Podman with its Docker socket), or point DOCKER_HOST at a running engine; services that need no container keep working without one.',
      { cause },
    );
  }
}

/** A container service's configuration (its seed data) cannot be turned into the emulator's config file. */
export class ContainerConfigError extends LocalZureError {
  constructor(
    readonly service: string,
    message: string,
  ) {
    super('LZ_INVALID_CONTAINER_CONFIG', `Invalid configuration for "${service}": ${message}`);
  }
}
