import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findServiceDeclarations, localzurePackageDir } from '../../src/core/discovery.js';
import { DiscoveryError, ServiceManager, ServiceState } from '../../src/index.js';
import { createPluginProject, REPO_ROOT, type PluginProject } from '../support/plugin-project.js';
import { recordingLogger } from '../support/test-service.js';

const BROKEN = ['missing-module', 'throws-on-load', 'not-a-service', 'plain-class', 'wrong-name'];
const BUILTIN = new Set(findServiceDeclarations(REPO_ROOT).declarations.filter((d) => d.builtin).map((d) => d.name));
/** What a plugin project added, leaving out localzure's own services. */
const fromPlugins = (names: string[]) => names.filter((n) => !BUILTIN.has(n)).sort();

function newManager() {
  const logger = recordingLogger();
  return { manager: new ServiceManager({ logger }), logger };
}

describe('discovery of installed plugin packages', () => {
  let project: PluginProject;

  beforeAll(() => {
    project = createPluginProject(['lz-plugin-esm', 'lz-plugin-cjs', 'lz-plugin-broken']);
  });
  afterAll(() => project.remove());

  it('lists what each dependency declares, with the module path resolved inside the package', () => {
    const { declarations } = findServiceDeclarations(project.dir);
    const echo = declarations.find((d) => d.name === 'echo');
    expect(echo).toEqual({
      name: 'echo',
      packageName: 'lz-plugin-esm',
      modulePath: join(project.packageDir('lz-plugin-esm'), 'echo.js'),
      builtin: false,
    });
  });

  it('registers an ES module class export', async () => {
    const { manager } = newManager();
    const report = await manager.discoverServices({ cwd: project.dir });
    expect(report.registered).toContain('echo');
    expect(manager.getServiceStatus('echo')).toMatchObject({ source: 'lz-plugin-esm', state: ServiceState.UNINITIALIZED });
  });

  it('registers an ES module async factory export', async () => {
    const { manager } = newManager();
    await manager.discoverServices({ cwd: project.dir });
    expect(manager.getServiceStatus('echo-relay')).toMatchObject({ source: 'lz-plugin-esm', dependencies: ['echo'] });
  });

  it('registers a CommonJS class export from a scoped package', async () => {
    const { manager } = newManager();
    await manager.discoverServices({ cwd: project.dir });
    expect(manager.getServiceStatus('cjs-class')).toMatchObject({ source: '@lz-fixtures/plugin-cjs', version: '2.0.0' });
  });

  it('registers a CommonJS factory export', async () => {
    const { manager } = newManager();
    await manager.discoverServices({ cwd: project.dir });
    expect(manager.getServiceStatus('cjs-factory')).toMatchObject({ source: '@lz-fixtures/plugin-cjs', dependencies: ['cjs-class'] });
  });

  it('gives discovered services the manager context', async () => {
    const { manager } = newManager();
    await manager.discoverServices({ cwd: project.dir });
    expect(manager.getService('echo').context.namespaces).toBe(manager.context.namespaces);
    expect(manager.getService('cjs-factory').context.clock).toBe(manager.context.clock);
  });

  it('applies per-service context overrides', async () => {
    const { manager } = newManager();
    await manager.discoverServices({ cwd: project.dir, contextFor: (name) => (name === 'echo' ? { port: 0, host: '127.0.0.1' } : {}) });
    expect(manager.getService('echo').context.port).toBe(0);
  });

  it('starts and stops discovered services through the manager', async () => {
    const { manager } = newManager();
    await manager.discoverServices({ cwd: project.dir, names: ['echo-relay', 'cjs-factory'] });
    await manager.startAll();
    expect(manager.runningServices).toEqual(['cjs-class', 'cjs-factory', 'echo', 'echo-relay']);
    const url = manager.getService('echo').getEndpoint({ name: 'acct', key: 'k' })!.url;
    expect(await (await fetch(`${url}/hello`)).text()).toBe('echo /acct/hello');
    await manager.stopAll();
    expect(manager.runningServices).toEqual([]);
  });

  it('loads only the named services and what they depend on', async () => {
    const { manager } = newManager();
    const report = await manager.discoverServices({ cwd: project.dir, names: ['echo-relay'] });
    expect(report.registered.sort()).toEqual(['echo', 'echo-relay']);
    expect(manager.serviceNames).toEqual(['echo', 'echo-relay']);
    expect(report.errors).toEqual([]);
  });

  it('reports every broken declaration and still registers the good ones', async () => {
    const { manager, logger } = newManager();
    const report = await manager.discoverServices({ cwd: project.dir });
    expect(fromPlugins(report.registered)).toEqual(['cjs-class', 'cjs-factory', 'echo', 'echo-relay', 'needs-broken']);
    expect(report.errors.map((e) => e.service).sort()).toEqual([...BROKEN].sort());
    for (const error of report.errors) {
      expect(error).toBeInstanceOf(DiscoveryError);
      expect(error.code).toBe('LZ_DISCOVERY_FAILED');
      expect(error.packageName).toBe('lz-plugin-broken');
      expect(logger.lines).toContain(`warn: ${error.message}`);
    }
  });

  const reasons: Record<string, RegExp> = {
    'missing-module': /does-not-exist\.js does not exist/,
    'throws-on-load': /failed to load: Error: plugin exploded while loading/,
    'not-a-service': /no default export that is a service class or factory/,
    'plain-class': /exports a class that is not a LocalZureService/,
    'wrong-name': /named "some-other-name"/,
  };
  it.each(Object.entries(reasons))('says why "%s" could not be loaded', async (service, reason) => {
    const { manager } = newManager();
    const report = await manager.discoverServices({ cwd: project.dir, names: [service] });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message).toMatch(reason);
    expect(report.errors[0]!.message).toContain(`Package "lz-plugin-broken" declares service "${service}"`);
  });

  it('keeps the load error as the cause', async () => {
    const { manager } = newManager();
    const report = await manager.discoverServices({ cwd: project.dir, names: ['throws-on-load'] });
    expect((report.errors[0]!.cause as Error).message).toBe('plugin exploded while loading');
  });

  it('leaves already registered services alone when run again', async () => {
    const { manager } = newManager();
    await manager.discoverServices({ cwd: project.dir });
    const echo = manager.getService('echo');
    const again = await manager.discoverServices({ cwd: project.dir });
    expect(again.registered).toEqual([]);
    expect(manager.getService('echo')).toBe(echo);
  });
});

describe('discovery edge cases', () => {
  it('finds the project from a folder below its package.json', async () => {
    const project = createPluginProject(['lz-plugin-esm']);
    try {
      const { declarations } = findServiceDeclarations(join(project.dir, 'node_modules'));
      expect(declarations.filter((d) => !d.builtin).map((d) => d.name)).toEqual(['echo', 'echo-relay']);
    } finally {
      project.remove();
    }
  });

  it('registers services the project declares in its own package.json', async () => {
    const project = createPluginProject(['lz-plugin-esm']);
    try {
      const relay = join(project.packageDir('lz-plugin-esm'), 'echo-relay.js');
      writeFileSync(join(project.dir, 'own-relay.mjs'), `export { default } from ${JSON.stringify(relay)};`);
      const pkg = JSON.parse(readFileSync(join(project.dir, 'package.json'), 'utf8'));
      pkg.dependencies = {};
      pkg.localzure = { services: { 'echo-relay': './own-relay.mjs' } };
      writeFileSync(join(project.dir, 'package.json'), JSON.stringify(pkg));
      const { manager } = newManager();
      const report = await manager.discoverServices({ cwd: project.dir });
      expect(fromPlugins(report.registered)).toEqual(['echo-relay']);
      expect(manager.getServiceStatus('echo-relay').source).toBe('plugin-consumer');
    } finally {
      project.remove();
    }
  });

  it('skips a dependency that is listed but not installed', () => {
    const project = createPluginProject([], { dependencies: { 'not-installed-anywhere': '1.0.0' } });
    try {
      const { declarations, errors } = findServiceDeclarations(project.dir);
      expect(declarations.every((d) => d.builtin)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      project.remove();
    }
  });

  it('reports a "localzure.services" that is not an object', () => {
    const project = createPluginProject([], { localzure: { services: ['echo'] } });
    try {
      const { errors } = findServiceDeclarations(project.dir);
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('"localzure.services" is not an object')]);
    } finally {
      project.remove();
    }
  });

  it('reports a module path that is not a string', () => {
    const project = createPluginProject([], { localzure: { services: { echo: 42 } } });
    try {
      const { errors } = findServiceDeclarations(project.dir);
      expect(errors[0]?.service).toBe('echo');
      expect(errors[0]?.message).toContain('not a string');
    } finally {
      project.remove();
    }
  });

  it('prefers the project’s own declaration over a dependency’s of the same name, and reports the clash', async () => {
    const project = createPluginProject(['lz-plugin-esm'], { localzure: { services: { echo: './own-echo.mjs' } } });
    try {
      const echo = join(project.packageDir('lz-plugin-esm'), 'echo.js');
      writeFileSync(join(project.dir, 'own-echo.mjs'), `export { default } from ${JSON.stringify(echo)};`);
      const { manager } = newManager();
      const report = await manager.discoverServices({ cwd: project.dir, names: ['echo'] });
      expect(manager.getServiceStatus('echo').source).toBe('plugin-consumer');
      expect(report.errors.map((e) => [e.packageName, e.service])).toEqual([['lz-plugin-esm', 'echo']]);
      expect(report.errors[0]!.message).toContain('"plugin-consumer" already declares');
    } finally {
      project.remove();
    }
  });
});

describe('built-in services', () => {
  it('are read from localzure’s own package.json', () => {
    expect(localzurePackageDir()).toBe(REPO_ROOT);
    const own = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      localzure: { services: Record<string, string> };
    };
    const builtins = findServiceDeclarations(REPO_ROOT).declarations.filter((d) => d.builtin);
    expect(builtins.map((d) => [d.name, d.modulePath, d.packageName])).toEqual(
      Object.entries(own.localzure.services).map(([name, path]) => [name, resolve(REPO_ROOT, path), 'localzure']),
    );
  });

  it('are found from any project, not only from localzure’s own folder', () => {
    const project = createPluginProject([]);
    try {
      const here = findServiceDeclarations(REPO_ROOT).declarations.filter((d) => d.builtin);
      const there = findServiceDeclarations(project.dir).declarations.filter((d) => d.builtin);
      expect(there).toEqual(here);
    } finally {
      project.remove();
    }
  });
});
