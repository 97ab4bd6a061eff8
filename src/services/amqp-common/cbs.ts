import type { Message } from 'rhea';
import type { Clock } from '../../core/clock.js';
import type { AmqpConnectionState } from './connection-state.js';
import { AmqpCondition, AmqpWireError, toWireError } from './errors.js';
import { replyTo, responseMessage } from './management.js';
import { verifySasToken } from './sas-token.js';

export interface CbsOptions {
  clock: Clock;
  /** The key of the authorization rule `keyName` and the namespace it belongs to; undefined when no such rule exists. */
  resolveKey(keyName: string): { namespace: string; key: string } | undefined;
  /**
   * Refuses a token whose audience names nothing in `namespace` (throw
   * AmqpWireError, e.g. `amqp:not-found`), so a client learns of a missing
   * entity when it asks for access. `path` is the audience's path, as sent.
   */
  checkAudience?(namespace: string, path: string): void;
}

const SAS_TOKEN_TYPE = 'servicebus.windows.net:sastoken';

/**
 * The `$cbs` node: `put-token` requests carry a SAS token for an audience;
 * a valid one authorizes that audience's links on the connection.
 */
export class CbsEndpoint {
  constructor(readonly options: CbsOptions) {}

  handle(connection: AmqpConnectionState, request: Message): { replyTo: string | undefined; message: Message } {
    try {
      this.#putToken(connection, request);
      return { replyTo: replyTo(request), message: responseMessage(request, { statusCode: 202, statusDescription: 'Accepted' }) };
    } catch (error) {
      const wire = toWireError(error);
      return { replyTo: replyTo(request), message: responseMessage(request, { statusCode: wire.statusCode, statusDescription: wire.description, condition: wire.condition }) };
    }
  }

  #putToken(connection: AmqpConnectionState, request: Message): void {
    const props = (request.application_properties ?? {}) as Record<string, unknown>;
    if (props.operation !== 'put-token') {
      throw new AmqpWireError(AmqpCondition.NotImplemented, `The $cbs node supports only 'put-token', not '${String(props.operation)}'.`);
    }
    if (props.type !== SAS_TOKEN_TYPE) {
      throw new AmqpWireError(
        AmqpCondition.UnauthorizedAccess,
        `Unauthorized access. Token type '${String(props.type)}' is not accepted: LocalZure verifies SAS tokens (${SAS_TOKEN_TYPE}); use a connection string or AzureNamedKeyCredential.`,
      );
    }
    let namespace: string | undefined;
    const grant = verifySasToken(request.body, (keyName) => {
      const rule = this.options.resolveKey(keyName);
      namespace = rule?.namespace;
      return rule?.key;
    }, this.options.clock.now());
    const name = typeof props.name === 'string' ? props.name : grant.audience;
    // A token signed for a namespace or a parent path covers what lies under it, as in Azure.
    const path = audiencePath(grant.audience).toLowerCase();
    const wanted = audiencePath(name);
    if (path !== '' && wanted.toLowerCase() !== path && !wanted.toLowerCase().startsWith(`${path}/`)) {
      throw new AmqpWireError(AmqpCondition.UnauthorizedAccess, `Unauthorized access. The token is for '${grant.audience}', not '${name}'.`);
    }
    this.options.checkAudience?.(namespace!, wanted);
    connection.grant({ namespace: namespace!, path, expiresAt: grant.expiresAt });
  }
}

/** The path of an audience URI (`sb://host:port/orders/` → `orders`). */
export function audiencePath(audience: string): string {
  const withoutScheme = audience.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return withoutScheme.replace(/^\/+|\/+$/g, '');
}
