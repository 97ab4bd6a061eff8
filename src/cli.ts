#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { inspect } from './cli-inspect.js';
import { exportSnapshot } from './cli-snapshot.js';
import { findServiceDeclarations } from './core/discovery.js';
import { LocalZureError } from './core/errors.js';
import type { SeedSource } from './core/service.js';
import { seedAtPath } from './core/snapshot-seed.js';
import { buildEnvironment } from './harness/environment.js';
import { LocalZureRuntime } from './runtime/runtime.js';

const program = new Command()
  .name('localzure')
  .description('Azure service emulators for fast, hermetic tests.')
  .showHelpAfterError();

program
  .command('start')
  .description('Start services (blob, queue and table when none are named) until interrupted.')
  .argument('[services...]', 'services to start; their dependencies start too')
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .option('--control-port <port>', 'fixed port for the control API', parsePort)
  .option('--versioning', 'keep blob versions: every write keeps the previous state')
  .option('--container-soft-delete-days <days>', 'keep deleted containers this many days (1 to 365) for restore', parseRetentionDays)
  .option('--json', 'print one JSON object instead of text')
  .option('--seed <path>', 'a seed folder, or a snapshot file written by `localzure snapshot export`')
  .action(async (services: string[], options: { host: string; controlPort?: number; versioning?: boolean; containerSoftDeleteDays?: number; json?: boolean; seed?: string }) => {
    const runtime = new LocalZureRuntime({
      host: options.host,
      controlPort: options.controlPort,
      storageAccount: { versioning: options.versioning === true, containerSoftDeleteDays: options.containerSoftDeleteDays },
      seed: options.seed === undefined ? undefined : seedOption(options.seed),
    });
    const names = services.length > 0 ? services : builtinNames();
    // Listen for signals before anything is printed: a supervisor may send one
    // the moment it reads the output, and a signal during start-up must still
    // stop what did start.
    const starting = runtime.start(names);
    const shutdown = (signal: NodeJS.Signals) => {
      starting
        .catch(() => {})
        .then(async () => {
          if (!options.json) console.log(`\n${signal}: stopping ${[...runtime.services].reverse().join(', ')}`);
          await runtime.stop();
        })
        .then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(String(error));
            process.exit(1);
          },
        );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    await starting;
    const env = buildEnvironment(runtime);
    if (options.json) {
      console.log(JSON.stringify(env));
    } else {
      console.log(`LocalZure started: ${env.services.join(', ') || '(no services)'}`);
      for (const [name, url] of Object.entries(env.endpoints)) console.log(`  ${name.padEnd(8)} ${url}`);
      console.log(`  control  ${env.controlUrl}/_localzure/health`);
      console.log(`\nAZURE_STORAGE_CONNECTION_STRING="${env.connectionString}"`);
      // Services with an SDK of their own (Cosmos DB, ...) take their own connection string.
      for (const [variable, value] of Object.entries(env.env)) {
        if (variable.startsWith('LOCALZURE_') && variable.endsWith('_CONNECTION_STRING')) console.log(`${variable}="${value}"`);
      }
      console.log('\nPress Ctrl+C to stop.');
    }
  });

program
  .command('services')
  .description('List every known service, its dependencies and where it comes from.')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const runtime = new LocalZureRuntime({ logger: { info() {}, warn() {}, error() {} } });
    const report = await runtime.manager.discoverServices();
    const rows = runtime.manager.serviceNames.map((name) => {
      const status = runtime.manager.getServiceStatus(name);
      return { name, dependencies: status.dependencies, source: status.source, description: status.description };
    });
    if (options.json) {
      console.log(JSON.stringify({ services: rows, errors: report.errors.map((e) => e.message) }));
      return;
    }
    for (const row of rows) {
      const deps = row.dependencies.length > 0 ? ` (needs ${row.dependencies.join(', ')})` : '';
      console.log(`${row.name.padEnd(12)} ${row.source.padEnd(12)} ${row.description}${deps}`);
    }
    for (const error of report.errors) console.error(`warning: ${error.message}`);
  });

program
  .command('inspect')
  .description('Show what a running LocalZure holds (accounts, containers, blobs, queues, tables) and the last requests it served.')
  .option('--url <url>', 'control API of the running LocalZure (default: LOCALZURE_CONTROL_URL)')
  .option('--namespace <name>', 'only this namespace (storage account)')
  .option('--requests <count>', 'how many of the newest requests to list', parseCount, 10)
  .option('--json', 'print one JSON object instead of text')
  .action(async (options: { url?: string; namespace?: string; requests: number; json?: boolean }) => {
    console.log(await inspect(options));
  });

const snapshotCommand = program.command('snapshot').description('Snapshot files: a baseline kept in the repository, loaded back as a seed.');
snapshotCommand
  .command('export')
  .description("Write a running LocalZure's namespace (as it stands, or a saved snapshot) to a snapshot file that `seed` loads.")
  .argument('<file>', 'where to write it, e.g. fixtures/baseline.localzure.json')
  .option('--url <url>', 'control API of the running LocalZure (default: LOCALZURE_CONTROL_URL)')
  .option('--namespace <name>', 'the namespace (storage account) to export (default: the default account)')
  .option('--name <snapshot>', 'a snapshot saved with snapshot(name) instead of the current data')
  .option('--services <names>', 'only these services, comma-separated', parseList)
  .action(async (file: string, options: { url?: string; namespace?: string; name?: string; services?: string[] }) => {
    console.log(await exportSnapshot(file, options));
  });

// Container-backed built-ins need a container engine and, some, an accepted licence, so
// they start only when named.
const IN_PROCESS_BUILTINS = ['blob', 'queue', 'table', 'cosmosdb', 'servicebus', 'eventhubs'];

function builtinNames(): string[] {
  return findServiceDeclarations()
    .declarations.filter((d) => d.builtin && IN_PROCESS_BUILTINS.includes(d.name))
    .map((d) => d.name);
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError(`"${value}" is not a count (0 or more).`);
  return count;
}

function seedOption(path: string): SeedSource {
  const seed = seedAtPath(resolve(path));
  if (!seed) throw new InvalidArgumentError(`--seed ${path}: nothing is there; name a seed folder or a snapshot file.`);
  return seed;
}

function parseList(value: string): string[] {
  return value.split(',').map((name) => name.trim()).filter((name) => name !== '');
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`"${value}" is not a port number (0 to 65535).`);
  return port;
}

function parseRetentionDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new InvalidArgumentError(`"${value}" is not a retention Azure allows (1 to 365 days).`);
  return days;
}

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof LocalZureError ? `${error.code}: ${error.message}` : String(error));
  process.exit(1);
});
