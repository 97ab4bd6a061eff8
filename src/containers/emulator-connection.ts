/**
 * The Service Bus and Event Hubs emulators accept one fixed SAS key;
 * `UseDevelopmentEmulator=true` makes the SDKs speak plain AMQP to them.
 */
export function emulatorConnectionString(hostAndPort: string): string {
  return `Endpoint=sb://${hostAndPort};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;`;
}

/** AMQP port of both messaging emulators. */
export const AMQP_PORT = 5672;
/** HTTP port of their health check. */
export const EMULATOR_HTTP_PORT = 5300;
