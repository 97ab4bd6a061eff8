import { fileURLToPath } from 'node:url';
import type { Logger } from '../../src/index.js';

/** A project whose package.json declares the fixture services kv, kv-index (needs kv), kv-search (needs kv-index) and broken (needs kv). */
export const PLUGIN_PROJECT = fileURLToPath(new URL('./fixtures/plugins/', import.meta.url));

/** A seed folder for kv: one key, `greeting`. */
export const KV_SEED = fileURLToPath(new URL('./fixtures/kv-seed/', import.meta.url));

export const quietLogger: Logger = { info() {}, warn() {}, error() {} };

/** Reads one account's kv data over HTTP, as a test worker would. */
export async function kvEntries(endpoint: string): Promise<Record<string, string>> {
  const response = await fetch(endpoint);
  if (!response.ok) throw new Error(`GET ${endpoint} answered ${response.status}`);
  return (await response.json()) as Record<string, string>;
}

export async function kvPut(endpoint: string, key: string, value: string): Promise<void> {
  const response = await fetch(`${endpoint}/${encodeURIComponent(key)}`, { method: 'PUT', body: value });
  if (!response.ok) throw new Error(`PUT ${endpoint}/${key} answered ${response.status}`);
}
