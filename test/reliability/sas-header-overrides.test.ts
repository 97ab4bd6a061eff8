import { BlobSASPermissions, BlobServiceClient, BlockBlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { startService, type Running } from './support/services.js';

// rscc/rscd/rsce/rscl/rsct come from the URL and go out as response headers: whatever a SAS holds
// must become a header or a 400, never an internal error.
const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
let blob: Running<BlobService>;
let target: BlockBlobClient;

beforeAll(async () => {
  blob = await startService((c) => new BlobService(c));
  const container = new BlobServiceClient(blob.url, credential).getContainerClient('overrides');
  await container.create();
  target = container.getBlockBlobClient('report.pdf');
  await target.upload('pdf', 3);
});
afterAll(() => blob.service.stop());

const sasUrl = (contentDisposition: string) =>
  target.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3600_000), contentDisposition });

describe('SAS response header overrides', () => {
  it('sends characters beyond ASCII percent-encoded as UTF-8, so an em dash in a file name still downloads', async () => {
    const disposition = 'attachment; filename="café—report.pdf"';
    const response = await fetch(await sasUrl(disposition));
    expect(response.status).toBe(200);
    expect(decodeURIComponent(response.headers.get('content-disposition')!)).toBe(disposition);
  });

  it('keeps an ASCII value as it is', async () => {
    const response = await fetch(await sasUrl('attachment; filename="report (1).pdf"'));
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="report (1).pdf"');
  });

  it('refuses a value with a line break with 400 InvalidQueryParameterValue', async () => {
    const response = await fetch(await sasUrl('attachment\r\nX-Injected: yes'));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidQueryParameterValue');
    expect(response.headers.get('x-injected')).toBeNull();
  });
});
