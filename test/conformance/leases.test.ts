import { conformance } from './harness/conformance.js';
import { newBlob } from './harness/fixtures.js';
import { attempt, blobProperties, withStatus } from './harness/observe.js';

// Fixed ids: both servers see the same ones, so lease ids echoed back compare equal.
const LEASE = 'a1b2c3d4-0000-4000-8000-000000000001';
const OTHER = 'a1b2c3d4-0000-4000-8000-000000000002';

const leaseOutcome = withStatus((r: { leaseId?: string; leaseTime?: number }) => ({ leaseId: r.leaseId, leaseTime: r.leaseTime }));

conformance('blob leases', (scenario) => {
  scenario('acquiring a lease locks the blob and reports the lease id', async (client, names) => {
    const blob = await newBlob(client, names);
    return {
      acquire: await attempt(() => blob.getBlobLeaseClient(LEASE).acquireLease(15), leaseOutcome),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
    };
  });

  scenario('a leased blob refuses writes without the lease id (412 LeaseIdMissing)', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.getBlobLeaseClient(LEASE).acquireLease(-1);
    return {
      upload: await attempt(() => blob.upload('x', 1)),
      setMetadata: await attempt(() => blob.setMetadata({ a: 'b' })),
      delete: await attempt(() => blob.delete()),
      read: await attempt(() => blob.download()),
    };
  });

  scenario('a leased blob refuses writes with another lease id (412 LeaseIdMismatchWithBlobOperation)', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.getBlobLeaseClient(LEASE).acquireLease(-1);
    return {
      upload: await attempt(() => blob.upload('x', 1, { conditions: { leaseId: OTHER } })),
      delete: await attempt(() => blob.delete({ conditions: { leaseId: OTHER } })),
    };
  });

  scenario('a leased blob accepts writes that carry its lease id', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.getBlobLeaseClient(LEASE).acquireLease(-1);
    return {
      upload: await attempt(() => blob.upload('x', 1, { conditions: { leaseId: LEASE } })),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
      delete: await attempt(() => blob.delete({ conditions: { leaseId: LEASE } })),
    };
  });

  scenario('a lease id on an unleased blob answers 412 LeaseNotPresentWithBlobOperation', async (client, names) => {
    const blob = await newBlob(client, names);
    return { setMetadata: await attempt(() => blob.setMetadata({ a: 'b' }, { conditions: { leaseId: LEASE } })) };
  });

  scenario('acquiring with another id while leased answers 409 LeaseAlreadyPresent; the same id renews', async (client, names) => {
    const blob = await newBlob(client, names);
    await blob.getBlobLeaseClient(LEASE).acquireLease(20);
    return {
      other: await attempt(() => blob.getBlobLeaseClient(OTHER).acquireLease(20), leaseOutcome),
      same: await attempt(() => blob.getBlobLeaseClient(LEASE).acquireLease(20), leaseOutcome),
    };
  });

  scenario('renew, change and release follow the lease id', async (client, names) => {
    const blob = await newBlob(client, names);
    const lease = blob.getBlobLeaseClient(LEASE);
    await lease.acquireLease(30);
    return {
      // Typed without its HTTP response, so only the lease itself is observed.
      renew: await attempt(() => lease.renewLease(), (r) => ({ leaseId: r.leaseId })),
      change: await attempt(() => lease.changeLease(OTHER), leaseOutcome),
      releaseOldId: await attempt(() => blob.getBlobLeaseClient(LEASE).releaseLease()),
      releaseNewId: await attempt(() => blob.getBlobLeaseClient(OTHER).releaseLease()),
      properties: await attempt(() => blob.getProperties(), withStatus(blobProperties)),
    };
  });

  scenario('a lease duration outside 15-60 seconds answers 400', async (client, names) => {
    const blob = await newBlob(client, names);
    return {
      tooShort: await attempt(() => blob.getBlobLeaseClient(LEASE).acquireLease(10)),
      tooLong: await attempt(() => blob.getBlobLeaseClient(LEASE).acquireLease(61)),
    };
  });

  scenario('breaking with a period leaves the lease breaking; a zero period breaks it now', async (client, names) => {
    const slow = await newBlob(client, names);
    await slow.getBlobLeaseClient(LEASE).acquireLease(-1);
    const fastBlob = await newBlob(client, names);
    const fast = fastBlob.getBlobLeaseClient(OTHER);
    await fast.acquireLease(-1);
    return {
      breakSlow: await attempt(() => slow.getBlobLeaseClient().breakLease(30), leaseOutcome),
      slowProperties: await attempt(() => slow.getProperties(), withStatus(blobProperties)),
      breakFast: await attempt(() => fast.breakLease(0), leaseOutcome),
      fastProperties: await attempt(() => fastBlob.getProperties(), withStatus(blobProperties)),
      acquireAfterBreak: await attempt(() => fastBlob.getBlobLeaseClient(LEASE).acquireLease(15), leaseOutcome),
    };
  });

  scenario('lease operations on a blob without a lease answer 409', async (client, names) => {
    const blob = await newBlob(client, names);
    const lease = blob.getBlobLeaseClient(LEASE);
    return {
      renew: await attempt(() => lease.renewLease()),
      release: await attempt(() => lease.releaseLease()),
      change: await attempt(() => lease.changeLease(OTHER)),
      break: await attempt(() => lease.breakLease(0)),
    };
  });

  scenario('leasing a missing blob answers 404 BlobNotFound', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    return { acquire: await attempt(() => container.getBlobClient(names.blob()).getBlobLeaseClient(LEASE).acquireLease(15)) };
  });

  scenario('a lease id of 32 hex digits without hyphens is a lease id like any other', async (client, names) => {
    const blob = await newBlob(client, names);
    const lease = blob.getBlobLeaseClient('ca761232ed4211cebacd00aa0057b223');
    return {
      acquire: await attempt(() => lease.acquireLease(-1)),
      renew: await attempt(() => lease.renewLease()),
      release: await attempt(() => lease.releaseLease()),
    };
  });
});
