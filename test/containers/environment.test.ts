import { describe, expect, it } from 'vitest';
import { buildEnvironment, environmentForAccount } from '../../src/harness/environment.js';
import { DEFAULT_ACCOUNT, type LocalZureRuntime, type ServiceEndpoint } from '../../src/index.js';

// The runtime's view Environment is built from: what its services answer to getEndpoint().
function runtimeAnswering(endpoints: Record<string, ServiceEndpoint>): LocalZureRuntime {
  return {
    services: Object.keys(endpoints),
    controlUrl: 'http://127.0.0.1:4000',
    account: DEFAULT_ACCOUNT,
    endpoints: () => endpoints,
  } as unknown as LocalZureRuntime;
}

const SB = 'Endpoint=sb://localhost:5673;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;';

describe('Environment of container services', () => {
  const environment = buildEnvironment(
    runtimeAnswering({
      mssql: { url: 'mssql://localhost:1433' },
      servicebus: { url: 'sb://localhost:5673', connectionString: SB },
      cosmosdb: { url: 'https://localhost:8082/', connectionString: 'AccountEndpoint=https://localhost:8082/;AccountKey=k;', env: { NODE_EXTRA_CA_CERTS: '/tmp/e.pem' } },
    }),
  );

  it('carries each connection string under its service name', () => {
    expect(environment.connectionStrings).toEqual({
      servicebus: SB,
      cosmosdb: 'AccountEndpoint=https://localhost:8082/;AccountKey=k;',
    });
  });

  it('publishes each connection string as LOCALZURE_<SERVICE>_CONNECTION_STRING', () => {
    expect(environment.env.LOCALZURE_SERVICEBUS_CONNECTION_STRING).toBe(SB);
  });

  it('publishes the variables a service asks for', () => {
    expect(environment.env.NODE_EXTRA_CA_CERTS).toBe('/tmp/e.pem');
  });

  it('keeps container connection strings and variables in a worker account view', () => {
    const worker = environmentForAccount(environment, { name: 'worker1', key: DEFAULT_ACCOUNT.key });
    expect(worker.connectionStrings).toEqual(environment.connectionStrings);
    expect(worker.env.NODE_EXTRA_CA_CERTS).toBe('/tmp/e.pem');
    expect(worker.env.LOCALZURE_ACCOUNT_NAME).toBe('worker1');
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(environment))).toEqual(environment);
  });
});
