import {
  LocalZureService,
  type Logger,
  type ServiceContext,
  type ServiceHealth,
  type ServiceMetadata,
} from '../../src/index.js';

/** A logger that keeps what it was told, so tests can assert on warnings. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

export interface TestServiceOptions {
  dependencies?: string[];
  enabled?: boolean;
  /** Shared across services so a test can read the order of every call. */
  journal?: string[];
  logger?: Logger;
  /** Shared parts such as the namespace registry and clock of the manager it joins. */
  context?: Partial<ServiceContext>;
  onStart?: () => unknown;
  onStop?: () => unknown;
  onReset?: (namespace?: string) => unknown;
  onHealth?: () => ServiceHealth | Promise<ServiceHealth>;
}

/**
 * A service whose every hook writes `<hook>:<name>` to a journal and then
 * runs what the test gave it, e.g. a throwing start.
 */
export class TestService extends LocalZureService {
  readonly journal: string[];
  readonly #name: string;
  readonly #options: TestServiceOptions;

  constructor(name: string, options: TestServiceOptions = {}) {
    super({ ...options.context, logger: options.logger ?? options.context?.logger ?? recordingLogger() });
    this.#name = name;
    this.#options = options;
    this.journal = options.journal ?? [];
  }

  getMetadata(): ServiceMetadata {
    return {
      name: this.#name,
      version: '1.0.0',
      description: `test service ${this.#name}`,
      dependencies: this.#options.dependencies ?? [],
      enabled: this.#options.enabled ?? true,
    };
  }

  protected override async onStart(): Promise<void> {
    this.journal.push(`start:${this.#name}`);
    await this.#options.onStart?.();
  }

  protected override async onStop(): Promise<void> {
    this.journal.push(`stop:${this.#name}`);
    await this.#options.onStop?.();
  }

  protected override async onReset(namespace?: string): Promise<void> {
    this.journal.push(namespace === undefined ? `reset:${this.#name}` : `reset:${this.#name}:${namespace}`);
    await this.#options.onReset?.(namespace);
  }

  override async seed(namespace?: string): Promise<void> {
    this.journal.push(namespace === undefined ? `seed:${this.#name}` : `seed:${this.#name}:${namespace}`);
  }

  protected override async onHealth(): Promise<ServiceHealth> {
    return this.#options.onHealth ? this.#options.onHealth() : { status: 'healthy' };
  }
}

/** A promise the test settles by hand, to hold a hook open while it looks at the state. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Runs `fn` and returns what it threw (synchronously or as a rejection); fails the test when nothing was thrown. */
export async function caught<E = Error>(fn: () => unknown): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected an error, but none was thrown');
}
