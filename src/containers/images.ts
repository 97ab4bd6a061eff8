/**
 * The container images LocalZure runs, pinned to exact tags. This table is
 * the one the code reads; images.Dockerfile next to it repeats the same
 * references as FROM lines so Dependabot/Renovate (docker ecosystem) can
 * propose bumps, and a test fails until both agree.
 */
export const CONTAINER_IMAGES = {
  azurite: 'mcr.microsoft.com/azure-storage/azurite:3.35.0',
  mssql: 'mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04',
  servicebus: 'mcr.microsoft.com/azure-messaging/servicebus-emulator:1.1.2',
  eventhubs: 'mcr.microsoft.com/azure-messaging/eventhubs-emulator:2.1.0',
  cosmosdb: 'mcr.microsoft.com/cosmosdb/linux/azure-cosmos-emulator:2.14.24',
} as const;

export type ContainerImageName = keyof typeof CONTAINER_IMAGES;

/** The tag of a pinned image, reported as the service's version. */
export function imageTag(name: ContainerImageName): string {
  const ref = CONTAINER_IMAGES[name];
  return ref.slice(ref.lastIndexOf(':') + 1);
}
