import { conformance } from './harness/conformance.js';
import { attempt, containerProperties, pagesOf, withStatus } from './harness/observe.js';

conformance('containers', (scenario) => {
  scenario('create answers 201 and the container then exists', async (client, names) => {
    const container = client.getContainerClient(names.container());
    return {
      before: await container.exists(),
      create: await attempt(() => container.create()),
      after: await container.exists(),
    };
  });

  scenario('creating an existing container answers 409 ContainerAlreadyExists', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    return { again: await attempt(() => container.create()) };
  });

  scenario('createIfNotExists creates once and then reports the existing container', async (client, names) => {
    const container = client.getContainerClient(names.container());
    const pick = (r: { succeeded: boolean; errorCode?: string }) => ({ succeeded: r.succeeded, errorCode: r.errorCode });
    return {
      first: await attempt(() => container.createIfNotExists(), pick),
      second: await attempt(() => container.createIfNotExists(), pick),
    };
  });

  scenario('delete answers 202 and the container stops existing', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    return { delete: await attempt(() => container.delete()), exists: await container.exists() };
  });

  scenario('deleting a missing container answers 404 ContainerNotFound', async (client, names) => {
    const container = client.getContainerClient(names.container());
    return { delete: await attempt(() => container.delete()) };
  });

  scenario('deleteIfExists on a missing container reports it did nothing', async (client, names) => {
    const container = client.getContainerClient(names.container());
    return { deleted: await attempt(() => container.deleteIfExists(), (r) => ({ succeeded: r.succeeded, errorCode: r.errorCode })) };
  });

  scenario('properties of a missing container answer 404 ContainerNotFound', async (client, names) => {
    const container = client.getContainerClient(names.container());
    return { properties: await attempt(() => container.getProperties()) };
  });

  scenario('metadata given at create is returned by getProperties', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create({ metadata: { project: 'localzure', owner: 'conformance' } });
    return { properties: await attempt(() => container.getProperties(), withStatus(containerProperties)) };
  });

  scenario('setMetadata replaces all metadata', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create({ metadata: { old: 'value' } });
    return {
      set: await attempt(() => container.setMetadata({ fresh: 'one', second: 'two' })),
      properties: await attempt(() => container.getProperties(), withStatus(containerProperties)),
    };
  });

  scenario('setMetadata on a missing container answers 404 ContainerNotFound', async (client, names) => {
    const container = client.getContainerClient(names.container());
    return { set: await attempt(() => container.setMetadata({ a: 'b' })) };
  });

  scenario('a container created with public blob access reports that level', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create({ access: 'blob' });
    return { properties: await attempt(() => container.getProperties(), withStatus(containerProperties)) };
  });

  scenario('an access policy round-trips with its signed identifiers', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    const startsOn = new Date('2030-01-01T00:00:00Z');
    const expiresOn = new Date('2030-01-02T00:00:00Z');
    return {
      set: await attempt(() =>
        container.setAccessPolicy('container', [{ id: 'read-only', accessPolicy: { permissions: 'rl', startsOn, expiresOn } }]),
      ),
      get: await attempt(
        () => container.getAccessPolicy(),
        withStatus((r) => ({
          publicAccess: r.blobPublicAccess,
          identifiers: r.signedIdentifiers.map((s) => ({
            id: s.id,
            permissions: s.accessPolicy.permissions,
            startsOn: s.accessPolicy.startsOn?.toISOString(),
            expiresOn: s.accessPolicy.expiresOn?.toISOString(),
          })),
        })),
      ),
    };
  });

  scenario('listing containers by prefix returns them in name order with metadata', async (client, names) => {
    const created = [names.container(), names.container(), names.container()];
    // Created out of order: the listing must sort, not replay insertion order.
    for (const name of [created[2]!, created[0]!, created[1]!]) {
      await client.getContainerClient(name).create({ metadata: { name } });
    }
    const listed = [];
    for await (const c of client.listContainers({ prefix: names.prefix, includeMetadata: true })) {
      listed.push({ name: c.name, metadata: c.metadata, publicAccess: c.properties.publicAccess });
    }
    return { listed };
  });

  scenario('listing containers pages by maxPageSize with a continuation token', async (client, names) => {
    for (let i = 0; i < 5; i++) await client.getContainerClient(names.container()).create();
    const pages = await pagesOf(client.listContainers({ prefix: names.prefix }).byPage({ maxPageSize: 2 }), (page) => ({
      names: page.containerItems.map((c) => c.name),
      more: Boolean(page.continuationToken),
    }));
    return { pages };
  });

  scenario('a leased container refuses delete without the lease id (412 LeaseIdMissing)', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    const lease = container.getBlobLeaseClient();
    return {
      acquire: await attempt(() => lease.acquireLease(-1)),
      properties: await attempt(() => container.getProperties(), withStatus(containerProperties)),
      deleteWithoutLease: await attempt(() => container.delete()),
      deleteWithLease: await attempt(() => container.delete({ conditions: { leaseId: lease.leaseId } })),
    };
  });

  scenario('a broken container lease lets delete through without a lease id', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    const lease = container.getBlobLeaseClient();
    await lease.acquireLease(30);
    return {
      break: await attempt(() => lease.breakLease(0), withStatus((r) => ({ leaseTime: r.leaseTime }))),
      properties: await attempt(() => container.getProperties(), withStatus(containerProperties)),
      delete: await attempt(() => container.delete()),
    };
  });
});
