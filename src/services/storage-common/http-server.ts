import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { close as closeServer, listen as listenOn } from '../../core/listen.js';

/** A node:http server for one storage service: listen on a host/port, close with its connections. */
export class StorageHttpServer {
  readonly #listener: RequestListener;
  #server: Server | undefined;

  constructor(listener: RequestListener) {
    this.#listener = listener;
  }

  /** The bound port while listening. */
  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  /**
   * Listens on `port` (0 or undefined: a random free one) and resolves with
   * the bound port. A fixed port that is taken becomes core's PortInUseError
   * naming `requestedBy`.
   */
  async listen(host: string, port: number | undefined, requestedBy: string): Promise<number> {
    const server = createServer(this.#listener);
    // SDK clients keep connections alive; a short idle timeout keeps close() quick.
    server.keepAliveTimeout = 5_000;
    await listenOn(server, host, port, requestedBy);
    this.#server = server;
    return this.port!;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await closeServer(server);
  }
}
