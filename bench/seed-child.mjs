// One LocalZure process with a seed folder and `accounts` storage accounts:
//   node --expose-gc bench/seed-child.mjs <seed dir> <accounts> <resets>
// Prints { rss, arrayBuffers, resetMs: [...] }: memory once every account is
// created (seeded) and garbage collected, then the time of each per-account
// reset over the control API (a worker's reset before each test).
import { importLocalZure } from './package.mjs';

const [dir, accounts, resets] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const quiet = { info() {}, warn() {}, error: (m) => console.error(`[localzure] ${m}`) };
const { LocalZureRuntime, workerAccount } = await importLocalZure();
const runtime = new LocalZureRuntime({ seed: { dir }, logger: quiet });
await runtime.start(['blob']);
const control = async (path, body) => {
  const response = await fetch(`${runtime.controlUrl}/_localzure/${path}`, { method: 'POST', body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
};
// Loads fetch and warms the control server in every process, whatever the account count.
await fetch(`${runtime.controlUrl}/_localzure/health`).then((r) => r.text());
// The accounts the harness creates for parallel test workers, as their workers do.
const workers = Array.from({ length: accounts - 1 }, (_, i) => workerAccount(runtime.account, String(i + 1)));
for (const account of workers) await control('namespaces', account);

globalThis.gc();
const { rss, arrayBuffers } = process.memoryUsage();
const target = (workers[0] ?? runtime.account).name;
const resetMs = [];
for (let i = 0; i < resets; i++) {
  const started = performance.now();
  await control(`reset?namespace=${target}`);
  resetMs.push(performance.now() - started);
}
await runtime.stop();
console.log(JSON.stringify({ rss, arrayBuffers, resetMs }));
process.exit(0);
