import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function leasedBlob(duration = -1) {
  const container = blob.client.getContainerClient(uniqueName('lease'));
  await container.create();
  const client = container.getBlockBlobClient('leased.txt');
  await client.upload('v1', 2);
  const lease = client.getBlobLeaseClient();
  await lease.acquireLease(duration);
  return { container, client, lease };
}

describe('blob leases', () => {
  it('shows a lease in the blob properties', async () => {
    const { client } = await leasedBlob();
    const p = await client.getProperties();
    expect([p.leaseState, p.leaseStatus, p.leaseDuration]).toEqual(['leased', 'locked', 'infinite']);
  });

  it('refuses a write without the lease id with 412 LeaseIdMissing', async () => {
    const { client } = await leasedBlob();
    expect(await errorOf(client.upload('v2', 2))).toEqual({ statusCode: 412, code: 'LeaseIdMissing' });
    expect((await client.downloadToBuffer()).toString()).toBe('v1');
  });

  it('accepts a write with the lease id', async () => {
    const { client, lease } = await leasedBlob();
    await client.upload('v2', 2, { conditions: { leaseId: lease.leaseId } });
    expect((await client.downloadToBuffer()).toString()).toBe('v2');
  });

  it('refuses a write with another lease id with 412 LeaseIdMismatchWithBlobOperation', async () => {
    const { client } = await leasedBlob();
    expect(await errorOf(client.setMetadata({ a: 'b' }, { conditions: { leaseId: randomUUID() } }))).toEqual({
      statusCode: 412,
      code: 'LeaseIdMismatchWithBlobOperation',
    });
  });

  it('refuses a lease id on a blob without a lease with 412 LeaseNotPresentWithBlobOperation', async () => {
    const container = blob.client.getContainerClient(uniqueName('nolease'));
    await container.create();
    const client = container.getBlockBlobClient('free.txt');
    await client.upload('x', 1);
    expect(await errorOf(client.setMetadata({}, { conditions: { leaseId: randomUUID() } }))).toEqual({
      statusCode: 412,
      code: 'LeaseNotPresentWithBlobOperation',
    });
  });

  it('refuses a second acquire with another id with 409 LeaseAlreadyPresent', async () => {
    const { client } = await leasedBlob();
    expect(await errorOf(client.getBlobLeaseClient(randomUUID()).acquireLease(-1))).toEqual({ statusCode: 409, code: 'LeaseAlreadyPresent' });
  });

  it('lets a fixed lease expire with the service clock', async () => {
    const { client } = await leasedBlob(15);
    blob.clock.advance(16_000);
    expect((await client.getProperties()).leaseState).toBe('expired');
    await client.upload('free again', 10);
  });

  it('renews, changes and releases a lease', async () => {
    const { client, lease } = await leasedBlob(15);
    await lease.renewLease();
    const newId = randomUUID();
    await lease.changeLease(newId);
    expect(lease.leaseId).toBe(newId);
    await lease.releaseLease();
    expect((await client.getProperties()).leaseState).toBe('available');
  });

  it('breaks a lease after the break period', async () => {
    const { client, lease } = await leasedBlob();
    const broken = await lease.breakLease(10);
    expect(broken.leaseTime).toBe(10);
    expect((await client.getProperties()).leaseState).toBe('breaking');
    blob.clock.advance(11_000);
    expect((await client.getProperties()).leaseState).toBe('broken');
    await client.upload('after break', 11);
  });

  it('refuses an out-of-range duration with 400 InvalidHeaderValue', async () => {
    const container = blob.client.getContainerClient(uniqueName('dur'));
    await container.create();
    const client = container.getBlockBlobClient('d.txt');
    await client.upload('x', 1);
    expect(await errorOf(client.getBlobLeaseClient().acquireLease(5))).toEqual({ statusCode: 400, code: 'InvalidHeaderValue' });
  });

  it('answers renew and release on a blob without a lease with 409 LeaseIdMismatchWithLeaseOperation', async () => {
    const container = blob.client.getContainerClient(uniqueName('renew'));
    await container.create();
    const client = container.getBlockBlobClient('r.txt');
    await client.upload('x', 1);
    const lease = client.getBlobLeaseClient(randomUUID());
    expect(await errorOf(lease.renewLease())).toEqual({ statusCode: 409, code: 'LeaseIdMismatchWithLeaseOperation' });
    expect(await errorOf(lease.releaseLease())).toEqual({ statusCode: 409, code: 'LeaseIdMismatchWithLeaseOperation' });
  });

  it('answers change and break on a blob without a lease with 409 LeaseNotPresentWithLeaseOperation', async () => {
    const container = blob.client.getContainerClient(uniqueName('nolease'));
    await container.create();
    const client = container.getBlockBlobClient('n.txt');
    await client.upload('x', 1);
    const lease = client.getBlobLeaseClient(randomUUID());
    expect(await errorOf(lease.changeLease(randomUUID()))).toEqual({ statusCode: 409, code: 'LeaseNotPresentWithLeaseOperation' });
    expect(await errorOf(lease.breakLease(0))).toEqual({ statusCode: 409, code: 'LeaseNotPresentWithLeaseOperation' });
  });

  it('answers a second release of the same lease with 409 LeaseIdMismatchWithLeaseOperation', async () => {
    const { lease } = await leasedBlob();
    await lease.releaseLease();
    expect(await errorOf(lease.releaseLease())).toEqual({ statusCode: 409, code: 'LeaseIdMismatchWithLeaseOperation' });
  });

  it('refuses to delete a leased blob without the lease id', async () => {
    const { client, lease } = await leasedBlob();
    expect(await errorOf(client.delete())).toEqual({ statusCode: 412, code: 'LeaseIdMissing' });
    await client.delete({ conditions: { leaseId: lease.leaseId } });
  });
});

describe('container leases', () => {
  it('refuses to delete a leased container without the lease id', async () => {
    const container = blob.client.getContainerClient(uniqueName('cl'));
    await container.create();
    const lease = container.getBlobLeaseClient();
    await lease.acquireLease(-1);
    expect((await container.getProperties()).leaseState).toBe('leased');
    expect(await errorOf(container.delete())).toEqual({ statusCode: 412, code: 'LeaseIdMissing' });
    await container.delete({ conditions: { leaseId: lease.leaseId } });
    expect(await container.exists()).toBe(false);
  });

  it('answers renew and release on a container without a lease with 409 LeaseIdMismatchWithLeaseOperation', async () => {
    const container = blob.client.getContainerClient(uniqueName('cl3'));
    await container.create();
    const lease = container.getBlobLeaseClient(randomUUID());
    expect(await errorOf(lease.renewLease())).toEqual({ statusCode: 409, code: 'LeaseIdMismatchWithLeaseOperation' });
    expect(await errorOf(lease.releaseLease())).toEqual({ statusCode: 409, code: 'LeaseIdMismatchWithLeaseOperation' });
  });

  it('refuses a wrong lease id on a container with LeaseIdMismatchWithContainerOperation', async () => {
    const container = blob.client.getContainerClient(uniqueName('cl2'));
    await container.create();
    await container.getBlobLeaseClient().acquireLease(-1);
    expect(await errorOf(container.delete({ conditions: { leaseId: randomUUID() } }))).toEqual({
      statusCode: 412,
      code: 'LeaseIdMismatchWithContainerOperation',
    });
  });
});

describe('lease id forms', () => {
  const forms = [
    'ca761232ed4211cebacd00aa0057b223',
    'CA761232-ED42-11CE-BACD-00AA0057B223',
    '{ca761232-ed42-11ce-bacd-00aa0057b223}',
    '(ca761232-ed42-11ce-bacd-00aa0057b223)',
    '{0xca761232,0xed42,0x11ce,{0xba,0xcd,0x00,0xaa,0x00,0x57,0xb2,0x23}}',
  ];

  it.each(forms)('accepts %s as a lease id and matches it against any other form', async (proposed) => {
    const container = blob.client.getContainerClient(uniqueName('guid'));
    await container.create();
    const client = container.getBlockBlobClient('b');
    await client.upload('x', 1);
    const lease = client.getBlobLeaseClient(proposed);
    await lease.acquireLease(-1);
    await client.setMetadata({ a: 'b' }, { conditions: { leaseId: 'ca761232-ed42-11ce-bacd-00aa0057b223' } });
    await lease.renewLease();
    await lease.releaseLease();
    expect((await client.getProperties()).leaseState).toBe('available');
  });

  it('refuses a proposed lease id that is no GUID with 400 InvalidHeaderValue', async () => {
    const container = blob.client.getContainerClient(uniqueName('guid'));
    await container.create();
    expect(await errorOf(container.getBlobLeaseClient('not-a-guid').acquireLease(-1))).toEqual({ statusCode: 400, code: 'InvalidHeaderValue' });
  });
});

describe('breaking leases over time', () => {
  it('counts down the seconds left, rounded, while the lease is breaking', async () => {
    const container = blob.client.getContainerClient(uniqueName('brk'));
    await container.create();
    const client = container.getBlockBlobClient('b');
    await client.upload('x', 1);
    const lease = client.getBlobLeaseClient();
    await lease.acquireLease(15);
    expect((await lease.breakLease(3)).leaseTime).toBe(3);
    blob.clock.advance(2_400);
    expect((await lease.breakLease(3)).leaseTime).toBe(1);
    expect((await client.getProperties()).leaseState).toBe('breaking');
    blob.clock.advance(700);
    expect((await client.getProperties()).leaseState).toBe('broken');
  });
});
