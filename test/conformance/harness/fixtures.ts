import type { BlobServiceClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import type { Names } from './scenario.js';

/** A fresh, empty container for one scenario. */
export async function newContainer(client: BlobServiceClient, names: Names): Promise<ContainerClient> {
  const container = client.getContainerClient(names.container());
  await container.create();
  return container;
}

/** A block blob holding `text`, in a fresh container. */
export async function newBlob(client: BlobServiceClient, names: Names, text = 'conformance'): Promise<BlockBlobClient> {
  const blob = (await newContainer(client, names)).getBlockBlobClient(names.blob());
  await blob.upload(text, Buffer.byteLength(text));
  return blob;
}

/** Block ids must all have the same length within a blob, base64-encoded. */
export const blockId = (n: number): string => Buffer.from(`block-${String(n).padStart(6, '0')}`).toString('base64');
