import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/index.js';
import { createPluginProject, REPO_ROOT, type PluginProject } from '../support/plugin-project.js';

const CLI = join(REPO_ROOT, 'dist/cli.js');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with all of stdout (or stderr) once it contains `text`. */
  printed: (text: string, stream?: 'stdout' | 'stderr') => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runCli(args: string[], cwd: string): Run {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const printed = (text: string, stream: 'stdout' | 'stderr' = 'stdout') =>
    new Promise<string>((resolve, reject) => {
      const source = child[stream]!;
      const seen = () => (stream === 'stdout' ? out : err);
      const check = () => {
        if (!seen().includes(text)) return;
        source.off('data', check);
        resolve(seen());
      };
      source.on('data', check);
      void exited.then(() => (seen().includes(text) ? resolve(seen()) : reject(new Error(`exited before printing ${JSON.stringify(text)}; stderr: ${err}`))));
      check();
    });
  return { child, stdout: () => out, stderr: () => err, printed, exited };
}

describe('localzure CLI', () => {
  let project: PluginProject;

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npx tsup` (npm test builds it first).');
    project = createPluginProject(['lz-plugin-esm', 'lz-plugin-cjs', 'lz-plugin-slow']);
  });
  afterAll(() => project.remove());

  it('lists every known service with its source and dependencies', async () => {
    const run = runCli(['services'], project.dir);
    expect((await run.exited).code).toBe(0);
    const lines = run.stdout().trim().split('\n');
    expect(lines.find((l) => l.startsWith('echo-relay '))).toMatch(/^echo-relay\s+lz-plugin-esm\s+needs echo \(needs echo\)$/);
    expect(lines.find((l) => l.startsWith('cjs-class '))).toMatch(/@lz-fixtures\/plugin-cjs/);
  });

  it('lists services as JSON', async () => {
    const run = runCli(['services', '--json'], project.dir);
    expect((await run.exited).code).toBe(0);
    const { services, errors } = JSON.parse(run.stdout()) as { services: { name: string; source: string; dependencies: string[] }[]; errors: string[] };
    expect(services.find((s) => s.name === 'cjs-factory')).toMatchObject({ source: '@lz-fixtures/plugin-cjs', dependencies: ['cjs-class'] });
    expect(errors).toEqual([]);
  });

  it('warns about broken plugins on stderr and still lists the others', async () => {
    const broken = createPluginProject(['lz-plugin-esm', 'lz-plugin-broken']);
    try {
      const run = runCli(['services'], broken.dir);
      expect((await run.exited).code).toBe(0);
      expect(run.stdout()).toMatch(/^echo\s+lz-plugin-esm/m);
      expect(run.stderr()).toContain('warning: Package "lz-plugin-broken" declares service "throws-on-load"');
    } finally {
      broken.remove();
    }
  });

  it('exits non-zero naming the known services when asked to start an unknown one', async () => {
    const run = runCli(['start', 'no-such-service'], project.dir);
    const { code } = await run.exited;
    expect(code).not.toBe(0);
    expect(run.stderr()).toContain('LZ_SERVICE_NOT_FOUND: Unknown service "no-such-service"');
    expect(run.stderr()).toMatch(/Known services: .*cjs-class.*echo, echo-relay/);
  });

  it('starts every in-process emulator when no service is named, each with its connection string', async () => {
    const run = runCli(['start', '--json'], REPO_ROOT);
    const env = JSON.parse((await run.printed('\n')).trim()) as Environment;
    expect([...env.services].sort()).toEqual(['blob', 'cosmosdb', 'eventhubs', 'queue', 'servicebus', 'table']);
    expect(Object.keys(env.connectionStrings).sort()).toEqual(['cosmosdb', 'eventhubs', 'servicebus']);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it('keeps blob versions with --versioning, and refuses a container retention Azure does not allow', async () => {
    const run = runCli(['start', 'blob', '--json', '--versioning', '--container-soft-delete-days', '7'], REPO_ROOT);
    const env = JSON.parse((await run.printed('\n')).trim()) as Environment;
    const container = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('cli-versions');
    await container.create();
    expect((await container.getBlockBlobClient('a.txt').upload('one', 3)).versionId).toBeDefined();
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    const refused = runCli(['start', 'blob', '--container-soft-delete-days', '0'], REPO_ROOT);
    expect((await refused.exited).code).not.toBe(0);
    expect(refused.stderr()).toContain('1 to 365 days');
  });

  it('prints one JSON environment with --json and stops cleanly on SIGTERM', async () => {
    const run = runCli(['start', 'echo-relay', '--json'], project.dir);
    const env = JSON.parse((await run.printed('\n')).trim()) as Environment;
    expect(env.services).toEqual(['echo', 'echo-relay']);
    expect(await (await fetch(`${env.endpoints.echo}/hi`)).text()).toBe('echo /devstoreaccount1/hi');
    const health = (await (await fetch(`${env.controlUrl}/_localzure/health`)).json()) as { status: string };
    expect(health.status).toBe('healthy');

    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stdout().trim().split('\n')).toHaveLength(1);
    await expect(fetch(`${env.endpoints.echo}/hi`)).rejects.toThrow();
  });

  it('prints endpoints, the connection string and the control URL, and stops dependents first on SIGINT', async () => {
    const run = runCli(['start', 'echo-relay'], project.dir);
    const out = await run.printed('Press Ctrl+C to stop.');
    expect(out).toContain('LocalZure started: echo, echo-relay');
    expect(out).toMatch(/^ {2}echo {5}http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/m);
    expect(out).toMatch(/^ {2}control {2}http:\/\/127\.0\.0\.1:\d+\/_localzure\/health$/m);
    expect(out).toContain('AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;');

    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toContain('SIGINT: stopping echo-relay, echo');
  });

  it('exits non-zero explaining a control port that is not a port number', async () => {
    const run = runCli(['start', '--control-port', 'eighty'], project.dir);
    expect((await run.exited).code).not.toBe(0);
    expect(run.stderr()).toContain('"eighty" is not a port number');
  });

  it('stops cleanly when signalled while still starting', async () => {
    const run = runCli(['start', 'slow-start', '--json'], project.dir);
    await run.printed('slow-start: starting', 'stderr');
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toContain('slow-start: stopped');
  });

  it('binds to the host it is given', async () => {
    const run = runCli(['start', 'echo', '--json', '--host', '127.0.0.1'], project.dir);
    const env = JSON.parse((await run.printed('\n')).trim()) as Environment;
    expect(env.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});
