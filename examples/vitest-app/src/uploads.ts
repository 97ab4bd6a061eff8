import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';

/** Keeps user uploads in one blob container and announces each on a queue for the thumbnail worker. */
export class Uploads {
  readonly #container: ContainerClient;
  readonly #announcements: QueueClient;

  constructor(blobs: BlobServiceClient, queues: QueueServiceClient, name = 'uploads') {
    this.#container = blobs.getContainerClient(name);
    this.#announcements = queues.getQueueClient(name);
  }

  /** Configured the way the app is in production: from AZURE_STORAGE_CONNECTION_STRING. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): Uploads {
    const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
    if (!connectionString) throw new Error('Set AZURE_STORAGE_CONNECTION_STRING.');
    return new Uploads(
      BlobServiceClient.fromConnectionString(connectionString),
      QueueServiceClient.fromConnectionString(connectionString),
    );
  }

  async save(name: string, text: string): Promise<void> {
    await this.#container.createIfNotExists();
    await this.#container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
      blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' },
    });
    await this.#announcements.createIfNotExists();
    await this.#announcements.sendMessage(JSON.stringify({ uploaded: name }));
  }

  /** Takes the next announcement off the queue, as the thumbnail worker does. */
  async nextAnnouncement(): Promise<{ uploaded: string } | undefined> {
    const [message] = (await this.#announcements.receiveMessages()).receivedMessageItems;
    if (!message) return undefined;
    await this.#announcements.deleteMessage(message.messageId, message.popReceipt);
    return JSON.parse(message.messageText) as { uploaded: string };
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
