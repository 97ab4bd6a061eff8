import type { Message } from 'rhea';
import type { AmqpConnectionState } from './connection-state.js';
import { toWireError } from './errors.js';

/** The node name request/response operations are addressed to, alone or after an entity path. */
export const MANAGEMENT_SUFFIX = '$management';

/** One `$management` request, as a service handles it. */
export interface ManagementRequest {
  connection: AmqpConnectionState;
  /** The namespace the connection's token for this node opened. */
  namespace: string;
  /** The entity the node belongs to, e.g. `orders` for `orders/$management`; empty for the namespace's own node. */
  entityPath: string;
  /** The `operation` application property, e.g. `com.microsoft:renew-lock`. */
  operation: string;
  /** The decoded request body (usually a map). */
  body: unknown;
  applicationProperties: Record<string, unknown>;
  message: Message;
}

/** A successful answer; throw AmqpWireError for a failed one. */
export interface ManagementResult {
  /** Default 200. */
  statusCode?: number;
  statusDescription?: string;
  /** The response body, typed with rhea's `types.wrap_*` where AMQP types matter (longs, uuids, timestamps). */
  body?: unknown;
  applicationProperties?: Record<string, unknown>;
}

export type ManagementHandler = (request: ManagementRequest) => ManagementResult | Promise<ManagementResult>;

/**
 * The request/response pattern of `$management` nodes: a request on the
 * node's receiving link, its answer on the link whose target is the request's
 * `reply-to`, correlated by the request's `message-id`, with `status-code`
 * and `status-description` application properties (and `error-condition`
 * on failure, which core-amqp translates). An error that detaches its link
 * is thrown instead of answered.
 */
export class ManagementEndpoint {
  constructor(readonly handler: ManagementHandler) {}

  async handle(
    context: { connection: AmqpConnectionState; address: string; namespaceFor(): string },
    request: Message,
  ): Promise<{ replyTo: string | undefined; message: Message }> {
    const applicationProperties = (request.application_properties ?? {}) as Record<string, unknown>;
    try {
      const result = await this.handler({
        connection: context.connection,
        namespace: context.namespaceFor(),
        entityPath: entityPathOf(context.address),
        operation: String(applicationProperties.operation ?? ''),
        body: request.body,
        applicationProperties,
        message: request,
      });
      const statusCode = result.statusCode ?? 200;
      return {
        replyTo: replyTo(request),
        message: responseMessage(request, {
          statusCode,
          statusDescription: result.statusDescription ?? (statusCode === 204 ? 'No Content' : 'OK'),
          body: result.body,
          applicationProperties: result.applicationProperties,
        }),
      };
    } catch (error) {
      const wire = toWireError(error);
      // Not answered: the listener detaches the request link with it.
      if (wire.detachesLink) throw wire;
      return {
        replyTo: replyTo(request),
        message: responseMessage(request, { statusCode: wire.statusCode, statusDescription: wire.description, condition: wire.condition }),
      };
    }
  }
}

/** The address answers to `request` go to. */
export function replyTo(request: Message): string | undefined {
  return typeof request.reply_to === 'string' ? request.reply_to : undefined;
}

/**
 * An answer to `request`: correlated to its message-id, with Azure's status
 * properties in both spellings, since Service Bus answers `statusCode` (the
 * SDK tests it by that name) and CBS and Event Hubs `status-code`.
 */
export function responseMessage(
  request: Message,
  answer: { statusCode: number; statusDescription: string; condition?: string; body?: unknown; applicationProperties?: Record<string, unknown> },
): Message {
  return {
    correlation_id: request.message_id,
    to: replyTo(request),
    application_properties: {
      ...answer.applicationProperties,
      'status-code': answer.statusCode,
      'status-description': answer.statusDescription,
      statusCode: answer.statusCode,
      statusDescription: answer.statusDescription,
      ...(answer.condition === undefined ? {} : { 'error-condition': answer.condition, errorCondition: answer.condition }),
    },
    body: answer.body,
  } as Message;
}

function entityPathOf(address: string): string {
  return address === MANAGEMENT_SUFFIX ? '' : address.slice(0, -(MANAGEMENT_SUFFIX.length + 1));
}
