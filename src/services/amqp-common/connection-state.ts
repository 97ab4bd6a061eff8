import type { Sender } from 'rhea';
import { AmqpCondition, AmqpWireError } from './errors.js';
import { tokenExpired } from './sas-token.js';

const NAMESPACE_MANAGEMENT = '$management';

/** A token the connection put on `$cbs`: which namespace and path it opens, until when. */
export interface TokenGrant {
  namespace: string;
  /** The audience's path, e.g. `orders` or `events/subscriptions/audit`; empty for the whole namespace. Lower case. */
  path: string;
  expiresAt: number;
}

/**
 * What the listener knows about one client connection: the tokens it put
 * and the reply links of its request/response pairs.
 */
export class AmqpConnectionState {
  readonly #grants = new Map<string, TokenGrant>();
  readonly #replyLinks = new Map<string, Sender>();

  readonly #close: (error: AmqpWireError) => void;

  constructor(
    readonly id: string,
    close: (error: AmqpWireError) => void,
  ) {
    this.#close = close;
  }

  /** Closes the connection with `error` (e.g. an injected fault); every link on it ends. */
  drop(error: AmqpWireError): void {
    this.#close(error);
  }

  /** The namespaces this connection holds tokens for. */
  get namespaces(): Set<string> {
    return new Set([...this.#grants.values()].map((g) => g.namespace));
  }

  grant(grant: TokenGrant): void {
    this.#grants.set(`${grant.namespace}\n${grant.path}`, grant);
  }

  /**
   * The namespace whose token covers `address` (an entity path such as
   * `orders/$DeadLetterQueue` or `orders/$management`), checked against `now`
   * (the emulators' clock) and the wall clock, as tokenExpired judges.
   * Throws AmqpWireError `amqp:unauthorized-access` naming what is missing.
   */
  authorize(address: string, now: number): string {
    const wanted = address.toLowerCase();
    let best: TokenGrant | undefined;
    for (const grant of this.#grants.values()) {
      const covers =
        grant.path === '' ||
        wanted === grant.path ||
        wanted.startsWith(`${grant.path}/`) ||
        // Event Hubs puts a token for `<hub>/$management` and attaches to the namespace's `$management`; requests name the hub.
        (wanted === NAMESPACE_MANAGEMENT && grant.path.endsWith(`/${NAMESPACE_MANAGEMENT}`));
      if (covers && (!best || grant.path.length > best.path.length)) best = grant;
    }
    if (!best) {
      throw new AmqpWireError(
        AmqpCondition.UnauthorizedAccess,
        `Unauthorized access. No token authorizes '${address}' on this connection: put a token for its audience on $cbs before attaching.`,
      );
    }
    if (tokenExpired(best.expiresAt, now)) {
      throw new AmqpWireError(
        AmqpCondition.UnauthorizedAccess,
        `Unauthorized access. ExpiredToken: the token for '${address}' expired at ${new Date(best.expiresAt).toISOString()}.`,
      );
    }
    return best.namespace;
  }

  addReplyLink(address: string, link: Sender): void {
    this.#replyLinks.set(address, link);
  }

  replyLink(address: string): Sender | undefined {
    return this.#replyLinks.get(address);
  }

  removeReplyLink(link: Sender): void {
    for (const [address, candidate] of this.#replyLinks) if (candidate === link) this.#replyLinks.delete(address);
  }
}
