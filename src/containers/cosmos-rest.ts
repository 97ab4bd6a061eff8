import { createHmac } from 'node:crypto';
import { request } from 'node:https';
import { COSMOS_EMULATOR_KEY } from '../services/cosmosdb/auth.js';

// One definition of the emulator's key, kept where the in-process emulator verifies it.
export { COSMOS_EMULATOR_KEY };

const API_VERSION = '2018-12-31';

/**
 * The master-key Authorization header of the Cosmos DB REST API: an
 * HMAC-SHA256 over verb, resource type, resource link and date.
 */
export function cosmosAuthorization(key: string, verb: string, resourceType: string, resourceLink: string, date: string): string {
  const payload = `${verb.toLowerCase()}\n${resourceType.toLowerCase()}\n${resourceLink}\n${date.toLowerCase()}\n\n`;
  const signature = createHmac('sha256', Buffer.from(key, 'base64')).update(payload).digest('base64');
  return encodeURIComponent(`type=master&ver=1.0&sig=${signature}`);
}

export interface CosmosResponse {
  status: number;
  body: unknown;
}

/**
 * Just enough of the Cosmos DB REST API to empty and seed the emulator,
 * trusting only the emulator's own certificate.
 */
export class CosmosRestClient {
  constructor(
    private readonly endpoint: string,
    private readonly ca: string,
    private readonly key: string = COSMOS_EMULATOR_KEY,
  ) {}

  async listDatabases(): Promise<string[]> {
    const { body } = await this.#send('GET', 'dbs', '', 'dbs', [200]);
    return ((body as { Databases?: Array<{ id: string }> }).Databases ?? []).map((db) => db.id);
  }

  async deleteDatabase(id: string): Promise<void> {
    await this.#send('DELETE', 'dbs', `dbs/${id}`, `dbs/${encodeURIComponent(id)}`, [204, 404]);
  }

  /** Creates the database unless it exists. */
  async createDatabase(id: string): Promise<void> {
    await this.#send('POST', 'dbs', '', 'dbs', [201, 409], { id });
  }

  /** Creates the container unless it exists. */
  async createContainer(database: string, id: string, partitionKey: string): Promise<void> {
    await this.#send('POST', 'colls', `dbs/${database}`, `dbs/${encodeURIComponent(database)}/colls`, [201, 409], {
      id,
      partitionKey: { paths: [partitionKey], kind: 'Hash', version: 2 },
    });
  }

  #send(verb: string, resourceType: string, resourceLink: string, path: string, expected: number[], json?: unknown): Promise<CosmosResponse> {
    const date = new Date().toUTCString();
    const body = json === undefined ? undefined : JSON.stringify(json);
    const url = new URL(path, this.endpoint);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: verb,
          ca: this.ca,
          timeout: 30_000,
          headers: {
            authorization: cosmosAuthorization(this.key, verb, resourceType, resourceLink, date),
            'x-ms-date': date,
            'x-ms-version': API_VERSION,
            ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (!expected.includes(status)) {
              reject(new Error(`Cosmos DB emulator answered ${verb} /${path} with ${status}: ${text.slice(0, 300)}`));
              return;
            }
            resolve({ status, body: text ? (JSON.parse(text) as unknown) : undefined });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`Cosmos DB emulator did not answer ${verb} /${path} within 30 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/**
 * Downloads the emulator's self-signed certificate. The connection that
 * fetches it cannot verify the server (that certificate is what is being
 * fetched); it only ever goes to the container LocalZure itself started.
 */
export function fetchEmulatorCertificate(endpoint: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/_explorer/emulator.pem', endpoint), { rejectUnauthorized: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const pem = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200 || !pem.includes('BEGIN CERTIFICATE')) {
          reject(new Error(`The Cosmos DB emulator served no certificate at /_explorer/emulator.pem (status ${res.statusCode}).`));
        } else {
          resolve(pem);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('The Cosmos DB emulator did not serve its certificate within 30 s.')));
    req.on('error', reject);
    req.end();
  });
}
