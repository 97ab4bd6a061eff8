import type { JournalEntry } from '../core/request-journal.js';
import { ControlClient, type ResetTarget } from './control-client.js';

/** What `toHaveReceived` looks for in the request journal; every field given must match. */
export interface RequestMatch {
  service?: string;
  /** Azure's operation name, e.g. `PutBlob`. */
  operation?: string;
  /** HTTP method, any case. */
  method?: string;
  /** The resource path after the account, e.g. `/photos/a.png`. */
  path?: string;
  /** An exact status (`201`) or a class (`'4xx'`). */
  status?: number | string;
}

/** The part of jest's and vitest's matcher context used here. */
interface MatcherContext {
  isNot?: boolean;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** Requests listed in a failure message. */
const LISTED = 20;

/**
 * `await expect(localzure).toHaveReceived({ service: 'blob', operation: 'PutBlob', path: '/photos/a.png' })`:
 * passes when the emulators served a matching request for that Environment's
 * account since its last reset (`times`: exactly that many). Fails listing
 * what the account received instead. For vitest and jest alike.
 */
export async function toHaveReceived(this: MatcherContext, received: unknown, match: RequestMatch, times?: number): Promise<MatcherResult> {
  if (!isTarget(received)) {
    return {
      pass: false,
      message: () =>
        `toHaveReceived() needs the Environment of an account, e.g. expect(localzure) with the localzure fixture of localzure/vitest, or expect(useLocalZure()); got ${String(received)}.`,
    };
  }
  const { requests, dropped } = await new ControlClient(received.controlUrl).requests({ namespace: received.account.name });
  const matching = requests.filter((entry) => matches(entry, match));
  const pass = times === undefined ? matching.length > 0 : matching.length === times;
  const wanted = `${describeMatch(match)}${times === undefined ? '' : ` ${times} time${times === 1 ? '' : 's'}`}`;
  const account = received.account.name;
  return {
    pass,
    message: () => {
      if (this.isNot) return `expected account ${account} not to have received ${wanted}, but it received ${matching.length} matching:\n${listing(matching)}`;
      const seen = requests.length === 0 ? 'it received no requests' : `it received ${matching.length} matching, of these ${requests.length}:\n${listing(requests)}`;
      const older = dropped > 0 ? `\n(${dropped} older requests were dropped from the journal; raise journalCapacity to keep them)` : '';
      return `expected account ${account} to have received ${wanted}, but ${seen}${older}`;
    },
  };
}

function isTarget(value: unknown): value is ResetTarget {
  const target = value as Partial<ResetTarget> | null;
  return typeof target === 'object' && target !== null && typeof target.controlUrl === 'string' && typeof target.account?.name === 'string';
}

function matches(entry: JournalEntry, match: RequestMatch): boolean {
  if (match.service !== undefined && entry.service !== match.service) return false;
  if (match.operation !== undefined && entry.operation !== match.operation) return false;
  if (match.method !== undefined && entry.method.toUpperCase() !== match.method.toUpperCase()) return false;
  if (match.path !== undefined && entry.path !== match.path) return false;
  if (match.status !== undefined && !statusMatches(entry.status, match.status)) return false;
  return true;
}

function statusMatches(status: number, wanted: number | string): boolean {
  const text = String(wanted).toLowerCase();
  return /^[1-5]xx$/.test(text) ? Math.floor(status / 100) === Number(text[0]) : status === Number(wanted);
}

function describeMatch(match: RequestMatch): string {
  const parts = Object.entries(match).filter(([, value]) => value !== undefined).map(([name, value]) => `${name}: ${JSON.stringify(value)}`);
  return parts.length === 0 ? 'any request' : `a request { ${parts.join(', ')} }`;
}

function listing(entries: JournalEntry[]): string {
  const shown = entries.slice(-LISTED).map((e) => `  ${e.service} ${e.operation} ${e.method} ${e.path} → ${e.status}${e.errorCode ? ` ${e.errorCode}` : ''}`);
  const hidden = entries.length - shown.length;
  return [...(hidden > 0 ? [`  ... ${hidden} earlier`] : []), ...shown].join('\n');
}
