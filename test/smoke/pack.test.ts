import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/plugin-project.js';

const run = promisify(execFile);
const ownPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  localzure: { services: Record<string, string> };
};

// A consumer's service, written the way the README tells users to, run
// through the installed package's ServiceManager.
const USE_IT = `
  class Hello extends LocalZureService {
    getMetadata() { return { name: 'hello', version: '1', description: 'smoke', dependencies: [], enabled: true }; }
    async onStart() {}
    async onStop() {}
  }
  const manager = new ServiceManager();
  manager.registerService(new Hello());
  await manager.startAll();
  const running = manager.runningServices;
  await manager.stopAll();
  console.log(JSON.stringify({ running, runtime: typeof LocalZureRuntime, withLocalZure: typeof withLocalZure }));
`;

describe('the packed package, installed in a consumer project', () => {
  let work: string;
  let consumer: string;
  const node = async (...args: string[]) => (await run(process.execPath, args, { cwd: consumer })).stdout;

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist/index.js'))) throw new Error('dist is missing: run `npx tsup` (npm test builds it first).');
    work = mkdtempSync(join(tmpdir(), 'localzure-smoke-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT });
    const tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'smoke-consumer', version: '1.0.0', private: true }));
    // --prefer-offline: the dependencies are in the npm cache after `npm ci`,
    // so this needs the registry only on a machine that never installed them.
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: consumer });
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('works with import', async () => {
    const out = await node(
      '--input-type=module',
      '-e',
      `import { LocalZureService, LocalZureRuntime, ServiceManager, withLocalZure } from 'localzure';\n${USE_IT}`,
    );
    expect(JSON.parse(out)).toEqual({ running: ['hello'], runtime: 'function', withLocalZure: 'function' });
  });

  it('works with require', async () => {
    const out = await node(
      '-e',
      `const { LocalZureService, LocalZureRuntime, ServiceManager, withLocalZure } = require('localzure');\n(async () => {${USE_IT}})();`,
    );
    expect(JSON.parse(out)).toEqual({ running: ['hello'], runtime: 'function', withLocalZure: 'function' });
  });

  it.each(['localzure/vitest', 'localzure/jest', 'localzure/package.json'])('resolves %s from import and from require', async (subpath) => {
    const fromImport = await node('--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(subpath)}))`);
    const fromRequire = await node('-e', `console.log(require.resolve(${JSON.stringify(subpath)}))`);
    const installed = join(consumer, 'node_modules/localzure');
    expect(new URL(fromImport.trim()).pathname.startsWith(installed)).toBe(true);
    expect(fromRequire.trim().startsWith(installed)).toBe(true);
  });

  it('ships every file its exports map points to', () => {
    const targets: string[] = [];
    const walk = (value: unknown) => {
      if (typeof value === 'string') targets.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(ownPackage.exports);
    const missing = targets.filter((t) => !existsSync(join(consumer, 'node_modules/localzure', t)));
    expect(missing).toEqual([]);
  });

  it('type-checks a consumer that imports and requires it', async () => {
    const typed = `
      const manager: ServiceManager = new ServiceManager();
      const status: ServiceStatus | undefined = manager.serviceCount > 0 ? manager.getServiceStatus('x') : undefined;
      const listener: ServiceEventListener = (event: ServiceEvent) => void event.newState;
      manager.addEventListener(listener);
      const meta: ServiceMetadata = { name: 'x', version: '1', description: '', dependencies: [], enabled: true };
      const state: ServiceState = ServiceState.RUNNING;
      const env: Environment | undefined = undefined;
      const error: LocalZureError = new CircularDependencyError(['a', 'a']);
      export { status, meta, state, env, error };
    `;
    const names = 'ServiceManager, ServiceState, CircularDependencyError, type ServiceStatus, type ServiceEvent, type ServiceEventListener, type ServiceMetadata, type Environment, type LocalZureError';
    writeFileSync(join(consumer, 'esm.mts'), `import { ${names} } from 'localzure';\n${typed}`);
    writeFileSync(join(consumer, 'cjs.cts'), `import { ${names} } from 'localzure';\n${typed}`);
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', join(REPO_ROOT, 'node_modules/@types')];
    await expect(node(tsc, ...flags, 'esm.mts', 'cjs.cts')).resolves.toBe('');
  });

  it('leaves the test fixtures out of the package', () => {
    expect(existsSync(join(consumer, 'node_modules/localzure/fixtures/plugins'))).toBe(false);
  });

  it('installs the localzure bin, which lists the built-in services', async () => {
    const out = await node(join(consumer, 'node_modules/.bin/localzure'), 'services', '--json');
    const { services } = JSON.parse(out) as { services: { name: string; source: string }[] };
    expect(services.filter((s) => s.source === 'built-in').map((s) => s.name).sort()).toEqual(
      Object.keys(ownPackage.localzure.services).sort(),
    );
  });
});
