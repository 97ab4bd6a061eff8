import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PLUGINS = join(REPO_ROOT, 'fixtures/plugins');

export interface PluginProject {
  dir: string;
  /** The installed package folder of a fixture plugin. */
  packageDir(fixture: string): string;
  remove(): void;
}

/**
 * A throwaway project that depends on the given fixture plugins (folders of
 * fixtures/plugins), installed in its node_modules as npm would, with
 * `localzure` linked to this checkout (its built dist) as a peer dependency.
 */
export function createPluginProject(fixtures: string[], project: Record<string, unknown> = {}): PluginProject {
  const dir = mkdtempSync(join(tmpdir(), 'localzure-plugins-'));
  const installed = new Map<string, string>();
  const dependencies: Record<string, string> = {};
  for (const fixture of fixtures) {
    const source = join(PLUGINS, fixture);
    const { name } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { name: string };
    const target = join(dir, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target, { recursive: true });
    installed.set(fixture, target);
    dependencies[name] = '1.0.0';
  }
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'localzure'), 'dir');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'plugin-consumer', version: '1.0.0', private: true, dependencies, ...project }, null, 2),
  );
  return {
    dir,
    packageDir(fixture) {
      const found = installed.get(fixture);
      if (!found) throw new Error(`fixture ${fixture} is not installed in this project`);
      return found;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
