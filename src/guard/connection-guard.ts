import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { Socket } from 'node:net';
import { setImmediate } from 'node:timers';
import tls from 'node:tls';

/** Which connections fail, and with what. */
export interface ConnectionPolicy {
  blocks(host: string): boolean;
  /** The error a blocked connection fails with; `attempt` names what was being sent, e.g. `PUT https://<host>/<path>`. */
  refusal(host: string, attempt: string): Error;
}

/**
 * Every TCP connection of the process starts in `Socket.prototype.connect`:
 * node:http and https agents, fetch (undici), http2, rhea's AMQP, raw
 * net/tls. TLS through a proxy tunnel (`tls.connect({ socket, servername })`)
 * connects nothing, so `tls.connect` is watched for that case. Requests
 * themselves are never touched: a connection to the emulators costs one
 * host check, and a kept-alive one nothing at all.
 *
 * The state lives on `Socket.prototype`, not `globalThis`: jest gives each
 * test file its own global object but one `node:net` per worker, so a second
 * file must find and update the first file's patch, not wrap it again.
 */
const STATE = Symbol.for('localzure.guard.connections');

interface GuardState {
  policy: ConnectionPolicy;
  connect: Socket['connect'];
  tlsConnect: typeof tls.connect;
  onRequest: (message: unknown) => void;
}

type PatchedPrototype = Socket & { [STATE]?: GuardState };

// Requests announced before their socket connects: fetch (undici) gives its
// socket no request, and an HTTP request sent through an interceptor such as
// nock reaches its real socket only through the interceptor's own. The last
// one per Azure host names what a blocked connection was for.
const REQUEST_CHANNELS = ['undici:request:create', 'http.client.request.start'];
const recentAttempts = new Map<string, string>();

/** Installs `policy` for every connection this process makes; installing again replaces the policy. */
export function guardConnections(policy: ConnectionPolicy): void {
  const proto = Socket.prototype as PatchedPrototype;
  const installed = proto[STATE];
  if (installed) {
    installed.policy = policy;
    return;
  }
  const state: GuardState = {
    policy,
    connect: proto.connect,
    tlsConnect: tls.connect,
    onRequest: (message) => {
      const attempt = announcedAttempt(message);
      if (attempt && state.policy.blocks(attempt.host)) recentAttempts.set(attempt.host, attempt.text);
    },
  };
  proto[STATE] = state;
  proto.connect = function guardedConnect(this: Socket, ...args: unknown[]) {
    const target = connectTarget(args);
    if (!target || !state.policy.blocks(target.host)) return (state.connect as (...a: unknown[]) => Socket).apply(this, args);
    failSoon(this, () => state.policy.refusal(target.host, describeAttempt(this, target)));
    return this;
  } as Socket['connect'];
  tls.connect = function guardedTlsConnect(...args: unknown[]) {
    const options = args.find((a): a is tls.ConnectionOptions => typeof a === 'object' && a !== null);
    const host = options?.socket ? (options.servername ?? options.host) : undefined;
    if (!options?.socket || !host || !state.policy.blocks(host)) return (state.tlsConnect as (...a: unknown[]) => tls.TLSSocket).apply(tls, args);
    // The tunnel already reaches Azure: not one byte of the handshake may go down it.
    options.socket.destroy();
    const socket = new tls.TLSSocket(new Socket());
    failSoon(socket, () => state.policy.refusal(host, `https://${host} (through a proxy tunnel)`));
    return socket;
  } as typeof tls.connect;
  for (const channel of REQUEST_CHANNELS) subscribe(channel, state.onRequest);
}

/** Puts node:net and node:tls back as they were. */
export function unguardConnections(): void {
  const proto = Socket.prototype as PatchedPrototype;
  const state = proto[STATE];
  if (!state) return;
  proto.connect = state.connect;
  tls.connect = state.tlsConnect;
  for (const channel of REQUEST_CHANNELS) unsubscribe(channel, state.onRequest);
  recentAttempts.clear();
  delete proto[STATE];
}

interface ConnectTarget {
  host: string;
  port: number | undefined;
}

// connect(options[, cb]), connect(port[, host][, cb]), connect(path[, cb]), and
// net.connect's pre-normalized [options, cb] array.
function connectTarget(args: unknown[]): ConnectTarget | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; servername?: string; port?: number | string; path?: string };
    if (options.path !== undefined && options.host === undefined) return undefined;
    return { host: options.servername || options.host || 'localhost', port: options.port === undefined ? undefined : Number(options.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
  }
  return undefined;
}

const SCHEMES: Record<number, string> = { 80: 'http', 443: 'https', 5671: 'amqps', 5672: 'amqp' };

// What the socket was opened for: the HTTP request it was handed right after
// connect, the last request announced for its host, or else the bare address.
function describeAttempt(socket: Socket, target: ConnectTarget): string {
  const request = (socket as Socket & { _httpMessage?: ClientRequest })._httpMessage;
  if (request) return `${request.method} ${request.protocol}//${request.host}${request.path}`;
  const announced = recentAttempts.get(target.host);
  if (announced) {
    recentAttempts.delete(target.host);
    return announced;
  }
  const scheme = (target.port !== undefined && SCHEMES[target.port]) || 'tcp';
  return `${scheme}://${target.host}${target.port === undefined ? '' : `:${target.port}`}`;
}

// Failed the way a refused lookup fails, asynchronously, so the caller has
// attached its handlers (and an HTTP request its socket) first. The error is
// built then, when the request the socket carries is known. node:timers'
// setImmediate, not the global one a test's fake timers may have replaced.
function failSoon(socket: Socket, refusal: () => Error): void {
  setImmediate(() => socket.destroy(crossRealm(refusal())));
}

// Under jest the error is made in the test file's realm, where undici's
// fetch takes only errors of its own realm's Error or ones whose constructor
// is named Error, and otherwise keeps just the message. Naming it so keeps the
// error itself, code and class, as fetch's `cause`.
function crossRealm(error: Error): Error {
  return Object.defineProperty(error, 'constructor', { value: Error, enumerable: false, configurable: true, writable: true });
}

// An undici request carries `origin` and `path`; a node:http ClientRequest `protocol`, `host` and `path`.
function announcedAttempt(message: unknown): { host: string; text: string } | undefined {
  const request = (message as { request?: { origin?: unknown; protocol?: string; host?: string; method?: string; path?: string } }).request;
  if (!request) return undefined;
  if (typeof request.host === 'string' && !request.origin) {
    return { host: request.host, text: `${request.method} ${request.protocol}//${request.host}${request.path}` };
  }
  if (typeof request.origin !== 'string') return undefined;
  try {
    return { host: new URL(request.origin).hostname, text: `${request.method} ${request.origin}${request.path}` };
  } catch {
    return undefined;
  }
}
