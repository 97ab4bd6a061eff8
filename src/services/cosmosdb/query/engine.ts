import type { runQuery } from './execute.js';
import type { parseQuery } from './parser.js';

interface Engine {
  runQuery: typeof runQuery;
  parseQuery: typeof parseQuery;
}

let loaded: Engine | undefined;

/**
 * The query engine (lexer, parser, compiler, built-ins: most of this
 * service's code), imported on the first query, listing or conditional
 * patch, so that starting the emulator does not compile it.
 */
export async function queryEngine(): Promise<Engine> {
  if (!loaded) {
    const [execute, parser] = await Promise.all([import('./execute.js'), import('./parser.js')]);
    loaded = { runQuery: execute.runQuery, parseQuery: parser.parseQuery };
  }
  return loaded;
}

/** The engine once `queryEngine()` has loaded it, for the synchronous store; a caller that skipped loading it is a bug. */
export function loadedEngine(): Engine {
  if (!loaded) throw new Error('The Cosmos DB query engine is used before queryEngine() loaded it.');
  return loaded;
}
