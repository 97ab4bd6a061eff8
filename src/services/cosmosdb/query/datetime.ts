/**
 * Cosmos DB's date and time functions. A date and time is counted in ticks
 * (100 ns) since the Unix epoch, as DateTimeToTicks and TicksToDateTime
 * document it, and held as a bigint: seven fractional digits of a year-9999
 * date do not fit a double, and float arithmetic would misplace the last
 * digits DateTimePart("ns", ...) reports.
 */

const TICKS_PER_MS = 10_000n;
const TICKS_PER_SECOND = 10_000_000n;

const num = (v: unknown): v is number => typeof v === 'number';
const str = (v: unknown): v is string => typeof v === 'string';

// The ISO 8601 form the reference names, YYYY-MM-DDThh:mm:ss.fffffffZ; the time and the Z may be left out.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?Z?$/;

/** Milliseconds of a UTC calendar date, or undefined when a part is out of range (Feb 30, hour 24, year 0). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | undefined {
  const parts = [year, month, day, hour, minute, second];
  if (!parts.every(Number.isInteger) || year < 1 || year > 9999) return undefined;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const same = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return same ? date.getTime() : undefined;
}

function parseTicks(text: unknown): bigint | undefined {
  if (!str(text)) return undefined;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const ms = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return ms === undefined ? undefined : BigInt(ms) * TICKS_PER_MS + BigInt((m[7] ?? '').padEnd(7, '0'));
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function floorMod(a: bigint, b: bigint): bigint {
  return a - floorDiv(a, b) * b;
}

/** Cosmos DB's form: seven fractional digits, always UTC; undefined outside years 1 to 9999. */
function formatTicks(ticks: bigint): string | undefined {
  const date = new Date(Number(floorDiv(ticks, TICKS_PER_SECOND) * 1000n));
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999) return undefined;
  return `${date.toISOString().slice(0, 19)}.${String(floorMod(ticks, TICKS_PER_SECOND)).padStart(7, '0')}Z`;
}

/** A count of ticks from a number, which must be an integer (a timestamp may have a fraction of a millisecond). */
function ticksOf(value: number, ticksPerUnit: bigint): bigint | undefined {
  if (!Number.isFinite(value)) return undefined;
  const whole = Math.trunc(value);
  return BigInt(whole) * ticksPerUnit + BigInt(Math.round((value - whole) * Number(ticksPerUnit)));
}

export const nowDateTime = (nowMs: number): string | undefined => formatTicks(ticksOf(nowMs, TICKS_PER_MS)!);
export const nowTicks = (nowMs: number): number => Number(ticksOf(nowMs, TICKS_PER_MS));

export function dateTimeToTimestamp(text: unknown): unknown {
  const ticks = parseTicks(text);
  return ticks === undefined ? undefined : Number(floorDiv(ticks, TICKS_PER_MS));
}

export function timestampToDateTime(ms: unknown): unknown {
  const ticks = num(ms) ? ticksOf(ms, TICKS_PER_MS) : undefined;
  return ticks === undefined ? undefined : formatTicks(ticks);
}

export function dateTimeToTicks(text: unknown): unknown {
  const ticks = parseTicks(text);
  return ticks === undefined ? undefined : Number(ticks);
}

export function ticksToDateTime(ticks: unknown): unknown {
  return num(ticks) && Number.isInteger(ticks) ? formatTicks(BigInt(ticks)) : undefined;
}

export function dateTimeFromParts(parts: unknown[]): unknown {
  if (!parts.every(num)) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0, fraction = 0] = parts as number[];
  const ms = utcMs(year!, month!, day!, hour, minute, second);
  // The last part is the fraction of the second in ticks: 3456789 is .3456789.
  if (ms === undefined || !Number.isInteger(fraction) || fraction < 0 || fraction >= Number(TICKS_PER_SECOND)) return undefined;
  return formatTicks(BigInt(ms) * TICKS_PER_MS + BigInt(fraction));
}

const PARTS: Record<string, string> = {
  year: 'year', yyyy: 'year', yy: 'year', month: 'month', mm: 'month', m: 'month', day: 'day', dd: 'day', d: 'day',
  hour: 'hour', hh: 'hour', minute: 'minute', mi: 'minute', n: 'minute', second: 'second', ss: 'second', s: 'second',
  millisecond: 'millisecond', ms: 'millisecond', microsecond: 'microsecond', mcs: 'microsecond', nanosecond: 'nanosecond', ns: 'nanosecond',
};

const PART_TICKS: Record<string, bigint> = { day: 864_000_000_000n, hour: 36_000_000_000n, minute: 600_000_000n, second: TICKS_PER_SECOND, millisecond: TICKS_PER_MS, microsecond: 10n };

function datePart(part: unknown): string | undefined {
  return str(part) ? PARTS[part.toLowerCase()] : undefined;
}

export function dateTimeAdd(part: unknown, n: unknown, text: unknown): unknown {
  const unit = datePart(part);
  const ticks = parseTicks(text);
  if (!unit || !num(n) || ticks === undefined) return undefined;
  if (unit === 'year' || unit === 'month') {
    const date = new Date(Number(floorDiv(ticks, TICKS_PER_MS)));
    date.setUTCMonth(date.getUTCMonth() + Math.trunc(unit === 'year' ? n * 12 : n));
    return formatTicks(BigInt(date.getTime()) * TICKS_PER_MS + floorMod(ticks, TICKS_PER_MS));
  }
  // A nanosecond is a hundredth of a tick.
  const added = unit === 'nanosecond' ? ticksOf(n / 100, 1n) : ticksOf(n, PART_TICKS[unit]!);
  return added === undefined ? undefined : formatTicks(ticks + added);
}

export function dateTimePart(part: unknown, text: unknown): unknown {
  const unit = datePart(part);
  const ticks = parseTicks(text);
  if (!unit || ticks === undefined) return undefined;
  const date = new Date(Number(floorDiv(ticks, TICKS_PER_MS)));
  const fraction = floorMod(ticks, TICKS_PER_SECOND);
  switch (unit) {
    case 'year': return date.getUTCFullYear();
    case 'month': return date.getUTCMonth() + 1;
    case 'day': return date.getUTCDate();
    case 'hour': return date.getUTCHours();
    case 'minute': return date.getUTCMinutes();
    case 'second': return date.getUTCSeconds();
    case 'millisecond': return Number(fraction / TICKS_PER_MS);
    case 'microsecond': return Number(fraction / 10n);
    default: return Number(fraction * 100n);
  }
}

export function dateTimeDiff(part: unknown, a: unknown, b: unknown): unknown {
  const unit = datePart(part);
  const start = parseTicks(a);
  const end = parseTicks(b);
  if (!unit || start === undefined || end === undefined) return undefined;
  const from = new Date(Number(floorDiv(start, TICKS_PER_MS)));
  const to = new Date(Number(floorDiv(end, TICKS_PER_MS)));
  if (unit === 'year') return to.getUTCFullYear() - from.getUTCFullYear();
  if (unit === 'month') return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
  // Cosmos DB counts boundaries crossed, as SQL Server's DATEDIFF does.
  if (unit === 'nanosecond') return Number((end - start) * 100n);
  const size = PART_TICKS[unit]!;
  return Number(floorDiv(end, size) - floorDiv(start, size));
}
