import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BlobServiceClient } from '@azure/storage-blob';
import { withHost } from '../hosts.mjs';
import { packageDir } from '../package.mjs';
import { MiB, median, pooled, time } from '../stats.mjs';

const CHILD = fileURLToPath(new URL('../seed-child.mjs', import.meta.url));
const run = promisify(execFile);
const FILES = 64;
const FILE_BYTES = MiB;
const WORKERS = 8;
const RESETS = 10;
// Issue 14: eight worker accounts hold one seed's bytes, not eight copies.
const LIMIT = 1.2;

function writeSeed() {
  const dir = mkdtempSync(join(tmpdir(), 'localzure-bench-seed-'));
  mkdirSync(join(dir, 'blob', 'fixtures'), { recursive: true });
  const files = Array.from({ length: FILES }, (_, i) => ({ name: `file-${i}.bin`, data: randomBytes(FILE_BYTES) }));
  for (const { name, data } of files) writeFileSync(join(dir, 'blob', 'fixtures', name), data);
  return { dir, files, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function child(dir, accounts) {
  const { stdout } = await run(process.execPath, ['--expose-gc', CHILD, dir, String(accounts), String(RESETS)], { cwd: packageDir(), timeout: 120_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/** A 64 MiB blob seed: memory with eight worker accounts against one, and a worker's reset back to the seed. */
export default async function seed({ rounds, row }) {
  const size = `${(FILES * FILE_BYTES) / MiB} MiB seed`;
  const ratio = row('seed.memory', { title: `${size}: process RSS with ${WORKERS} worker accounts ÷ with 1`, unit: '×', better: 'lower', limit: LIMIT });
  const perAccount = row('seed.per-account', { title: `${size}: RSS added per further worker account`, unit: 'MiB', better: 'lower' });
  const reset = row('seed.reset', { title: `${size}: one account back to its seed, control API reset vs Azurite restart + seed upload`, unit: 'ms', better: 'lower' });
  ratio.note(`RSS after every account is created (seeded) and a full GC, in a fresh LocalZure process per count. Azurite has no seed loader, so it has no column; before the seed was shared, each account kept its own copy (a 304 MB seed: 398 MB → 1.6 GB RSS at four workers).`);
  reset.note(`LocalZure: POST /_localzure/reset?namespace=<worker> with ${WORKERS} seeded accounts present, median of ${RESETS} per process. Azurite: close+clean+restart, then the same ${FILES} files uploaded through the SDK, 8 at a time: what a suite on Azurite does to get its fixtures back.`);
  const fixture = writeSeed();
  try {
    for (let round = -1; round < rounds; round++) {
      const one = await child(fixture.dir, 1);
      const many = await child(fixture.dir, WORKERS);
      if (round < 0) continue;
      ratio.add('localzure', many.rss / one.rss);
      perAccount.add('localzure', (many.rss - one.rss) / (WORKERS - 1) / MiB);
      reset.add('localzure', median(many.resetMs));
    }
    await withHost('azurite', 'blob', async (az) => {
      const container = BlobServiceClient.fromConnectionString(az.connectionString).getContainerClient('fixtures');
      for (let round = -1; round < rounds; round++) {
        const ms = await time(async () => {
          await az.call('restart');
          await container.create();
          await pooled(FILES, 8, (i) => container.getBlockBlobClient(fixture.files[i].name).uploadData(fixture.files[i].data));
        });
        if (round >= 0) reset.add('azurite', ms);
      }
    });
  } finally {
    fixture.remove();
  }
}
