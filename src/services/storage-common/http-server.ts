import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { close as closeServer, listen as listenOn } from '../../core/listen.js';
import type { ServiceLimits } from '../../core/service.js';
import { StorageError } from './storage-error.js';

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

  /** `http://<host>:<port>` while listening (an IPv6 host in brackets), else undefined. */
  origin(host: string): string | undefined {
    const port = this.port;
    if (port === undefined) return undefined;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /**
   * Listens on `port` (0 or undefined: a random free one) and resolves with
   * the bound port. A fixed port that is taken becomes core's PortInUseError
   * naming `requestedBy`.
   */
  async listen(host: string, port: number | undefined, requestedBy: string, limits: ServiceLimits = {}): Promise<number> {
    const requestTimeout = limits.requestTimeoutMs ?? 300_000;
    // Node refuses a headers timeout longer than a (non-zero) request timeout.
    const headersTimeout = Math.min(limits.headersTimeoutMs ?? 60_000, requestTimeout || Infinity);
    const server = createServer(
      {
        maxHeaderSize: limits.maxHeaderSize ?? 16 * 1024,
        headersTimeout,
        requestTimeout,
        // Node checks both timeouts on this period; a short one lets short limits bite on time.
        connectionsCheckingInterval: Math.min(30_000, headersTimeout, requestTimeout || Infinity),
      },
      this.#listener,
    );
    // SDK clients keep connections alive; a short idle timeout keeps close() quick.
    server.keepAliveTimeout = limits.keepAliveTimeoutMs ?? 5_000;
    server.on('clientError', answerClientError);
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

/**
 * Requests Node cannot parse (oversized headers, broken framing, a client
 * too slow to finish) never reach the dispatcher; they still get Azure's
 * status and `x-ms-error-code` instead of Node's bare 400, then the
 * connection closes. No body: the method (HEAD takes none) is unknown here.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || response?.headersSent || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const failure = clientFailure(error);
  const head = [
    `HTTP/1.1 ${failure.status} ${failure.code}`,
    'Connection: close',
    'Content-Length: 0',
    `x-ms-error-code: ${failure.code}`,
    `x-ms-request-id: ${randomUUID()}`,
    `Date: ${new Date().toUTCString()}`,
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n`);
}
function clientFailure(error: NodeJS.ErrnoException): StorageError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new StorageError(431, 'RequestHeaderFieldsTooLarge', 'The request line and headers are larger than this LocalZure service accepts (limits.maxHeaderSize).');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new StorageError(408, 'RequestTimeout', 'The request did not arrive in full within the time this LocalZure service allows (limits.headersTimeoutMs, limits.requestTimeoutMs).');
    case 'HPE_INVALID_URL':
      return new StorageError(400, 'RequestUrlFailedToParse', 'The URL in the request could not be parsed.');
    case 'HPE_INVALID_HEADER_TOKEN':
      return new StorageError(400, 'InvalidHeaderValue', 'The value for one of the HTTP headers is not in the correct format.');
    default:
      return new StorageError(400, 'InvalidInput', `One of the request inputs is not valid: the HTTP request could not be parsed (${error.code ?? error.message}).`);
  }
}
