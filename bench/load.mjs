// A small keep-alive HTTP load generator (autocannon-like), run as its own
// process: `node bench/load.mjs '<json options>'`. Each connection sends
// requests back to back; requests finished inside the measuring window count.
// Prints { requests, errors, statuses, rps, p50, p99 }.
import { Agent, request } from 'node:http';
import { percentile } from './stats.mjs';

const { base, query, method, connections, warmupMs, durationMs } = JSON.parse(process.argv[2]);
const BODY = Buffer.alloc(1024, 'l');
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const measureFrom = performance.now() + warmupMs;
const stopAt = measureFrom + durationMs;
const statuses = {};
const latencies = [];
let errors = 0;

function send(connection) {
  const path = method === 'PUT' ? `${base}/load-${connection}?${query}` : `${base}/target?${query}`;
  const headers = { 'x-ms-version': '2025-01-05' };
  if (method === 'PUT') Object.assign(headers, { 'x-ms-blob-type': 'BlockBlob', 'content-length': BODY.length });
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(path, { method, agent, headers }, (response) => {
      response.on('data', () => {});
      response.on('end', () => {
        if (started >= measureFrom && performance.now() <= stopAt) {
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
          latencies.push(performance.now() - started);
        }
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end(method === 'PUT' ? BODY : undefined);
  });
}

await Promise.all(
  Array.from({ length: connections }, async (_, connection) => {
    while (performance.now() < stopAt) await send(connection);
  }),
);
agent.destroy();
const ok = Object.entries(statuses).reduce((sum, [status, count]) => sum + (status < 300 ? count : 0), 0);
console.log(JSON.stringify({ requests: ok, errors, statuses, rps: (ok / durationMs) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }));
