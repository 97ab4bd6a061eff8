import { BlobClient, BlobSASPermissions } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { noRetry, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

const OVERRIDES = {
  cacheControl: 'no-store',
  contentDisposition: 'attachment; filename="report.csv"',
  contentEncoding: 'identity',
  contentLanguage: 'fr',
  contentType: 'text/csv',
};

async function blobWithSas(overrides: Partial<typeof OVERRIDES>) {
  const container = blob.client.getContainerClient(uniqueName('rsc'));
  await container.create();
  const owner = container.getBlockBlobClient('data');
  await owner.upload('a,b', 3, { blobHTTPHeaders: { blobContentType: 'application/octet-stream', blobCacheControl: 'max-age=60' } });
  const url = await owner.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3_600_000), ...overrides });
  return new BlobClient(url, undefined, noRetry);
}

describe('SAS response header overrides', () => {
  it('answers Get Blob with the headers the SAS names (rscc, rscd, rsce, rscl, rsct)', async () => {
    const reader = await blobWithSas(OVERRIDES);
    const download = await reader.download();
    expect({
      cacheControl: download.cacheControl,
      contentDisposition: download.contentDisposition,
      contentEncoding: download.contentEncoding,
      contentLanguage: download.contentLanguage,
      contentType: download.contentType,
    }).toEqual(OVERRIDES);
  });

  it('answers Get Blob Properties with them too', async () => {
    const properties = await (await blobWithSas(OVERRIDES)).getProperties();
    expect([properties.cacheControl, properties.contentType, properties.contentDisposition]).toEqual([OVERRIDES.cacheControl, OVERRIDES.contentType, OVERRIDES.contentDisposition]);
  });

  it('keeps the stored headers the SAS does not name', async () => {
    const properties = await (await blobWithSas({ contentLanguage: 'de' })).getProperties();
    expect([properties.contentLanguage, properties.cacheControl, properties.contentType]).toEqual(['de', 'max-age=60', 'application/octet-stream']);
  });
});
