import { describe, expect, it } from 'vitest';
import { useBlobService } from './support.js';

const blob = useBlobService();

describe('service properties', () => {
  it('answers defaults before anything is set', async () => {
    const properties = await blob.client.getProperties();
    expect(properties.cors).toEqual([]);
    expect(properties.deleteRetentionPolicy?.enabled).toBe(false);
  });

  it('keeps CORS rules and the default service version', async () => {
    const rule = { allowedOrigins: 'https://example.com', allowedMethods: 'GET,PUT', allowedHeaders: 'x-ms-meta-*', exposedHeaders: 'x-ms-request-id', maxAgeInSeconds: 300 };
    await blob.client.setProperties({ cors: [rule], defaultServiceVersion: '2020-10-02' });
    const properties = await blob.client.getProperties();
    expect(properties.cors).toEqual([rule]);
    expect(properties.defaultServiceVersion).toBe('2020-10-02');
  });

  it('leaves properties a request does not mention as they were', async () => {
    await blob.client.setProperties({ defaultServiceVersion: '2021-08-06' });
    await blob.client.setProperties({ deleteRetentionPolicy: { enabled: true, days: 3 } });
    const properties = await blob.client.getProperties();
    expect(properties.defaultServiceVersion).toBe('2021-08-06');
    expect(properties.deleteRetentionPolicy).toEqual({ enabled: true, days: 3 });
  });

  it('answers account information', async () => {
    const info = await blob.client.getAccountInfo();
    expect(info.accountKind).toBe('StorageV2');
    expect(info.skuName).toBe('Standard_RAGRS');
  });
});

describe('user delegation keys', () => {
  it('refuses getUserDelegationKey with Shared Key: 403 AuthenticationFailed, Bearer only', async () => {
    const error = (await blob.client.getUserDelegationKey(new Date(), new Date(Date.now() + 3_600_000)).catch((e: unknown) => e)) as {
      statusCode: number;
      details: { errorCode: string; authenticationErrorDetail: string };
    };
    expect([error.statusCode, error.details.errorCode, error.details.authenticationErrorDetail]).toEqual([403, 'AuthenticationFailed', 'Only authentication scheme Bearer is supported']);
  });
});
