import { ordinal } from './ordinal.js';
// Azure sorts canonicalized headers the way .NET compares en-US strings, not
// by code unit: hyphens and apostrophes are ignored at first, punctuation
// sorts before digits, digits before letters, letters ignore case. Only the
// characters that occur in header names matter here.

function primaryWeight(code: number): number {
  if (code === 0x2d || code === 0x27) return 0; // '-' and '\'' are ignored at the first level
  if (code >= 0x61 && code <= 0x7a) return 0x300 + (code - 0x61);
  if (code >= 0x41 && code <= 0x5a) return 0x300 + (code - 0x41);
  if (code >= 0x30 && code <= 0x39) return 0x200 + (code - 0x30);
  return 0x100 + code;
}

/** Orders two lowercase header names as the storage service does. */
export function compareHeaderNames(a: string, b: string): number {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && primaryWeight(a.charCodeAt(i)) === 0) i++;
    while (j < b.length && primaryWeight(b.charCodeAt(j)) === 0) j++;
    if (i >= a.length || j >= b.length) break;
    const diff = primaryWeight(a.charCodeAt(i)) - primaryWeight(b.charCodeAt(j));
    if (diff !== 0) return diff;
    i++;
    j++;
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  return ordinal(a, b);
}
