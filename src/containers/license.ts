import { LicenseNotAcceptedError } from './errors.js';
import { CONTAINER_IMAGES, type ContainerImageName } from './images.js';

/**
 * The images that refuse to start without ACCEPT_EULA=Y, each with the
 * licence its own documentation links. Azurite (MIT) and the Cosmos DB
 * emulator ask for no acceptance, so they are absent.
 */
export const IMAGE_LICENSES: Partial<Record<ContainerImageName, string>> = {
  mssql: 'https://go.microsoft.com/fwlink/?linkid=857698',
  servicebus: 'https://github.com/Azure/azure-service-bus-emulator-installer/blob/main/EMULATOR_EULA.txt',
  eventhubs: 'https://github.com/Azure/azure-event-hubs-emulator-installer/blob/main/EMULATOR_EULA.md',
};

/** The variable through which a user accepts those licences without touching code, e.g. in CI. */
export const ACCEPT_EULA_VARIABLE = 'LOCALZURE_ACCEPT_EULA';

/**
 * Refuses to go on with `service` when its image has a licence the user has
 * not accepted: through `acceptEula` (which wins when given) or
 * `LOCALZURE_ACCEPT_EULA=Y`. LocalZure never accepts on the user's behalf.
 */
export function requireLicenseAccepted(service: string, acceptEula: boolean | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const license = IMAGE_LICENSES[service as ContainerImageName];
  if (!license) return;
  const variable = env[ACCEPT_EULA_VARIABLE]?.trim();
  if (acceptEula ?? variable?.toUpperCase() === 'Y') return;
  const detail =
    acceptEula === false
      ? `the option acceptEula is false, which overrides ${ACCEPT_EULA_VARIABLE}`
      : variable
        ? `${ACCEPT_EULA_VARIABLE} is ${JSON.stringify(variable)}; only Y accepts`
        : undefined;
  throw new LicenseNotAcceptedError(service, CONTAINER_IMAGES[service as ContainerImageName], license, detail);
}
