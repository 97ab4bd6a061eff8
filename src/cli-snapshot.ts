import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ControlClient } from './harness/control-client.js';
import { NotSetUpError } from './harness/errors.js';

export interface ExportOptions {
  /** The control API; default LOCALZURE_CONTROL_URL. */
  url?: string;
  /** Default: the running LocalZure's default account. */
  namespace?: string;
  /** A snapshot saved with `snapshot(name)`; default: the namespace as it stands. */
  name?: string;
  services?: string[];
}

/**
 * `localzure snapshot export <file>`: writes a running LocalZure's namespace
 * as a snapshot file (see the README's format), for a `seed` to load.
 * Returns the line to print.
 */
export async function exportSnapshot(file: string, options: ExportOptions, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const controlUrl = (options.url ?? env.LOCALZURE_CONTROL_URL)?.replace(/\/+$/, '');
  if (!controlUrl) {
    throw new NotSetUpError('No control URL: pass --url http://127.0.0.1:<port> (printed by `localzure start`) or set LOCALZURE_CONTROL_URL.');
  }
  const document = await new ControlClient(controlUrl).exportSnapshot(options.namespace, { name: options.name, services: options.services });
  const path = resolve(file);
  // Indented, so a baseline kept in the repository shows what changed in review.
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  const services = Object.keys(document.services);
  return `Wrote ${document.snapshot ? `snapshot "${document.snapshot}" of ` : ''}namespace ${document.namespace} (${services.join(', ') || 'no data'}) to ${path}`;
}
