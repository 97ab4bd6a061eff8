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

/**
 * The service runs one of Microsoft's images whose licence must be accepted
 * (ACCEPT_EULA=Y), and the user has not accepted it. Thrown before any
 * container engine is asked for anything.
 */
export class LicenseNotAcceptedError extends LocalZureError {
  constructor(
    readonly service: string,
    readonly image: string,
    readonly licenseUrl: string,
    /** Why what the user set did not count as acceptance, if they set something. */
    detail?: string,
  ) {
    const found = detail ? ` (${detail})` : '';
    super(
      'LZ_LICENSE_NOT_ACCEPTED',
      `Cannot start "${service}": its image ${image} runs only once you accept Microsoft's licence for it, ${licenseUrl}. ` +
        `LocalZure does not accept it for you${found}. If you agree to it, set LOCALZURE_ACCEPT_EULA=Y in the environment, ` +
        'or pass acceptEula: true (withLocalZure(services, { acceptEula: true }), new LocalZureRuntime({ acceptEula: true })).',
    );
  }
}
