/**
 * Cosmos DB's error codes and the HTTP status each travels with. Stores and
 * the query engine throw CosmosError with one of these codes; only the
 * dispatcher turns it into a response.
 */
const STATUS = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  PreconditionFailed: 412,
  RequestEntityTooLarge: 413,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
} as const;

export type CosmosErrorCode = keyof typeof STATUS;

/** A Cosmos DB wire error: `code` is Cosmos DB's own, `status` follows from it unless a fault chose another. */
export class CosmosError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: CosmosErrorCode | string,
    message: string,
    options: { status?: number; headers?: Record<string, string>; subStatus?: number } = {},
  ) {
    super(message);
    this.name = 'CosmosError';
    this.status = options.status ?? STATUS[code as CosmosErrorCode] ?? 500;
    this.headers = { ...options.headers };
    if (options.subStatus !== undefined) this.headers['x-ms-substatus'] = String(options.subStatus);
  }
}

export const badRequest = (message: string) => new CosmosError('BadRequest', message);
export const notFound = (what = 'Resource Not Found. Learn more: https://aka.ms/cosmosdb-tsg-not-found') => new CosmosError('NotFound', what);
export const conflict = (message = 'Entity with the specified id already exists in the system.') => new CosmosError('Conflict', message);
export const preconditionFailed = () =>
  new CosmosError('PreconditionFailed', 'Operation cannot be performed because one of the specified precondition is not met.');

/** Stored procedures, triggers, user-defined functions, users and permissions: named, so nobody mistakes the gap for a bug of theirs. */
export const notImplemented = (what: string) =>
  new CosmosError('BadRequest', `LocalZure's Cosmos DB emulator does not support ${what} yet; see the README's list of what is not supported.`);
