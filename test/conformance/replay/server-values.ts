/**
 * Values Azure assigned during the recorded run (ETags, lease, copy and
 * message ids, pop receipts, snapshot times) mapped to the values LocalZure
 * assigned at the same step of the replay, so a later request that quotes
 * one quotes LocalZure's instead.
 */
export class ServerValues {
  private readonly replacements = new Map<string, string>();
  /** LocalZure's clock minus Azure's at the recording, for dates the test computed (an hour before Last-Modified). */
  private clockOffsetMs = 0;

  /** Learns from one answer: each server-assigned header, and the ids and receipts in a queue or table body. */
  learn(recorded: AnswerValues, local: AnswerValues): void {
    for (const name of SERVER_ASSIGNED_HEADERS) {
      const from = recorded.headers[name];
      const to = local.headers[name];
      if (from && to) this.map(from, to);
    }
    for (const tag of SERVER_ASSIGNED_ELEMENTS) {
      const from = elements(recorded.body, tag);
      const to = elements(local.body, tag);
      from.forEach((value, i) => to[i] !== undefined && this.map(value, to[i]!));
    }
    const from = Date.parse(recorded.headers['last-modified'] ?? recorded.headers.date ?? '');
    const to = Date.parse(local.headers['last-modified'] ?? local.headers.date ?? '');
    if (!Number.isNaN(from) && !Number.isNaN(to)) this.clockOffsetMs = to - from;
  }

  /** A value the recording hides (a sanitized placeholder) stands for `to` until an answer says otherwise. */
  assume(from: string, to: string): void {
    this.map(from, to);
  }

  private map(from: string, to: string): void {
    if (from === to) return;
    this.replacements.set(from, to);
    // ETags travel quoted in headers and bare in XML; snapshots and receipts travel URL-encoded in queries.
    const bare = (value: string): string => value.replace(/^"|"$/g, '');
    if (bare(from) !== from) this.replacements.set(bare(from), bare(to));
    this.replacements.set(encodeURIComponent(from), encodeURIComponent(to));
  }

  /** Every known recorded value in `text` replaced by LocalZure's, longest first so a quoted ETag wins over its bare form. */
  substitute(text: string): string {
    const keys = [...this.replacements.keys()].filter((key) => key.length >= 8).sort((a, b) => b.length - a.length);
    let result = text;
    for (const key of keys) result = result.split(key).join(this.replacements.get(key)!);
    return result;
  }

  /** A date a test derived from a recorded time, moved by the same distance onto LocalZure's clock. */
  shiftDate(value: string): string {
    const mapped = this.replacements.get(value);
    if (mapped) return mapped;
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : new Date(time + this.clockOffsetMs).toUTCString();
  }
}

export interface AnswerValues {
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

const SERVER_ASSIGNED_HEADERS = ['etag', 'last-modified', 'x-ms-lease-id', 'x-ms-copy-id', 'x-ms-snapshot', 'x-ms-popreceipt', 'x-ms-time-next-visible'];

const SERVER_ASSIGNED_ELEMENTS = ['MessageId', 'PopReceipt', 'Etag', 'Snapshot', 'CopyId', 'NextMarker', 'odata.etag', 'Timestamp'];

/** The values of `<tag>` elements (XML) or `"tag":"..."` members (JSON), in order. */
function elements(body: string, tag: string): string[] {
  const xml = [...body.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);
  const json = [...body.matchAll(new RegExp(`"${tag.replace('.', '\\.')}":"((?:[^"\\\\]|\\\\.)*)"`, 'g'))].map((m) => JSON.parse(`"${m[1]}"`) as string);
  return [...xml, ...json];
}

/** Request headers carrying a date the test computed, which move with the clock. */
export const DATE_CONDITION_HEADERS = new Set([
  'if-modified-since',
  'if-unmodified-since',
  'x-ms-if-modified-since',
  'x-ms-if-unmodified-since',
  'x-ms-blob-if-modified-since',
  'x-ms-blob-if-unmodified-since',
  'x-ms-source-if-modified-since',
  'x-ms-source-if-unmodified-since',
]);
