const { BlobServiceClient } = require('@azure/storage-blob');

/**
 * Keeps user uploads in one blob container.
 *
 * NOTE: the full example also announces every upload on a storage queue;
 * that part arrives with LocalZure's queue emulator.
 */
class Uploads {
  #container;

  /** @param {BlobServiceClient} blobs */
  constructor(blobs, containerName = 'uploads') {
    this.#container = blobs.getContainerClient(containerName);
  }

  /** Configured the way the app is in production: from AZURE_STORAGE_CONNECTION_STRING. */
  static fromEnvironment(env = process.env) {
    const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
    if (!connectionString) throw new Error('Set AZURE_STORAGE_CONNECTION_STRING.');
    return new Uploads(BlobServiceClient.fromConnectionString(connectionString));
  }

  async save(name, text) {
    await this.#container.createIfNotExists();
    await this.#container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
      blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' },
    });
  }

  async read(name) {
    const body = await this.#container.getBlobClient(name).downloadToBuffer();
    return body.toString('utf8');
  }

  async list() {
    const names = [];
    for await (const blob of this.#container.listBlobsFlat()) names.push(blob.name);
    return names;
  }

  async remove(name) {
    await this.#container.deleteBlob(name);
  }
}

module.exports = { Uploads };
