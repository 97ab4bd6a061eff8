import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * One request and Azure's answer as the Azure SDK for JS test recorder
 * (the test proxy) stores it: the files under `js/sdk/storage/...` and
 * `js/sdk/tables/...` of github:Azure/azure-sdk-assets.
 */
export interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string | string[]>;
  /** Text for XML/text bodies, parsed JSON for JSON ones, base64 for the others; null when none. */
  RequestBody: string | Record<string, unknown> | null;
  StatusCode: number;
  ResponseHeaders: Record<string, string | string[]>;
  /** Text (sometimes split into lines) or base64; null when none. */
  ResponseBody: string | string[] | null | Record<string, unknown>;
}

export interface Recording {
  /** Path below the replay folder, e.g. `storage-blob/recordings/node/blobclient/recording_delete.json`. */
  name: string;
  entries: RecordedEntry[];
}

export type StorageSdk = 'blob' | 'queue' | 'table';

/** The service an entry talks to, from the recorded host (`<account>.blob.core.windows.net`). */
export function sdkOf(entry: RecordedEntry): StorageSdk | undefined {
  const host = new URL(entry.RequestUri).hostname;
  const service = host.split('.')[1];
  return service === 'blob' || service === 'queue' || service === 'table' ? service : undefined;
}

/** A recorded header, whatever its case; arrays (repeated headers) joined as HTTP joins them. */
export function header(headers: Record<string, string | string[]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

/** The recorded response body as text (the recorder splits long bodies into lines). */
export function bodyText(body: RecordedEntry['ResponseBody']): string {
  if (body === null || body === undefined) return '';
  if (Array.isArray(body)) return body.join('');
  if (typeof body === 'object') return JSON.stringify(body);
  return body;
}

function jsonFiles(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

/** Every recording below `folder`, in a stable order. */
export function loadRecordings(folder: string): Recording[] {
  return jsonFiles(folder).map((path) => {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { Entries?: RecordedEntry[] };
    return { name: relative(folder, path), entries: parsed.Entries ?? [] };
  });
}
