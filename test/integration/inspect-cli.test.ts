import { BlobServiceClient } from '@azure/storage-blob';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvironment, ControlClient, LocalZureRuntime, type Environment } from '../../src/index.js';
import { REPO_ROOT } from '../support/plugin-project.js';

const CLI = join(REPO_ROOT, 'dist/cli.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function localzure(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('LOCALZURE_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let runtime: LocalZureRuntime;
let env: Environment;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npx tsup` (npm test builds it first).');
  runtime = new LocalZureRuntime({ logger: { info() {}, warn() {}, error() {} } });
  await runtime.start(['blob']);
  env = buildEnvironment(runtime);
  const photos = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('cli-photos');
  await photos.create();
  await photos.getBlockBlobClient('hello.txt').upload('hi there', 8, { blobHTTPHeaders: { blobContentType: 'text/plain' }, metadata: { by: 'cli' } });
  await photos.getBlockBlobClient('gone.txt').download().catch(() => {});
  await new ControlClient(env.controlUrl).registerNamespace({ name: 'cliother', key: Buffer.alloc(64, 5).toString('base64') });
});
afterAll(() => runtime?.stop());

describe('localzure inspect', () => {
  it('prints a tree of namespaces, services, containers and blobs', async () => {
    const { code, stdout } = await localzure(['inspect', '--url', env.controlUrl]);
    expect(code).toBe(0);
    expect(stdout).toContain(`LocalZure at ${env.controlUrl}: healthy (blob RUNNING)`);
    expect(stdout).toContain(['devstoreaccount1', '  blob', '    cli-photos/ (1 blob)', '      hello.txt  8 B  text/plain  by=cli  "hi there"'].join('\n'));
  });

  it('lists the newest requests first, with status and error code', async () => {
    const { stdout } = await localzure(['inspect', '--url', env.controlUrl]);
    const requests = stdout.slice(stdout.indexOf('requests, newest first:')).split('\n').slice(1);
    expect(requests[0]).toMatch(/devstoreaccount1 {2}blob {2}GetBlob {2}GET {2}\/cli-photos\/gone\.txt {2}404 {2}BlobNotFound {2}\d+ ms$/);
    expect(requests[1]).toMatch(/blob {2}PutBlob {2}PUT {2}\/cli-photos\/hello\.txt {2}201 {2}\d+ ms$/);
  });

  it('limits the requests to --requests', async () => {
    const { stdout } = await localzure(['inspect', '--url', env.controlUrl, '--requests', '1']);
    expect(stdout).toContain('Last 1 requests, newest first:');
    expect(stdout).not.toContain('PutBlob');
    expect(stdout).toMatch(/… \d+ older/);
  });

  it('shows only the namespace given with --namespace', async () => {
    const { code, stdout } = await localzure(['inspect', '--url', env.controlUrl, '--namespace', 'cliother']);
    expect(code).toBe(0);
    expect(stdout).toContain('cliother\n  blob: nothing stored');
    expect(stdout).not.toContain('cli-photos');
    expect(stdout).toContain('No requests.');
  });

  it('prints one JSON object with --json', async () => {
    const { stdout } = await localzure(['inspect', '--url', env.controlUrl, '--json', '--requests', '2']);
    const printed = JSON.parse(stdout) as { health: { status: string }; state: { services: { blob: { accounts: Record<string, unknown> } } }; requests: { requests: unknown[] } };
    expect(printed.health.status).toBe('healthy');
    expect(printed.state.services.blob.accounts).toHaveProperty('devstoreaccount1');
    expect(printed.requests.requests).toHaveLength(2);
  });

  it('finds the runtime through LOCALZURE_CONTROL_URL without --url', async () => {
    const { code, stdout } = await localzure(['inspect'], { LOCALZURE_CONTROL_URL: env.controlUrl });
    expect(code).toBe(0);
    expect(stdout).toContain('cli-photos/ (1 blob)');
  });

  it('says how to name the runtime when there is no URL', async () => {
    const { code, stderr } = await localzure(['inspect']);
    expect(code).toBe(1);
    expect(stderr).toContain('--url');
    expect(stderr).toContain('LOCALZURE_CONTROL_URL');
  });

  it('fails with LZ_CONTROL_REQUEST_FAILED when nothing answers at the URL', async () => {
    const { code, stderr } = await localzure(['inspect', '--url', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^LZ_CONTROL_REQUEST_FAILED: .*not reachable/);
  });

  it('refuses a --requests that is not a count', async () => {
    const { code, stderr } = await localzure(['inspect', '--url', env.controlUrl, '--requests', 'many']);
    expect(code).toBe(1);
    expect(stderr).toContain('"many" is not a count');
  });
});
