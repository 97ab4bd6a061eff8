import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AnonymousCredential,
  BlobClient,
  BlobSASPermissions,
  BlobServiceClient,
  ContainerClient,
  ContainerSASPermissions,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { conformance } from './harness/conformance.js';
import { newBlob, newContainer } from './harness/fixtures.js';
import { attempt } from './harness/observe.js';
import type { AzuriteDifference, Observation } from './harness/scenario.js';
import { PIPELINE } from './harness/targets.js';

const HOUR = 3_600_000;
const inAnHour = () => new Date(Date.now() + HOUR);
const anHourAgo = () => new Date(Date.now() - HOUR);
// A valid base64 key that is not the account's.
const WRONG_KEY = Buffer.alloc(64, 7).toString('base64');

/** Azurite answers every failed signature or time check with AuthorizationFailure. */
function authenticationFailed(...steps: string[]): AzuriteDifference {
  return {
    reference: 'https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes',
    quote:
      'AuthenticationFailed | Forbidden (403) | Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature. ' +
      '(troubleshoot/azure/azure-storage/blobs/authentication/storage-troubleshoot-403-errors lists expired SAS tokens, future start times and signature mismatches under AuthenticationFailed.)',
    expected: (azurite) => correct(azurite, steps, 403, 'AuthenticationFailed'),
  };
}

/** Anonymous requests must not learn that a private resource exists. */
function resourceNotFound(...steps: string[]): AzuriteDifference {
  return {
    reference: 'https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes',
    // Azurite answers 403 AuthorizationFailure, which tells a stranger the resource exists.
    quote:
      'ResourceNotFound | Not Found (404) | The specified resource does not exist. Azure answers it to anonymous requests that anonymous ' +
      'access does not cover: listing a private or blob-only container ("by design, so that malicious users cannot detect if a container ' +
      'exists", github.com/Azure/azure-storage-cpp/issues/397) and uploading to a public container (github.com/Azure/azure-storage-node/issues/435).',
    expected: (azurite) => correct(azurite, steps, 404, 'ResourceNotFound'),
  };
}

/**
 * Puts Azure's status and code into the named steps. A HEAD answer has no
 * body, so the SDK reports no `code` there; the correction keeps that shape.
 */
function correct(observation: Observation, steps: string[], status: number, code: string): Observation {
  const corrected = { ...observation };
  for (const step of steps) {
    const seen = observation[step] as Observation;
    corrected[step] = { status, code: seen.code === undefined ? undefined : code, errorCode: code };
  }
  return corrected;
}

const anonymousBlob = (url: string) => new BlobClient(url, new AnonymousCredential(), PIPELINE);
const anonymousContainer = (url: string) => new ContainerClient(url, new AnonymousCredential(), PIPELINE);

/** Replaces the signature with another valid-looking one, as a tampered link would. */
function tamper(sasUrl: string): string {
  const url = new URL(sasUrl);
  url.searchParams.set('sig', Buffer.alloc(32, 1).toString('base64'));
  return url.toString();
}

/** Changes a signed field (the permissions) but keeps the original signature. */
function escalate(sasUrl: string, permissions: string): string {
  const url = new URL(sasUrl);
  url.searchParams.set('sp', permissions);
  return url.toString();
}

async function listNames(container: ContainerClient): Promise<string[]> {
  const names = [];
  for await (const b of container.listBlobsFlat()) names.push(b.name);
  return names;
}

conformance('shared key', (scenario) => {
  scenario('a request signed with the wrong key answers 403 AuthenticationFailed', async (client, names) => {
    const container = await newContainer(client, names);
    const impostor = new BlobServiceClient(client.url, new StorageSharedKeyCredential(client.accountName, WRONG_KEY), PIPELINE);
    const blob = impostor.getContainerClient(container.containerName).getBlockBlobClient(names.blob());
    return {
      listContainers: await attempt(() => impostor.listContainers().byPage().next()),
      createContainer: await attempt(() => impostor.getContainerClient(names.container()).create()),
      upload: await attempt(() => blob.upload('x', 1)),
      head: await attempt(() => blob.getProperties()),
      written: await container.getBlockBlobClient(blob.name).exists(),
    };
  }, { knownAzuriteDifference: authenticationFailed('listContainers', 'createContainer', 'upload', 'head') });

  scenario('an anonymous request to a private container answers 404 ResourceNotFound', async (client, names) => {
    const blob = await newBlob(client, names);
    return {
      download: await attempt(() => anonymousBlob(blob.url).download()),
      list: await attempt(() => listNames(anonymousContainer(client.getContainerClient(blob.containerName).url)), (l) => ({ listed: l })),
    };
  }, { knownAzuriteDifference: resourceNotFound('download', 'list') });

  scenario('anonymous reads of a blob-access container work for blobs but not for listing', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create({ access: 'blob' });
    const blob = container.getBlockBlobClient(names.blob());
    await blob.upload('public', 6);
    return {
      download: await attempt(
        () => anonymousBlob(blob.url).downloadToBuffer(),
        (b) => ({ text: b.toString() }),
      ),
      list: await attempt(() => listNames(anonymousContainer(container.url)), (l) => ({ listed: l })),
    };
  }, { knownAzuriteDifference: resourceNotFound('list') });

  scenario('anonymous writes to a public container answer 404 ResourceNotFound', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create({ access: 'container' });
    const blob = container.getBlockBlobClient(names.blob());
    await blob.upload('public', 6);
    return {
      setMetadata: await attempt(() => anonymousBlob(blob.url).setMetadata({ a: 'b' })),
      upload: await attempt(() => anonymousBlob(container.getBlobClient(names.blob()).url).getBlockBlobClient().upload('x', 1)),
      delete: await attempt(() => anonymousBlob(blob.url).delete()),
    };
  }, { knownAzuriteDifference: resourceNotFound('setMetadata', 'upload', 'delete') });

  scenario('anonymous listing of a container-access container works', async (client, names) => {
    const container = client.getContainerClient(names.container());
    await container.create({ access: 'container' });
    await container.getBlockBlobClient('open.txt').upload('open', 4);
    return { list: await attempt(() => listNames(anonymousContainer(container.url)), (l) => ({ listed: l })) };
  });
});

conformance('service SAS', (scenario) => {
  scenario('a blob read SAS downloads the blob', async (client, names) => {
    const blob = await newBlob(client, names, 'shared');
    const sas = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inAnHour() });
    return { download: await attempt(() => anonymousBlob(sas).downloadToBuffer(), (b) => ({ text: b.toString() })) };
  });

  scenario('a blob read SAS cannot write (403 AuthorizationPermissionMismatch)', async (client, names) => {
    const blob = await newBlob(client, names, 'shared');
    const sas = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inAnHour() });
    return {
      write: await attempt(() => anonymousBlob(sas).setMetadata({ a: 'b' })),
      delete: await attempt(() => anonymousBlob(sas).delete()),
    };
  });

  scenario('a blob write SAS uploads a new blob', async (client, names) => {
    const container = await newContainer(client, names);
    const blob = container.getBlockBlobClient(names.blob());
    const sas = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('cw'), expiresOn: inAnHour() });
    return {
      upload: await attempt(() => anonymousBlob(sas).getBlockBlobClient().upload('via sas', 7)),
      text: await attempt(() => blob.downloadToBuffer(), (b) => b.toString()),
    };
  });

  scenario('an expired SAS answers 403 AuthenticationFailed', async (client, names) => {
    const blob = await newBlob(client, names);
    const sas = await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      startsOn: new Date(Date.now() - 2 * HOUR),
      expiresOn: anHourAgo(),
    });
    return { download: await attempt(() => anonymousBlob(sas).download()) };
  }, { knownAzuriteDifference: authenticationFailed('download') });

  scenario('a SAS that starts in the future answers 403 AuthenticationFailed', async (client, names) => {
    const blob = await newBlob(client, names);
    const sas = await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      startsOn: inAnHour(),
      expiresOn: new Date(Date.now() + 2 * HOUR),
    });
    return { download: await attempt(() => anonymousBlob(sas).download()) };
  }, { knownAzuriteDifference: authenticationFailed('download') });

  scenario('a SAS with a tampered signature answers 403 AuthenticationFailed', async (client, names) => {
    const blob = await newBlob(client, names);
    const sas = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inAnHour() });
    return { download: await attempt(() => anonymousBlob(tamper(sas)).download()) };
  }, { knownAzuriteDifference: authenticationFailed('download') });

  scenario('a SAS whose permissions were edited after signing answers 403 AuthenticationFailed', async (client, names) => {
    const blob = await newBlob(client, names);
    const sas = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inAnHour() });
    return { delete: await attempt(() => anonymousBlob(escalate(sas, 'rd')).delete()) };
  }, { knownAzuriteDifference: authenticationFailed('delete') });

  scenario('a blob SAS does not open another blob (403 AuthenticationFailed)', async (client, names) => {
    const blob = await newBlob(client, names);
    const other = client.getContainerClient(blob.containerName).getBlockBlobClient('other.txt');
    await other.upload('other', 5);
    const sas = new URL(await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inAnHour() }));
    return { download: await attempt(() => anonymousBlob(`${other.url}${sas.search}`).download()) };
  }, { knownAzuriteDifference: authenticationFailed('download') });

  scenario('SAS response-header overrides are applied to the download', async (client, names) => {
    const blob = await newBlob(client, names, 'report');
    const sas = await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: inAnHour(),
      contentDisposition: 'attachment; filename="report.txt"',
      contentType: 'text/plain; charset=utf-8',
      cacheControl: 'no-store',
    });
    return {
      download: await attempt(
        () => anonymousBlob(sas).download(),
        (r) => ({ contentDisposition: r.contentDisposition, contentType: r.contentType, cacheControl: r.cacheControl }),
      ),
    };
  });

  scenario('an HTTPS-only SAS used over HTTP answers 403 AuthorizationProtocolMismatch', async (client, names) => {
    const blob = await newBlob(client, names);
    const sas = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: inAnHour(), protocol: SASProtocol.Https });
    return { download: await attempt(() => anonymousBlob(sas).download()) };
  });

  scenario('a container SAS with list permission lists and reads its blobs', async (client, names) => {
    const blob = await newBlob(client, names, 'listed');
    const container = client.getContainerClient(blob.containerName);
    const sas = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('rl'), expiresOn: inAnHour() });
    const viaSas = anonymousContainer(sas);
    return {
      list: await attempt(() => listNames(viaSas), (l) => ({ listed: l })),
      read: await attempt(() => viaSas.getBlobClient(blob.name).downloadToBuffer(), (b) => ({ text: b.toString() })),
    };
  });

  scenario('a container SAS without list permission cannot list (403 AuthorizationPermissionMismatch)', async (client, names) => {
    const container = await newContainer(client, names);
    const sas = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('r'), expiresOn: inAnHour() });
    return { list: await attempt(() => listNames(anonymousContainer(sas)), (l) => ({ listed: l })) };
  });

  scenario('a SAS bound to a stored access policy takes its permissions from the policy', async (client, names) => {
    const blob = await newBlob(client, names, 'policy');
    const container = client.getContainerClient(blob.containerName);
    await container.setAccessPolicy(undefined, [{ id: 'readers', accessPolicy: { permissions: 'r', expiresOn: inAnHour() } }]);
    const sas = await container.generateSasUrl({ identifier: 'readers' });
    const viaSas = anonymousContainer(sas);
    return {
      read: await attempt(() => viaSas.getBlobClient(blob.name).downloadToBuffer(), (b) => ({ text: b.toString() })),
      write: await attempt(() => viaSas.getBlockBlobClient(blob.name).upload('no', 2)),
    };
  });
});

conformance('account SAS', (scenario) => {
  scenario('an account SAS for the service lists containers', async (client, names) => {
    const created = [names.container(), names.container()];
    for (const name of created) await client.getContainerClient(name).create();
    const sas = client.generateAccountSasUrl(inAnHour(), AccountSASPermissions.parse('l'), AccountSASResourceTypes.parse('s').toString());
    const viaSas = new BlobServiceClient(sas, new AnonymousCredential(), PIPELINE);
    const listed = [];
    for await (const c of viaSas.listContainers({ prefix: names.prefix })) listed.push(c.name);
    return { listed };
  });

  scenario('an account SAS with object access reads and writes blobs', async (client, names) => {
    const container = await newContainer(client, names);
    const sas = new URL(client.generateAccountSasUrl(inAnHour(), AccountSASPermissions.parse('rwc'), AccountSASResourceTypes.parse('o').toString()));
    const blobUrl = `${container.getBlobClient('via-account-sas.txt').url}${sas.search}`;
    return {
      upload: await attempt(() => anonymousBlob(blobUrl).getBlockBlobClient().upload('account', 7)),
      read: await attempt(() => anonymousBlob(blobUrl).downloadToBuffer(), (b) => ({ text: b.toString() })),
    };
  });

  scenario('an account SAS without the resource type answers 403 AuthorizationResourceTypeMismatch', async (client, names) => {
    const blob = await newBlob(client, names);
    const sas = new URL(client.generateAccountSasUrl(inAnHour(), AccountSASPermissions.parse('r'), AccountSASResourceTypes.parse('s').toString()));
    return { read: await attempt(() => anonymousBlob(`${blob.url}${sas.search}`).download()) };
  });

  scenario('an account SAS without the permission answers 403 AuthorizationPermissionMismatch', async (client, names) => {
    const blob = await newBlob(client, names);
    const sas = new URL(client.generateAccountSasUrl(inAnHour(), AccountSASPermissions.parse('r'), AccountSASResourceTypes.parse('o').toString()));
    return { delete: await attempt(() => anonymousBlob(`${blob.url}${sas.search}`).delete()) };
  });

  scenario('an expired account SAS answers 403 AuthenticationFailed', async (client) => {
    const sas = client.generateAccountSasUrl(anHourAgo(), AccountSASPermissions.parse('l'), AccountSASResourceTypes.parse('s').toString());
    const viaSas = new BlobServiceClient(sas, new AnonymousCredential(), PIPELINE);
    return { list: await attempt(() => viaSas.listContainers().byPage().next()) };
  }, { knownAzuriteDifference: authenticationFailed('list') });

  scenario('an account SAS with a tampered signature answers 403 AuthenticationFailed', async (client) => {
    const sas = client.generateAccountSasUrl(inAnHour(), AccountSASPermissions.parse('l'), AccountSASResourceTypes.parse('s').toString());
    const viaSas = new BlobServiceClient(tamper(sas), new AnonymousCredential(), PIPELINE);
    return { list: await attempt(() => viaSas.listContainers().byPage().next()) };
  }, { knownAzuriteDifference: authenticationFailed('list') });
});
