import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiscoveryError } from './errors.js';
import { LocalZureService, type ServiceContext } from './service.js';

/** One `"localzure": { "services": { name: module } }` entry of some package.json. */
export interface ServiceDeclaration {
  name: string;
  packageName: string;
  /** Absolute path of the module whose default export is the service class or factory. */
  modulePath: string;
  builtin: boolean;
}

export type ServiceFactory = (context: Partial<ServiceContext>) => LocalZureService | Promise<LocalZureService>;

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  localzure?: { services?: Record<string, string> };
}

/**
 * Lists the services declared by localzure itself (built-ins), by the project
 * in `cwd`, and by the packages the project depends on. Reads package.json
 * files only; nothing is loaded.
 */
export function findServiceDeclarations(cwd: string = process.cwd()): {
  declarations: ServiceDeclaration[];
  errors: DiscoveryError[];
} {
  const declarations: ServiceDeclaration[] = [];
  const errors: DiscoveryError[] = [];
  const seenDirs = new Set<string>();

  const collect = (packageDir: string, builtin: boolean): PackageJson | undefined => {
    if (seenDirs.has(packageDir)) return undefined;
    seenDirs.add(packageDir);
    const pkg = readPackageJson(packageDir);
    if (!pkg) return undefined;
    const packageName = pkg.name ?? packageDir;
    const services = pkg.localzure?.services;
    if (services === undefined) return pkg;
    if (typeof services !== 'object' || services === null || Array.isArray(services)) {
      errors.push(new DiscoveryError(packageName, '*', '"localzure.services" is not an object of service names to module paths.'));
      return pkg;
    }
    for (const [name, modulePath] of Object.entries(services)) {
      if (typeof modulePath !== 'string') {
        errors.push(new DiscoveryError(packageName, name, `its module path is not a string.`));
        continue;
      }
      declarations.push({ name, packageName, modulePath: resolve(packageDir, modulePath), builtin });
    }
    return pkg;
  };

  collect(localzurePackageDir(), true);
  const project = findPackageDir(cwd);
  const projectPkg = project ? collect(project, false) ?? readPackageJson(project) : undefined;
  if (project && projectPkg) {
    const deps = {
      ...projectPkg.dependencies,
      ...projectPkg.devDependencies,
      ...projectPkg.optionalDependencies,
    };
    for (const dep of Object.keys(deps).sort()) {
      const dir = findInstalledPackage(dep, project);
      if (dir) collect(dir, false);
    }
  }
  return { declarations, errors };
}

/** Imports a declared module and builds its service. */
export async function loadService(
  declaration: ServiceDeclaration,
  context: Partial<ServiceContext>,
): Promise<LocalZureService> {
  const fail = (message: string, cause?: unknown) =>
    new DiscoveryError(declaration.packageName, declaration.name, message, cause);
  if (!existsSync(declaration.modulePath)) {
    throw fail(`its module ${declaration.modulePath} does not exist. Fix the path in that package's "localzure.services".`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(declaration.modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    throw fail(`its module ${declaration.modulePath} failed to load: ${String(error)}`, error);
  }
  let exported = mod.default;
  // A CommonJS module imported from ESM arrives as { default: module.exports }.
  if (exported && typeof exported === 'object' && 'default' in exported) {
    exported = (exported as { default: unknown }).default;
  }
  if (typeof exported !== 'function') {
    throw fail(`its module ${declaration.modulePath} has no default export that is a service class or factory.`);
  }
  if (!isServiceClass(exported) && isClass(exported)) {
    throw fail(`its module ${declaration.modulePath} exports a class that is not a LocalZureService (it has no getMetadata()).`);
  }
  let service: unknown;
  try {
    service = isServiceClass(exported)
      ? new (exported as new (c: Partial<ServiceContext>) => LocalZureService)(context)
      : await (exported as ServiceFactory)(context);
  } catch (error) {
    throw fail(`constructing it threw: ${String(error)}`, error);
  }
  if (!isService(service)) {
    throw fail(`its default export did not produce a LocalZureService (it lacks getMetadata, start, stop, reset, health or addEventListener); extend LocalZureService.`);
  }
  const actual = service.getMetadata().name;
  if (actual !== declaration.name) {
    throw fail(`the service it builds is named "${actual}". Make the declared name and getMetadata().name agree.`);
  }
  return service;
}

// Checked by shape, not instanceof: a plugin may bundle its own copy of localzure.
function isServiceClass(value: Function): boolean {
  return typeof (value.prototype as { getMetadata?: unknown } | undefined)?.getMetadata === 'function';
}

function isClass(value: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

export function isService(value: unknown): value is LocalZureService {
  const v = value as Partial<LocalZureService> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.getMetadata === 'function' &&
    typeof v.start === 'function' &&
    typeof v.stop === 'function' &&
    typeof v.reset === 'function' &&
    typeof v.health === 'function' &&
    typeof v.addEventListener === 'function'
  );
}

function readPackageJson(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

function findPackageDir(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function findInstalledPackage(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let ownDir: string | undefined;
/** The folder holding localzure's own package.json, from source or from dist. */
export function localzurePackageDir(): string {
  if (ownDir) return ownDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (readPackageJson(dir)?.name === 'localzure') return (ownDir = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('localzure could not find its own package.json.');
    dir = parent;
  }
}
