import { BlobServiceClient, newPipeline, type RequestPolicy, type CorsRule } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { noRetry, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

const rule = (change: Partial<CorsRule> = {}): CorsRule => ({
  allowedOrigins: 'https://app.example',
  allowedMethods: 'GET,HEAD,PUT',
  allowedHeaders: 'x-ms-meta-*,content-type',
  exposedHeaders: 'x-ms-meta-*,x-ms-request-id',
  maxAgeInSeconds: 600,
  ...change,
});

/** A client whose every request carries `Origin`, as a browser's would. */
function clientFrom(origin: string): BlobServiceClient {
  const pipeline = newPipeline(blob.credential, noRetry);
  pipeline.factories.unshift({
    create: (next: RequestPolicy) => ({
      sendRequest: (request) => {
        request.headers.set('Origin', origin);
        return next.sendRequest(request);
      },
    }),
  });
  return new BlobServiceClient(blob.url, pipeline);
}

/** The preflight a browser sends before a cross-origin request (the SDK never sends one itself). */
const preflight = (path: string, headers: Record<string, string>) => fetch(`${blob.url}/${path}`, { method: 'OPTIONS', headers });

describe('CORS', () => {
  it('answers a preflight from the matching rule with origin, method, headers and max-age', async () => {
    await blob.client.setProperties({ cors: [rule()] });
    const response = await preflight('any/blob', { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-ms-meta-a,content-type' });
    expect(response.status).toBe(200);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-ms-meta-a,content-type',
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
    });
  });

  it('refuses a preflight no rule allows with 403 CorsPreflightFailure', async () => {
    await blob.client.setProperties({ cors: [rule()] });
    const cases: Record<string, string>[] = [
      { Origin: 'https://other.example', 'Access-Control-Request-Method': 'GET' },
      { Origin: 'https://app.example', 'Access-Control-Request-Method': 'DELETE' },
      { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-custom' },
    ];
    for (const headers of cases) {
      const response = await preflight('', headers);
      expect([response.status, response.headers.get('x-ms-error-code')]).toEqual([403, 'CorsPreflightFailure']);
    }
  });

  it('refuses every preflight while the service has no CORS rules', async () => {
    await blob.client.setProperties({ cors: [] });
    const response = await preflight('', { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' });
    expect([response.status, response.headers.get('x-ms-error-code')]).toEqual([403, 'CorsPreflightFailure']);
  });

  it('answers 400 InvalidHeaderValue to a preflight without Access-Control-Request-Method', async () => {
    await blob.client.setProperties({ cors: [rule()] });
    const response = await preflight('', { Origin: 'https://app.example' });
    expect([response.status, response.headers.get('x-ms-error-code')]).toEqual([400, 'InvalidHeaderValue']);
  });

  it('matches wildcard origins without regard to case', async () => {
    await blob.client.setProperties({ cors: [rule({ allowedOrigins: 'https://*.example.com' })] });
    const allowed = await preflight('', { Origin: 'https://Shop.EXAMPLE.com', 'Access-Control-Request-Method': 'GET' });
    const refused = await preflight('', { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' });
    expect([allowed.status, refused.status]).toEqual([200, 403]);
  });

  it('adds the allowed origin and exposed headers to answers for a request from that origin', async () => {
    await blob.client.setProperties({ cors: [rule()] });
    const container = blob.client.getContainerClient(uniqueName('cors'));
    await container.create();
    await container.getBlockBlobClient('b').upload('x', 1, { metadata: { owner: 'me' } });
    const response = await clientFrom('https://app.example').getContainerClient(container.containerName).getBlobClient('b').getProperties();
    const headers = response._response.headers;
    expect(headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(headers.get('access-control-expose-headers')?.split(',')).toEqual(expect.arrayContaining(['x-ms-meta-owner', 'x-ms-request-id']));
    expect(headers.get('vary')).toBe('Origin');
  });

  it('adds the CORS headers to error answers too', async () => {
    await blob.client.setProperties({ cors: [rule()] });
    const missing = clientFrom('https://app.example').getContainerClient(uniqueName('missing'));
    const error = (await missing.getProperties().catch((e: unknown) => e)) as { statusCode: number; response: { headers: { get(name: string): string | undefined } } };
    expect(error.statusCode).toBe(404);
    expect(error.response.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('answers * to any origin when a rule allows all origins, and nothing without an Origin', async () => {
    await blob.client.setProperties({ cors: [rule({ allowedOrigins: '*' })] });
    const fromAnywhere = await clientFrom('https://anywhere.example').getProperties();
    expect(fromAnywhere._response.headers.get('access-control-allow-origin')).toBe('*');
    expect(fromAnywhere._response.headers.get('vary')).toBeUndefined();
    const plain = await blob.client.getProperties();
    expect(plain._response.headers.get('access-control-allow-origin')).toBeUndefined();
  });

  it('answers only Vary: Origin to an origin no rule allows', async () => {
    await blob.client.setProperties({ cors: [rule()] });
    const response = await clientFrom('https://other.example').getProperties();
    expect(response._response.headers.get('access-control-allow-origin')).toBeUndefined();
    expect(response._response.headers.get('vary')).toBe('Origin');
  });

  it('answers a preflight for an account that does not exist with AuthenticationFailed', async () => {
    const response = await fetch(`${blob.url.replace('devstoreaccount1', 'nosuchaccount')}/`, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' } });
    expect([response.status, response.headers.get('x-ms-error-code')]).toEqual([403, 'AuthenticationFailed']);
  });
});
