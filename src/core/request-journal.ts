/** One request an emulator served, as tests assert on it. */
export interface JournalEntry {
  /** Increases by one per recorded request across the runtime; tells apart entries with the same time. */
  seq: number;
  /** When the request arrived, on the service clock (ISO 8601). */
  time: string;
  service: string;
  /** The namespace (storage account) the request addressed. */
  namespace: string;
  /** Azure's name for the operation, e.g. `PutBlob`, `PutMessage`. */
  operation: string;
  method: string;
  /** The decoded resource path after the account, e.g. `/photos/cat.png`; `/` for the service itself. */
  path: string;
  /** The raw query string without `?`; empty when there was none. */
  query: string;
  /** The status answered; 0 when the connection was dropped before any answer. */
  status: number;
  /** Azure's error code (`x-ms-error-code`) of a failed request. */
  errorCode?: string;
  /** Selected request headers (content type and length, blob type, range, ...), lowercased names. */
  headers: Record<string, string>;
  /** Request body size as declared by Content-Length; absent for a chunked body. */
  requestSize?: number;
  /** Response body size as declared by Content-Length; 0 for HEAD. */
  responseSize?: number;
  durationMs: number;
  /** Set when an injected fault shaped this answer: its id and what it did. */
  fault?: { id: string; action: FaultAction };
}

/** What an injected fault did to a request: answered an error, waited, dropped the connection or detached the AMQP link. */
export type FaultAction = 'error' | 'delay' | 'drop' | 'detach';

export interface JournalFilter {
  service?: string;
  operation?: string;
  /** An exact status (`503`) or a class (`'5xx'`). */
  status?: number | string;
  namespace?: string;
}

export interface JournalPage {
  requests: JournalEntry[];
  /** How many older entries of the namespaces asked for were dropped to respect the capacity. */
  dropped: number;
  capacity: number;
}

/** Entries kept per namespace when nobody says otherwise. */
export const DEFAULT_JOURNAL_CAPACITY = 1000;

/**
 * One namespace's entries in a ring of `capacity` slots: recording into a
 * full shelf overwrites the oldest in O(1), where shifting an array would
 * move every entry on each request.
 */
class Shelf {
  #slots: JournalEntry[] = [];
  // Index of the oldest entry once the ring is full.
  #head = 0;
  dropped = 0;

  constructor(readonly capacity: number) {}

  push(entry: JournalEntry): void {
    if (this.#slots.length < this.capacity) {
      this.#slots.push(entry);
      return;
    }
    this.#slots[this.#head] = entry;
    this.#head = (this.#head + 1) % this.capacity;
    this.dropped += 1;
  }

  /** Oldest first. */
  entries(): JournalEntry[] {
    return this.#head === 0 ? [...this.#slots] : [...this.#slots.slice(this.#head), ...this.#slots.slice(0, this.#head)];
  }

  /** Keeps only the entries `keep` accepts, in order; what was dropped stays counted. */
  retain(keep: (entry: JournalEntry) => boolean): void {
    this.#slots = this.entries().filter(keep);
    this.#head = 0;
  }
}

/**
 * What the emulators served, per namespace, since that namespace's last
 * reset. Bounded per namespace so one busy worker cannot push another
 * worker's requests out; the oldest go first and are counted.
 */
export class RequestJournal {
  readonly capacity: number;
  readonly #shelves = new Map<string, Shelf>();
  #seq = 0;

  constructor(options: { capacity?: number } = {}) {
    const capacity = options.capacity ?? DEFAULT_JOURNAL_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Journal capacity must be a positive integer, got ${capacity}.`);
    }
    this.capacity = capacity;
  }

  record(entry: Omit<JournalEntry, 'seq'>): JournalEntry {
    const recorded = { seq: ++this.#seq, ...entry };
    let shelf = this.#shelves.get(entry.namespace);
    if (!shelf) this.#shelves.set(entry.namespace, (shelf = new Shelf(this.capacity)));
    shelf.push(recorded);
    return recorded;
  }

  /** Matching entries, oldest first. */
  list(filter: JournalFilter = {}): JournalPage {
    const shelves = filter.namespace === undefined
      ? [...this.#shelves.values()]
      : [this.#shelves.get(filter.namespace)].filter((s): s is Shelf => s !== undefined);
    const requests = shelves
      .flatMap((s) => s.entries())
      .filter((e) => matches(e, filter))
      .sort((a, b) => a.seq - b.seq);
    return { requests, dropped: shelves.reduce((n, s) => n + s.dropped, 0), capacity: this.capacity };
  }

  /** Forgets one namespace's entries (all namespaces' when absent), optionally only one service's. */
  clear(scope: { namespace?: string; service?: string } = {}): void {
    for (const [name, shelf] of this.#shelves) {
      if (scope.namespace !== undefined && name !== scope.namespace) continue;
      if (scope.service === undefined) {
        this.#shelves.delete(name);
      } else {
        shelf.retain((e) => e.service !== scope.service);
      }
    }
  }
}

function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.service !== undefined && entry.service !== filter.service) return false;
  if (filter.operation !== undefined && entry.operation.toLowerCase() !== filter.operation.toLowerCase()) return false;
  if (filter.status !== undefined && !statusMatches(entry.status, filter.status)) return false;
  return true;
}

function statusMatches(status: number, wanted: number | string): boolean {
  const text = String(wanted).toLowerCase();
  const statusClass = /^([1-5])xx$/.exec(text);
  if (statusClass) return Math.floor(status / 100) === Number(statusClass[1]);
  return status === Number(text);
}
