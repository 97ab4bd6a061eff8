// Small statistics and the A/B loop every row uses.

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low] + (sorted[Math.ceil(rank)] - sorted[low]) * (rank - low);
}

export const median = (values) => percentile(values, 50);

export const MiB = 1024 * 1024;

/** Milliseconds `fn` takes. */
export async function time(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * Runs `measure(side, round)` for each side, alternating which goes first
 * each round, after one warm-up call per side (round -1) whose result is
 * dropped; `warmup: false` for measurements that warm up inside themselves.
 */
export async function alternate(sides, rounds, measure, { warmup = true } = {}) {
  if (warmup) for (const side of sides) await measure(side, -1);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) await measure(side, round);
  }
}

/** Runs `op(i)` for i in [0, count) one after another; returns per-op latencies (ms) and the total. */
export async function sequential(count, op) {
  const latencies = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await op(i);
    latencies.push(performance.now() - t);
  }
  return { latencies, totalMs: performance.now() - started };
}

/** Runs `op(i)` for i in [0, count) with at most `width` in flight. */
export async function pooled(count, width, op) {
  let next = 0;
  const worker = async () => {
    while (next < count) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}
