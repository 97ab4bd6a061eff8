// `npm run bench`: LocalZure against Azurite (and Cosmos DB against @vercel/cosmosdb-server), side by side, in one run.
//   --quick         one or two rounds per row, for development; writes nothing
//   --only=a,b      only these row groups (names below)
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO, snapshotPackage } from './package.mjs';
import { markdown, printTable } from './report.mjs';
import { createRow, summarize } from './results.mjs';
import capacity from './rows/capacity.mjs';
import growth from './rows/growth.mjs';
import cosmosdb from './rows/cosmosdb.mjs';
import eventhubs from './rows/eventhubs.mjs';
import harness from './rows/harness.mjs';
import largeBlob from './rows/large-blob.mjs';
import memoryCheck from './rows/memory-check.mjs';
import queue from './rows/queue.mjs';
import reset from './rows/reset.mjs';
import sdkThroughput from './rows/sdk-throughput.mjs';
import seed from './rows/seed.mjs';
import snapshotRestore from './rows/snapshot.mjs';
import servicebus from './rows/servicebus.mjs';
import startup from './rows/startup.mjs';
import table from './rows/table.mjs';
import testReset from './rows/test-reset.mjs';

// Measured rounds per group, full run and --quick.
const GROUPS = {
  startup: { run: startup, rounds: [7, 2] },
  reset: { run: reset, rounds: [5, 1] },
  'test-reset': { run: testReset, rounds: [3, 1] },
  snapshot: { run: snapshotRestore, rounds: [3, 1] },
  sdk: { run: sdkThroughput, rounds: [5, 1] },
  capacity: { run: capacity, rounds: [3, 1] },
  large: { run: largeBlob, rounds: [3, 1] },
  queue: { run: queue, rounds: [5, 1] },
  table: { run: table, rounds: [3, 1] },
  harness: { run: harness, rounds: [3, 1] },
  cosmosdb: { run: cosmosdb, rounds: [3, 1] },
  memory: { run: memoryCheck, rounds: [1, 1] },
  seed: { run: seed, rounds: [3, 1] },
  growth: { run: growth, rounds: [3, 1] },
  eventhubs: { run: eventhubs, rounds: [3, 1] },
  servicebus: { run: servicebus, rounds: [3, 1] },
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const selected = Object.keys(GROUPS).filter((name) => !only || only.includes(name));
const version = (pkg) => JSON.parse(readFileSync(join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')).version;

const meta = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: `${cpus().length} × ${cpus()[0]?.model.trim()}`,
  node: process.version,
  azurite: version('azurite'),
  sdk: version('@azure/storage-blob'),
  load: loadavg().map((l) => l.toFixed(2)).join(' '),
  roundsText: selected.map((name) => `${name} ${GROUPS[name].rounds[quick ? 1 : 0]}`).join(', ') + ' rounds',
};

const snapshot = snapshotPackage();
process.env.LZ_BENCH_PACKAGE = snapshot.dir;
const rows = [];
const started = performance.now();
try {
  for (const name of selected) {
    const group = GROUPS[name];
    const mine = [];
    const row = (id, spec) => mine[mine.push(createRow(id, spec)) - 1];
    const groupStarted = performance.now();
    process.stdout.write(`${name}... `);
    try {
      await group.run({ rounds: group.rounds[quick ? 1 : 0], quick, row });
      console.log(`${((performance.now() - groupStarted) / 1000).toFixed(1)} s`);
    } catch (error) {
      console.log('failed');
      console.error(error);
      for (const r of mine) r.skip(`failed: ${String(error.message).split('\n')[0]}`);
    }
    for (const r of mine) if (r.skipped) console.log(`  ${r.title}: skipped (${r.skipped})`);
    rows.push(...mine);
  }
} finally {
  snapshot.remove();
}
meta.seconds = Math.round((performance.now() - started) / 1000);

const summaries = rows.map(summarize);
console.log('');
printTable(summaries);
console.log(`\n${meta.mode} run, ${meta.seconds} s.`);
if (quick || only) {
  console.log('Partial or quick run: bench/results.md and results.json left as they were.');
} else {
  writeFileSync(new URL('./results.md', import.meta.url), markdown(summaries, meta));
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ ...meta, rows: summaries }, null, 2)}\n`);
  console.log('Wrote bench/results.md and bench/results.json.');
}
