import { conformance } from './harness/conformance.js';
import { attempt } from './harness/observe.js';

// Container names: 3-63 characters, lowercase letters, digits and single
// dashes, starting and ending with a letter or digit.
const BAD_CONTAINER_NAMES: Record<string, string> = {
  'shorter than 3 characters': 'ab',
  'longer than 63 characters': 'a'.repeat(64),
  'with an uppercase letter': 'Conformance',
  'with two dashes in a row': 'con--formance',
  'starting with a dash': '-conformance',
  'ending with a dash': 'conformance-',
  'with an underscore': 'con_formance',
};

conformance('resource names', (scenario) => {
  for (const [rule, name] of Object.entries(BAD_CONTAINER_NAMES)) {
    scenario(`a container name ${rule} is rejected on create`, async (client) => ({
      create: await attempt(() => client.getContainerClient(name).create()),
    }));
  }

  scenario('a bad container name is rejected on read as well as on create', async (client) => ({
    properties: await attempt(() => client.getContainerClient('Bad_Name').getProperties()),
    blob: await attempt(() => client.getContainerClient('Bad_Name').getBlockBlobClient('b.txt').upload('x', 1)),
  }));

  scenario('the longest allowed container name (63 characters) is accepted', async (client) => ({
    create: await attempt(() => client.getContainerClient(`a${'0'.repeat(61)}z`).create()),
  }));

  scenario('a blob name of 1024 characters is accepted', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    const name = 'n'.repeat(1024);
    return {
      upload: await attempt(() => container.getBlockBlobClient(name).upload('x', 1)),
      listed: (await container.listBlobsFlat().next()).value?.name === name,
    };
  });

  scenario(
    'a blob name longer than 1024 characters is rejected',
    async (client, names) => {
      const container = client.getContainerClient(names.container());
      await container.create();
      return { upload: await attempt(() => container.getBlockBlobClient('n'.repeat(1025)).upload('x', 1)) };
    },
    {
      knownAzuriteDifference: {
        reference: 'https://learn.microsoft.com/rest/api/storageservices/Naming-and-Referencing-Containers--Blobs--and-Metadata',
        quote:
          'A blob name must be at least one character long and cannot be more than 1,024 characters long ... ' +
          'If you attempt to create a container or blob with a name that violates naming rules, the request will fail with status code 400 (Bad Request).',
        // Azurite stores the blob (201). The code is the one Azure (and Azurite, for container names) uses for a name of the wrong length.
        expected: () => ({ upload: { status: 400, code: 'OutOfRangeInput', errorCode: 'OutOfRangeInput' } }),
      },
    },
  );

  scenario('blob names keep unicode, spaces and reserved URL characters', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create();
    const blobNames = ['dir/sub dir/file name.txt', 'ünïcødé/日本語.txt', 'q?x=1&y=#frag', 'plus+percent%20.txt'];
    for (const name of blobNames) await container.getBlockBlobClient(name).upload(name, Buffer.byteLength(name));
    const listed = [];
    for await (const b of container.listBlobsFlat()) listed.push(b.name);
    const contents = [];
    for (const name of blobNames) contents.push((await container.getBlockBlobClient(name).downloadToBuffer()).toString());
    return { listed, contents };
  });

  scenario('a blob in a missing container answers 404 ContainerNotFound', async (client, names) => ({
    upload: await attempt(() => client.getContainerClient(names.container()).getBlockBlobClient(names.blob()).upload('x', 1)),
  }));
});
