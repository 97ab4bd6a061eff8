import type { RequestListener } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import rhea, { type Connection, type Delivery, type EventContext, type Receiver, type Sender } from 'rhea';
import type { Clock } from '../../core/clock.js';
import { PortInUseError } from '../../core/errors.js';
import { CbsEndpoint, type CbsOptions } from './cbs.js';
import { AmqpConnectionState } from './connection-state.js';
import { AmqpCondition, AmqpWireError, toWireError } from './errors.js';
import { FrameGuard } from './frame-guard.js';
import { ManagementEndpoint, type ManagementHandler, MANAGEMENT_SUFFIX } from './management.js';

/** The remote end's attach, as the peer sent it. */
export interface RemoteAttach {
  source?: { address?: string; filter?: Record<string, unknown> } & Record<string, unknown>;
  target?: { address?: string } & Record<string, unknown>;
  properties?: Record<string, unknown>;
  /** 0: the peer sends settled (receive-and-delete); 1: it settles after us. */
  sndSettleMode?: number;
  rcvSettleMode?: number;
  /** Symbols the peer asks for, e.g. Event Hubs' `com.microsoft:enable-receiver-runtime-metric`. */
  desiredCapabilities?: string[];
}

/** A link a client attached to an entity, after its token was checked. */
export interface LinkContext {
  connection: AmqpConnectionState;
  /** The namespace the connection's token for this address opened. */
  namespace: string;
  /** The address attached to, e.g. `orders`, `events/Subscriptions/audit`, `orders/$DeadLetterQueue`. */
  address: string;
  /** The link name the client chose. */
  name: string;
  remote: RemoteAttach;
}

/** A client's receiving link: the service sends on `sender`. */
export interface OutgoingLink extends LinkContext {
  sender: Sender;
}

/** A client's sending link: the service receives on `receiver`. */
export interface IncomingLink extends LinkContext {
  receiver: Receiver;
}

/** What a service does with the traffic on one of its outgoing links. */
export interface OutgoingLinkHandler {
  /** The client gave credit (also called for a drain request). */
  onCredit?(): void;
  /** The client settled or updated a delivery; answer with `settleDelivery`. */
  onDisposition?(delivery: Delivery, outcome: DispositionOutcome): void;
  onClose?(): void;
}

/** What a service does with the traffic on one of its incoming links. */
export interface IncomingLinkHandler {
  /**
   * One transfer: `message` is rhea's decoded message for format 0, the raw
   * payload otherwise (e.g. a Service Bus batch). Settle the delivery with
   * `acceptDelivery` / `rejectDelivery`; a thrown AmqpWireError rejects it.
   */
  onTransfer(transfer: IncomingTransfer): void | Promise<void>;
  onClose?(): void;
  /** The largest message this link takes, advertised in its attach; the server's `maxMessageSize` when absent. */
  maxMessageSize?: number;
}

export interface IncomingTransfer {
  delivery: Delivery;
  format: number;
  /** Decoded for format 0; the raw payload for other formats. */
  message: rhea.Message | Buffer;
}

/** The outcome a client chose for a delivery it received. */
export type DispositionOutcome =
  | { type: 'accepted' }
  | { type: 'released' }
  | { type: 'rejected'; error?: { condition?: string; description?: string; info?: Record<string, unknown> } }
  | { type: 'modified'; deliveryFailed?: boolean; undeliverableHere?: boolean; messageAnnotations?: Record<string, unknown> };

/**
 * What a service plugs into the AMQP listener. Link handlers may throw an
 * AmqpWireError to refuse the attach, or return `deferred` to answer it later.
 */
export interface AmqpApplication {
  /** Service name, for messages. */
  name: string;
  openOutgoing(link: OutgoingLink): OutgoingLinkHandler | DeferredAttach;
  openIncoming(link: IncomingLink): IncomingLinkHandler;
  /** `$management` requests on any entity (and on the namespace). */
  management: ManagementHandler;
  /** A connection ended (closed, dropped or broken); forget what it held. */
  connectionClosed?(connection: AmqpConnectionState): void;
}

/**
 * An attach the service answers later (e.g. "the next session with
 * messages"): the attach goes out when `deferred` resolves with the link's
 * handler; when it rejects, the attach goes out with a detach carrying the error.
 */
export interface DeferredAttach {
  deferred: Promise<OutgoingLinkHandler>;
}

export interface AmqpServerOptions extends CbsOptions {
  host: string;
  /** 0 or undefined: a random free port. */
  port?: number;
  clock: Clock;
  /** Largest message a link accepts, advertised as the attach's max-message-size. */
  maxMessageSize: number;
  /** Largest frame, advertised in open. Default 65 536. */
  maxFrameSize?: number;
  /**
   * TLS on the same port, for clients that always use it (`amqps`, and the
   * SDKs' HTTPS administration clients): a connection whose first byte is a
   * TLS handshake is served with this key and certificate.
   */
  tls?: { key: string; cert: string };
  /** Serves HTTP requests that arrive over TLS on the same port (e.g. the Service Bus Atom API). */
  http?: RequestListener;
}

const TLS_HANDSHAKE = 0x16;
const AMQP_HEADER = Buffer.from('AMQP');

const CBS_ADDRESS = '$cbs';

interface Tracked {
  outgoing?: OutgoingLinkHandler;
  incoming?: IncomingLinkHandler;
  /** Whose request link this is: the CBS node or the `$management` node of an address. */
  node?: { kind: 'cbs' } | { kind: 'management'; address: string };
}

/**
 * An AMQP 1.0 listener on 127.0.0.1 for the Azure messaging SDKs with
 * `UseDevelopmentEmulator=true` (plain TCP, SASL ANONYMOUS, or no SASL).
 * It owns what every Azure messaging service shares: CBS `put-token` with SAS
 * verification, the `$management` request/response pattern (replies on the
 * link whose target is the request's `reply-to`), token checks at attach,
 * link bookkeeping per connection, and turning AmqpWireError into detaches,
 * rejected outcomes and status codes. The service supplies entities and
 * semantics through an AmqpApplication.
 *
 * @example
 * const server = new AmqpServer({ host: '127.0.0.1', clock, maxMessageSize: 262_144, resolveKey }, app);
 * const port = await server.start();
 */
export class AmqpServer {
  readonly #options: AmqpServerOptions;
  readonly #app: AmqpApplication;
  readonly #container: rhea.Container;
  readonly #cbs: CbsEndpoint;
  readonly #management: ManagementEndpoint;
  readonly #links = new WeakMap<object, Tracked>();
  readonly #connections = new Map<Connection, AmqpConnectionState>();
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port: number | undefined;

  constructor(options: AmqpServerOptions, app: AmqpApplication) {
    this.#options = options;
    this.#app = app;
    this.#cbs = new CbsEndpoint(options);
    this.#management = new ManagementEndpoint(app.management);
    // Settlement is the service's decision: a lock lost is a rejected settlement, not an accepted one.
    this.#container = rhea.create_container({
      autoaccept: false,
      autosettle: false,
      treat_modified_as_released: false,
    } as rhea.ContainerOptions);
    this.#wire();
  }

  /** The bound port while listening. */
  get port(): number | undefined {
    return this.#port;
  }

  /** `host:port` as clients address this listener, an IPv6 host in brackets; the port reads 0 until it listens. */
  get authority(): string {
    const { host } = this.#options;
    return `${host.includes(':') ? `[${host}]` : host}:${this.#port ?? 0}`;
  }

  /**
   * The connection string the Azure messaging SDKs take for `namespace`: its
   * SAS rule is named after it, and `UseDevelopmentEmulator` has them speak
   * plain AMQP to this port. Undefined until the listener has a port.
   */
  connectionString(namespace: { name: string; key: string }): string | undefined {
    if (this.#port === undefined) return undefined;
    return `Endpoint=sb://${this.authority};SharedAccessKeyName=${namespace.name};SharedAccessKey=${namespace.key};UseDevelopmentEmulator=true`;
  }

  /** Open client connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  async start(): Promise<number> {
    const { host, port } = this.#options;
    const server = createServer((socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' && port ? new PortInUseError(port, `the ${this.#app.name} service`) : error),
      );
      server.listen(port ?? 0, host, () => resolve());
    });
    server.on('error', () => {});
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
    return this.#port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#port = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
    this.#connections.clear();
  }

  /**
   * Closes client connections (all, or those whose tokens opened `namespace`)
   * with `amqp:connection:forced`, as Azure does when it moves a namespace.
   * Returns how many it closed.
   */
  dropConnections(namespace?: string): number {
    let dropped = 0;
    for (const [connection, state] of this.#connections) {
      if (namespace !== undefined && !state.namespaces.has(namespace)) continue;
      connection.close({ condition: AmqpCondition.ConnectionForced, description: 'The connection was closed by LocalZure (injected fault).' });
      dropped++;
    }
    return dropped;
  }

  // One port for every client: plain AMQP, AMQP over TLS, and HTTPS, told apart by their first bytes.
  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    // A peer resetting its socket must not reach the process as an unhandled error.
    socket.on('error', () => {});
    const tls = this.#tlsServer();
    if (!tls) return this.#serveAmqp(socket);
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) tls.emit('connection', socket);
      else this.#serveAmqp(socket);
    });
  }

  #tls: ReturnType<typeof createTlsServer> | undefined;
  #https: ReturnType<typeof createHttpServer> | undefined;

  #tlsServer(): ReturnType<typeof createTlsServer> | undefined {
    if (!this.#options.tls) return undefined;
    if (!this.#tls) {
      this.#tls = createTlsServer({ ...this.#options.tls, ALPNProtocols: ['http/1.1', 'amqp'] }, (secure) => this.#route(secure));
      this.#tls.on('tlsClientError', () => {});
      if (this.#options.http) this.#https = createHttpServer(this.#options.http);
    }
    return this.#tls;
  }

  #route(secure: TLSSocket): void {
    secure.on('error', () => {});
    secure.once('data', (first: Buffer) => {
      secure.pause();
      secure.unshift(first);
      if (first.subarray(0, 4).equals(AMQP_HEADER) || !this.#https) this.#serveAmqp(secure);
      else {
        this.#https.emit('connection', secure);
        secure.resume();
      }
    });
  }

  #serveAmqp(socket: Socket): void {
    const maxFrameSize = this.#options.maxFrameSize ?? 65_536;
    const connection = this.#container.create_connection({
      max_frame_size: maxFrameSize,
      // Request/response traffic: small frames must not wait for Nagle's algorithm.
      tcp_no_delay: true,
      // The SDK's idle timeout is 60 s of silence; answer its heartbeats at half of that.
      idle_time_out: 120_000,
    } as unknown as rhea.ConnectionOptions) as unknown as Connection & { accept(socket: Socket): void; input(chunk: Buffer): void };
    connection.accept(socket);
    // Bytes reach rhea through the guard, which ends connections rhea would leave hanging or drop silently.
    const guard = new FrameGuard(maxFrameSize);
    socket.removeAllListeners('data');
    const acknowledge = promptAcknowledgement(socket, connection);
    socket.on('data', (chunk: Buffer) => {
      const verdict = guard.feed(chunk);
      if (verdict.ok) {
        connection.input(chunk);
        return acknowledge();
      }
      socket.removeAllListeners('data');
      if (verdict.reason === 'not-amqp') {
        // AMQP's answer to a protocol it does not speak: the header it does speak, then the end.
        socket.end(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 1, 0, 0]));
        // A peer that never reads would never see that end: the socket goes anyway.
        setTimeout(() => socket.destroy(), 100).unref();
      } else {
        connection.close({ condition: AmqpCondition.FramingError, description: `Framing error: ${verdict.detail}.` });
        setTimeout(() => socket.destroy(), 100).unref();
      }
    });
    socket.resume();
  }

  #wire(): void {
    const c = this.#container;
    c.on('connection_open', (context: EventContext) => this.#state(context.connection));
    c.on('sender_open', (context: EventContext) => this.#guard(context.sender!, () => this.#onSenderOpen(context.sender!)));
    c.on('receiver_open', (context: EventContext) => this.#guard(context.receiver!, () => this.#onReceiverOpen(context.receiver!)));
    c.on('message', (context: EventContext) => this.#onMessage(context));
    for (const event of ['accepted', 'rejected', 'released', 'modified'] as const) {
      c.on(event, (context: EventContext) => this.#onDisposition(event, context));
    }
    c.on('sendable', (context: EventContext) => this.#links.get(context.sender!)?.outgoing?.onCredit?.());
    c.on('sender_draining', (context: EventContext) => this.#links.get(context.sender!)?.outgoing?.onCredit?.());
    c.on('sender_close', (context: EventContext) => this.#onLinkClosed(context.sender!));
    c.on('receiver_close', (context: EventContext) => this.#onLinkClosed(context.receiver!));
    c.on('session_close', (context: EventContext) => this.#onSessionClosed(context));
    c.on('connection_close', (context: EventContext) => this.#onConnectionGone(context.connection));
    c.on('disconnected', (context: EventContext) => this.#onConnectionGone(context.connection));
    // Garbage, truncated frames and oversized frames end that connection only (rhea closes it with a framing error).
    c.on('protocol_error', () => {});
    c.on('error', () => {});
    c.on('connection_error', () => {});
    c.on('session_error', () => {});
    c.on('sender_error', () => {});
    c.on('receiver_error', () => {});
  }

  #state(connection: Connection): AmqpConnectionState {
    let state = this.#connections.get(connection);
    if (!state) {
      state = new AmqpConnectionState(connection.options.id ?? String(this.#connections.size + 1), (error) => connection.close(error.toAmqp()));
      this.#connections.set(connection, state);
    }
    return state;
  }

  #guard(link: Sender | Receiver, open: () => void): void {
    try {
      open();
    } catch (error) {
      refuse(link, toWireError(error));
    }
  }

  #onSenderOpen(sender: Sender): void {
    const remote = remoteAttach(sender);
    const address = remote.source?.address ?? '';
    const connection = this.#state(sender.connection);
    echoTerminus(sender, remote);
    if (address === CBS_ADDRESS) {
      connection.addReplyLink(remote.target?.address ?? sender.name, sender);
      return;
    }
    if (address === MANAGEMENT_SUFFIX || address.endsWith(`/${MANAGEMENT_SUFFIX}`)) {
      this.#authorize(connection, address);
      connection.addReplyLink(remote.target?.address ?? sender.name, sender);
      return;
    }
    const namespace = this.#authorize(connection, address);
    const opened = this.#app.openOutgoing({ connection, namespace, address, name: sender.name, remote, sender });
    if ('deferred' in opened) {
      deferAttach(sender);
      opened.deferred.then(
        (handler) => {
          this.#links.set(sender, { outgoing: handler });
          sender.open();
        },
        (error: unknown) => {
          sender.open();
          refuse(sender, toWireError(error));
        },
      );
      return;
    }
    this.#links.set(sender, { outgoing: opened });
  }

  #onReceiverOpen(receiver: Receiver): void {
    const remote = remoteAttach(receiver);
    const address = remote.target?.address ?? '';
    const connection = this.#state(receiver.connection);
    echoTerminus(receiver, remote);
    localAttach(receiver).max_message_size = this.#options.maxMessageSize;
    if (address === CBS_ADDRESS) {
      this.#links.set(receiver, { node: { kind: 'cbs' } });
    } else if (address === MANAGEMENT_SUFFIX || address.endsWith(`/${MANAGEMENT_SUFFIX}`)) {
      this.#authorize(connection, address);
      this.#links.set(receiver, { node: { kind: 'management', address } });
    } else {
      const namespace = this.#authorize(connection, address);
      const incoming = this.#app.openIncoming({ connection, namespace, address, name: receiver.name, remote, receiver });
      if (incoming.maxMessageSize !== undefined) localAttach(receiver).max_message_size = incoming.maxMessageSize;
      this.#links.set(receiver, { incoming });
    }
    // Request links and entity senders get credit up front; the SDK waits for it before sending.
    topUpCredit(receiver);
  }

  #authorize(connection: AmqpConnectionState, address: string): string {
    return connection.authorize(address, this.#options.clock.now());
  }

  #onMessage(context: EventContext): void {
    const receiver = context.receiver!;
    const delivery = context.delivery!;
    const tracked = this.#links.get(receiver);
    // Keep the peer's credit topped up: request links and senders never wait on us.
    topUpCredit(receiver);
    const format = (context as { format?: number }).format ?? 0;
    if (tracked?.node?.kind === 'cbs') {
      delivery.update(true, ACCEPTED());
      const reply = this.#cbs.handle(this.#state(receiver.connection), context.message!);
      this.#reply(receiver.connection, reply.replyTo, reply.message);
      return;
    }
    if (tracked?.node?.kind === 'management') {
      delivery.update(true, ACCEPTED());
      const connection = this.#state(receiver.connection);
      const address = tracked.node.address;
      void this.#management
        .handle({ connection, address, namespaceFor: () => this.#authorize(connection, address) }, context.message!)
        .then(
          (reply) => this.#reply(receiver.connection, reply.replyTo, reply.message),
          // Only an error that detaches the request link gets here; the SDK fails the pending requests with it.
          (error: unknown) => detachLink(receiver, toWireError(error)),
        );
      return;
    }
    const incoming = tracked?.incoming;
    if (!incoming) {
      rejectDelivery(delivery, new AmqpWireError(AmqpCondition.NotAllowed, 'This link is not attached to an entity.'));
      return;
    }
    const message = format === 0 ? context.message! : (context.message as unknown as Buffer);
    Promise.resolve()
      .then(() => incoming.onTransfer({ delivery, format, message }))
      .catch((error: unknown) => rejectDelivery(delivery, toWireError(error)));
  }

  #reply(connection: Connection, replyTo: string | undefined, message: rhea.Message): void {
    const state = this.#connections.get(connection);
    const link = replyTo === undefined ? undefined : state?.replyLink(replyTo);
    // No reply link: the client is gone or never attached one; there is nobody to tell.
    if (link && link.is_open()) link.send(message);
  }

  #onDisposition(event: 'accepted' | 'rejected' | 'released' | 'modified', context: EventContext): void {
    const delivery = context.delivery!;
    const handler = this.#links.get(delivery.link)?.outgoing;
    if (!handler?.onDisposition) {
      if (!delivery.settled) delivery.update(true);
      return;
    }
    const state = (delivery as unknown as { remote_state?: Record<string, unknown> }).remote_state;
    handler.onDisposition(delivery, outcomeOf(event, state));
  }

  #onLinkClosed(link: Sender | Receiver): void {
    const tracked = this.#links.get(link);
    this.#links.delete(link);
    tracked?.outgoing?.onClose?.();
    tracked?.incoming?.onClose?.();
    this.#connections.get(link.connection)?.removeReplyLink(link as Sender);
    if (!link.is_closed()) link.close();
  }

  #onSessionClosed(context: EventContext): void {
    const session = context.session!;
    for (const link of Object.values((session as unknown as { links: Record<string, Sender | Receiver> }).links ?? {})) {
      if (this.#links.has(link)) this.#onLinkClosed(link);
    }
    if (!session.is_closed()) session.close();
  }

  #onConnectionGone(connection: Connection): void {
    const state = this.#connections.get(connection);
    if (!state) return;
    this.#connections.delete(connection);
    for (const session of Object.values((connection as unknown as { local_channel_map: Record<string, unknown> }).local_channel_map ?? {})) {
      for (const link of Object.values((session as { links?: Record<string, Sender | Receiver> }).links ?? {})) {
        const tracked = this.#links.get(link);
        this.#links.delete(link);
        tracked?.outgoing?.onClose?.();
        tracked?.incoming?.onClose?.();
      }
    }
    this.#app.connectionClosed?.(state);
  }
}

/** An AMQP frame with no body: a heartbeat, which every peer ignores. */
const EMPTY_FRAME = Buffer.from([0, 0, 0, 8, 2, 0, 0, 0]);

/**
 * The Azure SDKs leave Nagle's algorithm on, so a small frame they write
 * right after another (the put-token after a flow, a begin after a
 * disposition) waits for our TCP acknowledgement, which the kernel holds
 * back up to 40 ms when we have nothing to answer. Returns what to call after
 * each chunk read: when that chunk drew no answer by the end of the turn, an
 * empty frame carries the acknowledgement at once.
 */
function promptAcknowledgement(socket: Socket, connection: Connection): () => void {
  let writtenAtRead = 0;
  let pending = false;
  const check = () => {
    pending = false;
    if (socket.bytesWritten === writtenAtRead && connection.is_open() && socket.writable) socket.write(EMPTY_FRAME);
  };
  return () => {
    writtenAtRead = socket.bytesWritten;
    if (pending) return;
    pending = true;
    setImmediate(check);
  };
}

/** Accepts and settles a transfer the service took. */
export function acceptDelivery(delivery: Delivery): void {
  delivery.update(true, ACCEPTED());
}

/**
 * Settles a transfer as rejected with `error`, which the SDK raises for that
 * send or settlement. An error that detaches its link (an injected fault)
 * then detaches the link it came on: the SDK, which would otherwise wait out
 * its operation timeout for an unsettled delivery, fails the call at once
 * and attaches a new link for the next one (or its retry).
 */
export function rejectDelivery(delivery: Delivery, error: AmqpWireError): void {
  delivery.update(true, REJECTED(error.toAmqp()));
  if (error.detachesLink) detachLink(delivery.link, error);
}

/**
 * Answers a client's disposition: settles it as done, or as rejected with
 * `error` (e.g. a lost lock), which the SDK raises from `complete()` and the like.
 */
export function settleDelivery(delivery: Delivery, error?: AmqpWireError): void {
  if (error) rejectDelivery(delivery, error);
  else acceptDelivery(delivery);
  // The client's outcome was final (rcv-settle-mode second): it settles on our answer and says no more.
  // rhea frees a delivery only once both ends settled; without this, a session's 2048 slots fill
  // and a peek-lock receiver gets nothing after its 2048th message.
  (delivery as unknown as { remote_settled: boolean }).remote_settled = true;
}

/** Detaches a link with `error`; the SDK surfaces it on that sender or receiver. */
export function detachLink(link: Sender | Receiver, error: AmqpWireError): void {
  if (!link.is_closed()) link.close(error.toAmqp());
}

// rhea's typings leave out outcome constructors, credit and the local attach frame.
const outcomes = rhea.message as unknown as Record<'accepted' | 'rejected', (fields?: object) => { described(): unknown }>;
const ACCEPTED = () => outcomes.accepted().described() as never;
const REJECTED = (error: object) => outcomes.rejected({ error }).described() as never;

function localAttach(link: Sender | Receiver): Record<string, unknown> {
  return (link as unknown as { local: { attach: Record<string, unknown> } }).local.attach;
}

// Request links and entity senders never wait on us: keep ~1000 credits open.
function topUpCredit(receiver: Receiver): void {
  const credit = (receiver as unknown as { credit: number }).credit;
  if (credit < 500) receiver.add_credit(1000 - credit);
}

// An attach that cannot be served is answered, as Azure does, with an attach
// and an immediate detach carrying the reason.
function refuse(link: Sender | Receiver, error: AmqpWireError): void {
  link.close(error.toAmqp());
}

function remoteAttach(link: Sender | Receiver): RemoteAttach {
  const attach = (link as unknown as { remote: { attach: Record<string, unknown> } }).remote.attach;
  return {
    source: attach.source as RemoteAttach['source'],
    target: attach.target as RemoteAttach['target'],
    properties: (attach.properties ?? undefined) as RemoteAttach['properties'],
    sndSettleMode: attach.snd_settle_mode as number | undefined,
    rcvSettleMode: attach.rcv_settle_mode as number | undefined,
    desiredCapabilities: symbols(attach.desired_capabilities),
  };
}

// A symbol-or-array field of an attach, as plain strings.
function symbols(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

// Our end of the link speaks of the same terminus and settlement modes as the peer's.
function echoTerminus(link: Sender | Receiver, remote: RemoteAttach): void {
  const attach = localAttach(link);
  // The address only: filters are the service's to answer (a session filter names the session it granted).
  if (remote.source) link.set_source({ address: remote.source.address } as rhea.Source);
  if (remote.target) link.set_target({ address: remote.target.address } as rhea.TerminusOptions);
  if (remote.sndSettleMode !== undefined) attach.snd_settle_mode = remote.sndSettleMode;
  if (remote.rcvSettleMode !== undefined) attach.rcv_settle_mode = remote.rcvSettleMode;
}

// rhea answers an attach as soon as it arrives; holding the answer back
// (until a session has messages, say) means taking back that pending open,
// which `open()` later requests again.
function deferAttach(link: Sender): void {
  const state = (link as unknown as { state: { local_open: boolean; open_requests: number } }).state;
  state.local_open = false;
  state.open_requests = Math.max(0, state.open_requests - 1);
}

// rhea hands the peer's outcome over as a composite with named fields.
function outcomeOf(event: 'accepted' | 'rejected' | 'released' | 'modified', state: Record<string, unknown> | undefined): DispositionOutcome {
  switch (event) {
    case 'accepted':
      return { type: 'accepted' };
    case 'released':
      return { type: 'released' };
    case 'rejected': {
      const error = state?.error as { condition?: unknown; description?: unknown; info?: unknown } | undefined;
      return {
        type: 'rejected',
        error: error && {
          condition: error.condition === undefined ? undefined : String(error.condition),
          description: error.description === undefined || error.description === null ? undefined : String(error.description),
          info: (error.info ?? undefined) as Record<string, unknown> | undefined,
        },
      };
    }
    case 'modified':
      return {
        type: 'modified',
        deliveryFailed: state?.delivery_failed === true,
        undeliverableHere: state?.undeliverable_here === true,
        messageAnnotations: (state?.message_annotations ?? undefined) as Record<string, unknown> | undefined,
      };
  }
}
