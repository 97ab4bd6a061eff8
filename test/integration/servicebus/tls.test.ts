import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['secure'] });
const run = promisify(execFile);

// Node reads NODE_EXTRA_CA_CERTS only when it starts: the client runs in a process started with it, as a test worker would be.
const CLIENT = `
import { AzureNamedKeyCredential } from '@azure/core-auth';
import { ServiceBusClient } from '@azure/service-bus';
const [host, name, key] = process.argv.slice(1);
const client = new ServiceBusClient(host, new AzureNamedKeyCredential(name, key), { retryOptions: { maxRetries: 0 } });
await client.createSender('secure').sendMessages({ body: 'over tls' });
const [m] = await client.createReceiver('secure', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 5000 });
console.log(JSON.stringify(m?.body));
await client.close();
`;

describe('Service Bus over TLS', () => {
  it('serves a client given a host and a named key credential over TLS on the same port, trusted through NODE_EXTRA_CA_CERTS', async () => {
    const endpoint = sb.service.getEndpoint(DEFAULT_ACCOUNT)!;
    const host = endpoint.url.replace('sb://', '');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CLIENT, host, DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key], {
      cwd: process.cwd(),
      env: { ...process.env, ...endpoint.env },
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('"over tls"');
  });

  it('hands out the certificate file to trust in the endpoint environment', () => {
    expect(sb.service.getEndpoint(DEFAULT_ACCOUNT)!.env?.NODE_EXTRA_CA_CERTS).toMatch(/localzure-development-ca-\d+\.pem$/);
  });
});
