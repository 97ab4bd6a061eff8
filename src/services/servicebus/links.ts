import { randomUUID } from 'node:crypto';
import rhea, { type Delivery, type Sender } from 'rhea';
import {
  acceptDelivery,
  detachLink,
  settleDelivery,
  type DeferredAttach,
  type DispositionOutcome,
  type IncomingLink,
  type IncomingLinkHandler,
  type IncomingTransfer,
  type OutgoingLink,
  type OutgoingLinkHandler,
} from '../amqp-common/amqp-server.js';
import { AmqpCondition, AmqpWireError, toWireError } from '../amqp-common/errors.js';
import { sbErrors } from './errors.js';
import { encodeForClient, guidBytes, messagesOfTransfer, uuidBytes, uuidText, type StoredMessage } from './message.js';
import type { MessageConsumer, MessageEntity } from './message-entity.js';
import type { ServiceBusNamespace } from './namespace-store.js';
import type { OperationRecorder } from '../amqp-common/operation-recorder.js';

const SESSION_FILTER = 'com.microsoft:session-filter';
const LOCKED_UNTIL = 'com.microsoft:locked-until-utc';
const TIMEOUT = 'com.microsoft:timeout';
const DEAD_LETTER_CONDITION = 'com.microsoft:dead-letter';
/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch. */
const EPOCH_TICKS = 621355968000000000n;

/** What the links of one namespace need from the service. */
export interface LinkEnvironment {
  namespace: ServiceBusNamespace;
  now(): number;
  /** `sb://host:port/`, for entity names in error texts. */
  endpoint: string;
  record: OperationRecorder;
  /** Entities that have receivers waiting, so clock-driven changes reach them. */
  watch(entity: MessageEntity, consumer: MessageConsumer, on: boolean): void;
}

/** A client's sending link to a queue or topic. */
export function openSender(link: IncomingLink, env: LinkEnvironment): IncomingLinkHandler {
  const target = env.namespace.require(link.address, env.endpoint);
  if (target.kind === 'subscription' || (target.kind !== 'topic' && target.deadLetter)) {
    throw sbErrors.badRequest(`Cannot send to '${link.address}': only queues and topics take messages.`);
  }
  const max = target.kind === 'topic' ? target.topic.properties.maxMessageSizeBytes : target.entity.properties.maxMessageSizeBytes;
  return {
    maxMessageSize: max,
    onTransfer: async (transfer: IncomingTransfer) => {
      await env.record.run('Send', link.address, link.connection, async () => {
        const messages = messagesOfTransfer(transfer.format, transfer.message);
        for (const m of messages) if (m.size > max) throw sbErrors.messageTooLarge(m.size, max);
        env.namespace.send(target, messages, env.now(), env.endpoint);
      });
      acceptDelivery(transfer.delivery);
    },
  };
}

/** A client's receiving link: plain, on a dead-letter sub-queue, or on one session. */
export function openReceiver(link: OutgoingLink, env: LinkEnvironment): OutgoingLinkHandler | DeferredAttach {
  const resolved = env.namespace.require(link.address, env.endpoint);
  if (resolved.kind === 'topic') throw sbErrors.badRequest(`Cannot receive from topic '${link.address}': receive from one of its subscriptions.`);
  const entity = resolved.entity;
  const status = entity.properties.status;
  if (status === 'Disabled' || status === 'ReceiveDisabled') throw sbErrors.disabled(`${env.endpoint}${link.address}`, status === 'Disabled' ? undefined : 'Receive');
  const filter = link.remote.source?.filter;
  const wantsSession = filter !== undefined && filter !== null && SESSION_FILTER in filter;
  const sessionful = entity.properties.requiresSession && !resolved.deadLetter;
  if (sessionful && !wantsSession) throw sbErrors.sessionRequired(link.address);
  if (!sessionful && wantsSession) throw sbErrors.sessionNotSupported(link.address);
  const receiver = new ReceiverLink(link, entity, env);
  if (!wantsSession) return receiver.start(undefined);
  const requested = unwrap(filter[SESSION_FILTER]);
  if (requested !== undefined && requested !== null) return receiver.start(String(requested));
  return { deferred: receiver.startNextSession(timeoutOf(link)) };
}

class ReceiverLink implements MessageConsumer, OutgoingLinkHandler {
  readonly #sender: Sender;
  readonly #receiveAndDelete: boolean;
  #sessionId: string | undefined;
  #closed = false;

  constructor(
    readonly link: OutgoingLink,
    readonly entity: MessageEntity,
    readonly env: LinkEnvironment,
  ) {
    this.#sender = link.sender;
    // The SDK's receive-and-delete sends settled (snd-settle-mode 1).
    this.#receiveAndDelete = link.remote.sndSettleMode === 1;
  }

  start(sessionId: string | undefined): OutgoingLinkHandler {
    if (sessionId !== undefined) {
      try {
        this.env.record.sync('AcceptSession', this.link.address, this.link.connection, () => this.#lockSession(sessionId));
      } catch (error) {
        if ((error as AmqpWireError).condition !== AmqpCondition.SessionCannotBeLocked) throw error;
        // Azure answers with an attach that names no session; the SDK turns that into SessionCannotBeLocked and closes the link.
        this.#closed = true;
        this.#setLockedUntil(this.env.now());
        return {};
      }
    }
    this.env.watch(this.entity, this, true);
    return this;
  }

  async startNextSession(timeoutMs: number): Promise<OutgoingLinkHandler> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#closed) throw sbErrors.noSessionAvailable();
      const sessionId = this.entity.nextAvailableSession(this.env.now());
      if (sessionId !== undefined) return this.start(sessionId);
      if (Date.now() >= deadline) throw sbErrors.noSessionAvailable();
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, Math.max(1, deadline - Date.now()))));
    }
  }

  #lockSession(sessionId: string): void {
    const session = this.entity.acceptSession(sessionId, this.env.now(), this);
    this.#sessionId = sessionId;
    this.#sender.set_source({ address: this.link.remote.source?.address, filter: { [SESSION_FILTER]: sessionId } } as unknown as rhea.Source);
    this.#setLockedUntil(session.lockedUntil);
  }

  #setLockedUntil(until: number): void {
    const attach = (this.#sender as unknown as { local: { attach: { properties?: Record<string, unknown> } } }).local.attach;
    attach.properties = { ...attach.properties, [LOCKED_UNTIL]: rhea.types.wrap_long(ticksBuffer(until) as never) };
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  onCredit(): void {
    this.pump();
  }

  pump(): void {
    if (this.#closed || !this.#sender.is_open()) return;
    const now = this.env.now();
    if (this.#sessionId !== undefined) {
      const session = this.entity.sessions.get(this.#sessionId);
      // A session whose lock ran out stops delivering; the SDK learns of it when it settles or renews.
      if (!session || session.owner !== this || session.lockedUntil <= now) return this.#drained();
    }
    try {
      while (this.#sender.sendable()) {
        const next = this.entity.nextAvailable(now, this.#sessionId);
        if (!next) break;
        this.#deliver(next, now);
      }
    } catch (error) {
      // A fault injected on Receive has no delivery to reject: it detaches the receiver, as Azure ends a link it moves.
      this.onClose();
      this.detach(toWireError(error));
      return;
    }
    this.#drained();
  }

  #deliver(message: StoredMessage, now: number): void {
    this.env.record.sync('Receive', this.link.address, this.link.connection, () => {});
    if (this.#receiveAndDelete) {
      this.entity.take(message);
      this.#sender.send(encodeForClient(message), uuidBytes(randomUUID()), 0);
      return;
    }
    this.entity.lock(message, now, this);
    this.#sender.send(encodeForClient(message), guidBytes(uuidBytes(message.lock!.token)), 0);
  }

  // A drain request with nothing left to give: hand the credit back so receiveMessages returns.
  #drained(): void {
    if ((this.#sender as unknown as { _draining?: boolean })._draining) this.#sender.set_drained(true);
  }

  onDisposition(delivery: Delivery, outcome: DispositionOutcome): void {
    const token = uuidText(guidBytes(Buffer.from(delivery.tag as unknown as Buffer)));
    const now = this.env.now();
    const { operation, settle } = settlement(outcome);
    try {
      this.env.record.sync(operation, this.link.address, this.link.connection, () => {
        this.#ownedLock(token, now);
        settle(this.entity, token, now);
      });
      settleDelivery(delivery);
    } catch (error) {
      settleDelivery(delivery, toWireError(error));
    }
  }

  #ownedLock(token: string, now: number): void {
    const message = this.entity.locked(token, now);
    if (message.lock!.owner !== this && message.sessionId !== undefined) throw sbErrors.sessionLockLost(message.sessionId);
  }

  onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.env.watch(this.entity, this, false);
    this.entity.release(this, this.env.now());
  }

  /** Detaches this link with `error` (an injected fault on Receive). */
  detach(error: AmqpWireError): void {
    detachLink(this.#sender, error);
  }
}

/** How each outcome a client picks settles the message, and its name in the journal. */
function settlement(outcome: DispositionOutcome): {
  operation: string;
  settle: (entity: MessageEntity, token: string, now: number) => void;
} {
  switch (outcome.type) {
    case 'accepted':
      return { operation: 'Complete', settle: (e, t, n) => e.complete(t, n) };
    case 'released':
      return { operation: 'Abandon', settle: (e, t, n) => e.abandon(t, n) };
    case 'modified':
      if (outcome.undeliverableHere) return { operation: 'Defer', settle: (e, t, n) => e.defer(t, n, outcome.messageAnnotations) };
      return { operation: 'Abandon', settle: (e, t, n) => e.abandon(t, n, outcome.messageAnnotations) };
    case 'rejected': {
      const info = { ...(outcome.error?.info ?? {}) };
      const reason = info.DeadLetterReason as string | undefined;
      const description = info.DeadLetterErrorDescription as string | undefined;
      delete info.DeadLetterReason;
      delete info.DeadLetterErrorDescription;
      if (outcome.error?.condition !== undefined && outcome.error.condition !== DEAD_LETTER_CONDITION) {
        return { operation: 'Abandon', settle: (e, t, n) => e.abandon(t, n) };
      }
      return {
        operation: 'DeadLetter',
        settle: (e, t, n) => e.deadLetter(t, n, { reason: reason ?? undefined, description: description ?? undefined, properties: definedOnly(info) }),
      };
    }
  }
}

function definedOnly(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== null));
}

function timeoutOf(link: OutgoingLink): number {
  const value = unwrap(link.remote.properties?.[TIMEOUT]);
  const ms = typeof value === 'number' ? value : Number(value);
  // Azure caps a wait for the next session at 65 s whatever the client asks.
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 65_000) : 60_000;
}

function unwrap(value: unknown): unknown {
  if (value && typeof value === 'object' && 'value' in (value as object) && 'typecode' in (value as object)) return rhea.types.unwrap(value as never);
  return value;
}

/** 8 big-endian bytes of the .NET ticks for `ms`, as Azure's `locked-until-utc` is sent. */
export function ticksBuffer(ms: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(Math.round(ms)) * 10000n + EPOCH_TICKS);
  return buffer;
}

