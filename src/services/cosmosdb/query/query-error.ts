import { CosmosError } from '../errors.js';

/**
 * A query Cosmos DB refuses (syntax, an unknown function, a wrong argument)
 * or one LocalZure does not support. Both answer 400 BadRequest naming the
 * construct, never a partial result; the body carries Cosmos DB's error
 * list with the position in the query text.
 */
export class QueryError extends CosmosError {
  private constructor(queryCode: string, message: string, at?: number) {
    const location = at === undefined ? {} : { location: { start: at, end: at + 1 } };
    super('BadRequest', `Message: ${JSON.stringify({ errors: [{ severity: 'Error', ...location, code: queryCode, message }] })}`);
  }

  /** Text the grammar cannot read. */
  static syntax(message: string, at?: number): QueryError {
    return new QueryError('SC1001', `Syntax error, ${message}${at === undefined ? '' : ` (at position ${at})`}.`, at);
  }

  /** Well-formed text Cosmos DB refuses: an unknown function, a wrong argument count, an aggregate out of place. */
  static semantic(message: string): QueryError {
    return new QueryError('SC2001', message);
  }

  /** A query LocalZure stopped: it ran past a limit of the emulator's own, which Cosmos DB may not have. */
  static stopped(message: string): QueryError {
    return new QueryError('LZ0002', message);
  }

  /** A construct Cosmos DB accepts that LocalZure does not evaluate yet. */
  static unsupported(construct: string): QueryError {
    return new QueryError('LZ0001', `LocalZure's Cosmos DB emulator does not support ${construct} in queries yet; see the README's list of what is not supported.`);
  }
}
