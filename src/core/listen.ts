import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortInUseError } from './errors.js';

/**
 * Listens on `port` (0 or undefined: a random free one) and resolves with the
 * bound port. A fixed port that is taken becomes PortInUseError naming
 * `requestedBy`, so the user learns which option to change.
 */
export async function listen(server: Server, host: string, port: number | undefined, requestedBy: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' && port ? new PortInUseError(port, requestedBy) : error);
    };
    server.once('error', onError);
    server.listen(port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // Errors after listening belong to single connections; a stray one must not crash the host process.
  server.on('error', () => {});
  return (server.address() as AddressInfo).port;
}

/** Closes the server and every open connection, so no keep-alive socket delays shutdown. */
export async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
