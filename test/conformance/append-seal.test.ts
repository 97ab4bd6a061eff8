import type { BlobGetPropertiesResponse } from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { newContainer } from './harness/fixtures.js';
import { attempt, withStatus } from './harness/observe.js';

const sealState = withStatus((p: BlobGetPropertiesResponse) => ({ isSealed: p.isSealed, blockCount: p.blobCommittedBlockCount }));

conformance('append blob seal', (scenario) => {
  scenario('a sealed append blob reports it and refuses appends with 409 BlobIsSealed', async (client, names) => {
    const blob = (await newContainer(client, names)).getAppendBlobClient(names.blob());
    await blob.create();
    await blob.appendBlock('one', 3);
    const before = await attempt(() => blob.getProperties(), sealState);
    const seal = await attempt(() => blob.seal());
    return { before, seal, after: await attempt(() => blob.getProperties(), sealState), append: await attempt(() => blob.appendBlock('two', 3)) };
  });

  scenario('a listing shows the seal of each append blob', async (client, names) => {
    const container = await newContainer(client, names);
    const sealed = container.getAppendBlobClient('a-sealed');
    await sealed.create();
    await sealed.seal();
    await container.getAppendBlobClient('b-open').create();
    const listed = [];
    for await (const item of container.listBlobsFlat()) listed.push({ name: item.name, isSealed: item.properties.isSealed });
    return { listed };
  });

  scenario('sealing a block blob is 409 InvalidBlobType', async (client, names) => {
    const container = await newContainer(client, names);
    const name = names.blob();
    await container.getBlockBlobClient(name).upload('b', 1);
    return { seal: await attempt(() => container.getAppendBlobClient(name).seal()) };
  });
});
