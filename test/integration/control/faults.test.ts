import { describe, expect, it } from 'vitest';
import { clearFaults, injectFault, requests, resetLocalZure } from '../../../src/index.js';
import { fastRetries, uniqueName, useControlRuntime } from './support.js';

const lz = useControlRuntime();

async function containerIn(workerId: string) {
  const env = await lz.worker(workerId);
  const container = lz.blobClient(env).getContainerClient(uniqueName('faults'));
  await container.create();
  return { env, container };
}

describe('fault injection', () => {
  it("is absorbed by the SDK's retry policy when it fails fewer times than the SDK tries", async () => {
    const { env, container } = await containerIn('f1');
    await injectFault({ service: 'blob', operation: 'PutBlob', status: 503, times: 2 }, env);

    await container.getBlockBlobClient('retried.txt').upload('hi', 2);

    const attempts = await requests({ operation: 'PutBlob' }, env);
    expect(attempts.map((r) => [r.status, r.errorCode])).toEqual([
      [503, 'ServerBusy'],
      [503, 'ServerBusy'],
      [201, undefined],
    ]);
    expect(attempts[0]!.fault?.action).toBe('error');
  });

  it('surfaces the Azure error to the caller when it outlasts the retries', async () => {
    const { env, container } = await containerIn('f2');
    await injectFault({ service: 'blob', operation: 'PutBlob', status: 503, times: 10 }, env);

    await expect(container.getBlockBlobClient('failed.txt').upload('hi', 2)).rejects.toMatchObject({
      statusCode: 503,
      details: { errorCode: 'ServerBusy' },
    });
    expect(await requests({ operation: 'PutBlob' }, env)).toHaveLength(fastRetries.retryOptions!.maxTries!);
  });

  it("answers Azure's XML error body with the code asked for", async () => {
    const { env, container } = await containerIn('f3');
    await injectFault({ service: 'blob', operation: 'GetBlobProperties', status: 500, errorCode: 'InternalError' }, env);

    const response = await fetch(`${container.url}/x.txt`, { method: 'HEAD' });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-ms-error-code')).toBe('InternalError');
    const body = await fetch(`${container.url}?restype=container`, { method: 'GET' });
    expect(body.status).not.toBe(500);
  });

  it('drops the connection, which the SDK retries like a network failure', async () => {
    const { env, container } = await containerIn('f4');
    await injectFault({ service: 'blob', operation: 'PutBlob', reset: true }, env);

    await container.getBlockBlobClient('dropped.txt').upload('hi', 2);

    const attempts = await requests({ operation: 'PutBlob' }, env);
    expect(attempts.map((r) => r.status)).toEqual([0, 201]);
    expect(attempts[0]!.fault?.action).toBe('drop');
  });

  it('delays the answer, then serves the request normally', async () => {
    const { env, container } = await containerIn('f5');
    await injectFault({ service: 'blob', operation: 'GetBlobProperties', delayMs: 300 }, env);
    const blob = container.getBlockBlobClient('slow.txt');
    await blob.upload('hi', 2);

    const started = Date.now();
    const properties = await blob.getProperties();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(properties.contentLength).toBe(2);
  });

  it('hits only the path it names and what is below it', async () => {
    const { env, container } = await containerIn('f6');
    const other = lz.blobClient(env).getContainerClient(uniqueName('other'));
    await other.create();
    await injectFault({ service: 'blob', path: `/${container.containerName}`, status: 503, times: 10 }, env);

    await other.getBlockBlobClient('fine.txt').upload('ok', 2);
    await expect(container.getBlockBlobClient('broken.txt').upload('no', 2)).rejects.toMatchObject({ statusCode: 503 });
  });

  it("leaves other accounts alone, and the account's reset disarms it", async () => {
    const { env, container } = await containerIn('f7');
    const { container: neighbour } = await containerIn('f8');
    await injectFault({ service: 'blob', status: 503, times: 10 }, env);

    await neighbour.getBlockBlobClient('fine.txt').upload('ok', 2);
    expect(await lz.control.faults(env.account.name)).toHaveLength(1);
    await resetLocalZure(undefined, env);
    expect(await lz.control.faults(env.account.name)).toEqual([]);
    await lz.blobClient(env).getContainerClient(container.containerName).create();
  });

  it('can be listed with what it has left, and disarmed early', async () => {
    const { env, container } = await containerIn('f9');
    const fault = await injectFault({ service: 'blob', operation: 'GetBlob', status: 503, times: 5 }, env);
    await container.getBlockBlobClient('a.txt').upload('a', 1);

    const [listed] = await lz.control.faults(env.account.name);
    expect(listed).toMatchObject({ id: fault.id, operation: 'GetBlob', namespace: env.account.name, remaining: 5, hits: 0 });
    await clearFaults(fault.id, env);
    expect(await lz.control.faults(env.account.name)).toEqual([]);
    await expect(container.getBlockBlobClient('a.txt').download()).resolves.toMatchObject({ contentLength: 1 });
  });

  it('refuses a fault that says nothing to do, or an unknown status without its code', async () => {
    const env = await lz.worker('f10');
    const post = (body: unknown) =>
      fetch(`${env.controlUrl}/_localzure/faults`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        code: ((await r.json()) as { error?: { code: string } }).error?.code,
      }));

    expect(await post({ service: 'blob' })).toEqual({ status: 400, code: 'InvalidFault' });
    expect(await post({ service: 'blob', status: 418 })).toEqual({ status: 400, code: 'InvalidFault' });
    expect(await post({ service: 'blob', status: 200 })).toEqual({ status: 400, code: 'InvalidFault' });
    expect(await post({ service: 'blob', status: 503, times: 0 })).toEqual({ status: 400, code: 'InvalidFault' });
    expect(await post({ service: 'blob', detach: true, reset: true })).toEqual({ status: 400, code: 'InvalidFault' });
    expect(await post({ service: 'blob', detach: 'yes' })).toEqual({ status: 400, code: 'InvalidFault' });
    expect(await post({ service: 'blob', status: 503, namespace: 'nosuchaccount' })).toEqual({ status: 404, code: 'NamespaceNotFound' });
    expect(await post({ service: 'blob', status: 418, errorCode: 'Teapot' })).toMatchObject({ status: 200 });
    await clearFaults(undefined, env);
  });
});
