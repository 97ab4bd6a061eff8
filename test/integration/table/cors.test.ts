import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { TableServiceClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { clientOptions, useTableService } from './support.js';

const table = useTableService();

const rules = [{ allowedOrigins: 'https://app.example', allowedMethods: 'GET,POST', allowedHeaders: '*', exposedHeaders: 'x-ms-*', maxAgeInSeconds: 60 }];

const fromOrigin: PipelinePolicy = {
  name: 'origin',
  sendRequest: (request, next) => {
    request.headers.set('Origin', 'https://app.example');
    return next(request);
  },
};

describe('table CORS', () => {
  it('answers a preflight from the service properties and refuses one no rule allows, in JSON', async () => {
    await table.serviceClient.setProperties({ cors: rules });
    const ask = (origin: string) => fetch(`${table.url}/Tables`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
    const allowed = await ask('https://app.example');
    expect([allowed.status, allowed.headers.get('access-control-allow-origin')]).toEqual([200, 'https://app.example']);
    const refused = await ask('https://other.example');
    expect([refused.status, refused.headers.get('x-ms-error-code')]).toEqual([403, 'CorsPreflightFailure']);
    expect(((await refused.json()) as { 'odata.error': { code: string } })['odata.error'].code).toBe('CorsPreflightFailure');
  });

  it('adds the allowed origin to answers for a request from that origin', async () => {
    await table.serviceClient.setProperties({ cors: rules });
    const client = new TableServiceClient(table.url, table.credential, { ...clientOptions, additionalPolicies: [{ policy: fromOrigin, position: 'perCall' }] });
    let origin: string | undefined;
    await client.getProperties({ onResponse: (response) => (origin = response.headers.get('access-control-allow-origin')) });
    expect(origin).toBe('https://app.example');
  });
});
