import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

/**
 * Keeps user uploads in one blob container.
 *
 * NOTE: the full example also announces every upload on a storage queue;
 * that part arrives with LocalZure's queue emulator.
 */
export class Uploads {
  readonly #container: ContainerClient;

  constructor(blobs: BlobServiceClient, containerName = 'uploads') {
    this.#container = blobs.getContainerClient(containerName);
  }

  /** Configured the way the app is in production: from AZURE_STORAGE_CONNECTION_STRING. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): Uploads {
    const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
    if (!connectionString) throw new Error('Set AZURE_STORAGE_CONNECTION_STRING.');
    return new Uploads(BlobServiceClient.fromConnectionString(connectionString));
  }

  async save(name: string, text: string): Promise<void> {
    await this.#container.createIfNotExists();
    await this.#container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
      blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' },
    });
  }

  async read(name: string): Promise<string> {
    const body = await this.#container.getBlobClient(name).downloadToBuffer();
    return body.toString('utf8');
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of this.#container.listBlobsFlat()) names.push(blob.name);
    return names;
  }

  async remove(name: string): Promise<void> {
    await this.#container.deleteBlob(name);
  }
}
