import { createHmac, randomBytes } from 'node:crypto';
import { AzureNamedKeyCredential, TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import { afterAll, beforeAll } from 'vitest';
import { AdjustableClock } from '../../../src/core/clock.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import type { ServiceContext } from '../../../src/core/service.js';
import { TableService } from '../../../src/services/table/index.js';

/** Plain HTTP and no retries: an error must surface at once, not after the SDK's backoff. */
export const clientOptions: TableServiceClientOptions = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };

export interface TableFixture {
  service: TableService;
  clock: AdjustableClock;
  namespaces: NamespaceRegistry;
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  url: string;
  credential: AzureNamedKeyCredential;
  serviceClient: TableServiceClient;
  /** A client for a table (created by the caller when needed). */
  tableClient(table: string): TableClient;
}

/**
 * Starts a TableService on a random port for the test file and stops it
 * after. Read the fixture's fields inside tests (they are filled in beforeAll).
 */
export function useTableService(context: Partial<ServiceContext> = {}): TableFixture {
  const fixture = {} as TableFixture;
  beforeAll(async () => {
    fixture.clock = new AdjustableClock();
    fixture.namespaces = new NamespaceRegistry();
    fixture.service = new TableService({ clock: fixture.clock, namespaces: fixture.namespaces, ...context });
    await fixture.service.start();
    fixture.url = fixture.service.getEndpoint(DEFAULT_ACCOUNT)!.url;
    fixture.credential = new AzureNamedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
    fixture.serviceClient = new TableServiceClient(fixture.url, fixture.credential, clientOptions);
    fixture.tableClient = (table) => new TableClient(fixture.url, table, fixture.credential, clientOptions);
  });
  afterAll(async () => {
    await fixture.service?.stop();
  });
  return fixture;
}

let counter = 0;

/** A unique valid table name: a letter, then letters and digits. */
export function uniqueTable(prefix = 't'): string {
  counter += 1;
  return `${prefix}${counter}x${randomBytes(4).toString('hex')}`;
}

/** Creates a fresh table and returns its client. */
export async function freshTable(fixture: TableFixture, prefix = 't'): Promise<TableClient> {
  const client = fixture.tableClient(uniqueTable(prefix));
  await client.createTable();
  return client;
}

/** The status and Azure error code of a failed SDK call. */
export async function errorOf(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    // Operations report the code in the parsed OData error; transactions on the error itself.
    const e = error as { statusCode?: number; code?: string; message: string; details?: { odataError?: { code?: string } } };
    return { statusCode: e.statusCode, code: e.details?.odataError?.code ?? e.code, message: e.message };
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}

/**
 * The status and error code the service answered, for calls the SDK
 * deliberately swallows (createTable on an existing table, deleteTable of a
 * missing one). Pass the returned options to the call.
 */
export function captureResponse(): { options: { onResponse(response: { status: number; headers: { get(name: string): string | undefined } }): void }; status?: number; code?: string } {
  const captured: ReturnType<typeof captureResponse> = {
    options: {
      onResponse(response) {
        captured.status = response.status;
        captured.code = response.headers.get('x-ms-error-code');
      },
    },
  };
  return captured;
}

/** Collects every entity of a listing, across pages. */
export async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/**
 * A raw HTTP request signed with Shared Key Lite, as the Tables SDK signs,
 * for wire details and inputs the SDK would never send.
 */
export async function signedFetch(
  fixture: Pick<TableFixture, 'url'>,
  method: string,
  pathAndQuery: string,
  init: { headers?: Record<string, string>; body?: string; scheme?: 'SharedKeyLite' | 'SharedKey' } = {},
): Promise<Response> {
  const url = new URL(`${fixture.url}/${pathAndQuery}`);
  const date = new Date().toUTCString();
  const comp = url.searchParams.get('comp');
  const resource = `/${DEFAULT_ACCOUNT.name}${url.pathname}${comp ? `?comp=${comp}` : ''}`;
  const headers: Record<string, string> = { 'x-ms-date': date, 'x-ms-version': '2019-02-02', DataServiceVersion: '3.0', ...init.headers };
  const scheme = init.scheme ?? 'SharedKeyLite';
  const stringToSign = scheme === 'SharedKeyLite' ? `${date}\n${resource}` : `${method}\n\n${headers['Content-Type'] ?? ''}\n${date}\n${resource}`;
  const signature = createHmac('sha256', Buffer.from(DEFAULT_ACCOUNT.key, 'base64')).update(stringToSign, 'utf8').digest('base64');
  headers.Authorization = `${scheme} ${DEFAULT_ACCOUNT.name}:${signature}`;
  return fetch(url, { method, headers, body: init.body });
}

/** A changeset body in the shape the Tables SDK sends, for batches it would refuse to build. */
export function batchBody(fixture: Pick<TableFixture, 'url'>, table: string, operations: Array<{ method: string; keys?: [string, string]; body?: object; headers?: Record<string, string> }>): { boundary: string; body: string } {
  const boundary = `batch_${randomBytes(8).toString('hex')}`;
  const changeset = `changeset_${randomBytes(8).toString('hex')}`;
  const lines = [`--${boundary}`, `Content-Type: multipart/mixed; boundary=${changeset}`, ''];
  for (const op of operations) {
    const address = op.keys ? `${table}(PartitionKey='${op.keys[0]}',RowKey='${op.keys[1]}')` : table;
    lines.push(`--${changeset}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
    lines.push(`${op.method} ${fixture.url}/${address} HTTP/1.1`, 'Accept: application/json;odata=minimalmetadata', 'Content-Type: application/json', 'DataServiceVersion: 3.0;');
    for (const [name, value] of Object.entries(op.headers ?? {})) lines.push(`${name}: ${value}`);
    lines.push('', op.body ? JSON.stringify(op.body) : '');
  }
  lines.push(`--${changeset}--`, `--${boundary}--`, '');
  return { boundary, body: lines.join('\r\n') };
}
