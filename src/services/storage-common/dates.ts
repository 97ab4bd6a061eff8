import { compactAscii } from './compact-string.js';

let formattedSecond = NaN;
let formatted = '';

/** RFC 1123, the format of `Date`, `Last-Modified` and listing dates. */
export function httpDate(ms: number): string {
  // The format stops at seconds, and every response's Date header asks for the current one: format each second once.
  const second = Math.floor(ms / 1000);
  if (second === formattedSecond) return formatted;
  formatted = new Date(ms).toUTCString();
  // Date ends at 8.64e15 ms, part way into a second: never reuse a string formatted at the edge of its range.
  formattedSecond = Math.abs(ms) < 8.64e15 ? second : NaN;
  return formatted;
}

/** ISO 8601 with Azure's seven fractional digits, e.g. snapshot ids `2024-05-01T10:00:00.1230000Z`. */
export function isoDate7(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '0000Z');
}

/** Parses an RFC 1123 or ISO 8601 date; undefined when it is not one. */
export function parseDate(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

let last = 0n;

/**
 * A fresh, strictly increasing ETag in Azure's `"0x8D..."` shape: two
 * writes within one millisecond still get different tags.
 */
export function newEtag(now: number): string {
  const ticks = BigInt(Math.floor(now)) * 10_000n;
  last = ticks > last ? ticks : last + 1n;
  return compactAscii(`"0x${last.toString(16).toUpperCase()}"`);
}
