import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/index.js';
import { REPO_ROOT } from '../support/plugin-project.js';

const CLI = join(REPO_ROOT, 'dist/cli.js');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lz-snapshot-cli-'));
const started: ChildProcess[] = [];
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npx tsup` (npm test builds it first).');
});
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null) continue;
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await closed;
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `localzure start --json ...args` in a child process; resolves with the Environment it prints. */
function start(args: string[]): Promise<Environment> {
  const child = spawn(process.execPath, [CLI, 'start', '--json', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as Environment);
    });
    child.once('close', (code) => reject(new Error(`localzure start exited with ${code}: ${err}`)));
  });
}

describe('localzure snapshot export', () => {
  it('writes a namespace to a file that `localzure start --seed` loads back', async () => {
    const source = await start(['blob', 'queue']);
    const container = BlobServiceClient.fromConnectionString(source.connectionString).getContainerClient('photos');
    await container.create();
    await container.getBlockBlobClient('raw.bin').uploadData(Buffer.from([0, 255, 7]));
    const file = join(dir, 'baseline.localzure.json');
    const { stdout } = await run(process.execPath, [CLI, 'snapshot', 'export', file, '--url', source.controlUrl, '--services', 'blob']);
    expect(stdout).toContain(`namespace ${source.account.name} (blob) to ${file}`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'localzure-snapshot', version: 1, services: { blob: expect.any(Object) } });

    const target = await start(['blob', '--seed', file]);
    const copy = BlobServiceClient.fromConnectionString(target.connectionString).getContainerClient('photos');
    expect((await copy.getBlockBlobClient('raw.bin').downloadToBuffer()).toString('hex')).toBe('00ff07');
  });

  it('fails on a snapshot name never saved, writing no file', async () => {
    const source = await start(['blob']);
    const file = join(dir, 'named.localzure.json');
    const missing = await run(process.execPath, [CLI, 'snapshot', 'export', file, '--url', source.controlUrl, '--name', 'never-saved']).catch((error: { code: number; stderr: string }) => error);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('LZ_CONTROL_REQUEST_FAILED') });
    expect(existsSync(file)).toBe(false);
  });

  it('says where the control API is when it has no --url and no LOCALZURE_CONTROL_URL', async () => {
    const env = { ...process.env };
    delete env.LOCALZURE_CONTROL_URL;
    const error = await run(process.execPath, [CLI, 'snapshot', 'export', join(dir, 'x.json')], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1, stderr: expect.stringContaining('LZ_NOT_SET_UP') });
  });

  it('refuses to start on a bad snapshot file, printing its code', async () => {
    const error = await start(['blob', '--seed', join(REPO_ROOT, 'package.json')]).catch((e: Error) => e);
    expect(String(error)).toContain('LZ_SNAPSHOT_FILE_INVALID');
  });
});
