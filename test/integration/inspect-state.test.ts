import { BlobServiceClient, StorageSharedKeyCredential, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient, LocalZureRuntime, type BlobServiceSnapshot, type Namespace, type RuntimeState } from '../../src/index.js';

const quiet = { info() {}, warn() {}, error() {} };
const SECOND: Namespace = { name: 'inspectsecond', key: Buffer.alloc(64, 3).toString('base64') };

let runtime: LocalZureRuntime;
let control: ControlClient;

function containerIn(account: Namespace, container: string): ContainerClient {
  const url = runtime.endpoints(account).blob!.url;
  return new BlobServiceClient(url, new StorageSharedKeyCredential(account.name, account.key)).getContainerClient(container);
}

function blobState(state: RuntimeState): BlobServiceSnapshot {
  return state.services.blob as BlobServiceSnapshot;
}

function container(state: RuntimeState, account: string, name: string) {
  return blobState(state).accounts[account]?.containers.find((c) => c.name === name);
}

beforeAll(async () => {
  runtime = new LocalZureRuntime({ logger: quiet });
  await runtime.start(['blob']);
  control = new ControlClient(runtime.controlUrl);
  await control.registerNamespace(SECOND);
});
afterAll(() => runtime?.stop());

describe('GET /_localzure/state', () => {
  it('lists the containers and blobs the SDK wrote, with size, content type, metadata and last modified', async () => {
    const photos = containerIn(runtime.account, 'state-listed');
    await photos.create({ metadata: { team: 'web' } });
    const upload = await photos
      .getBlockBlobClient('cat.png')
      .upload(Buffer.alloc(300, 1), 300, { blobHTTPHeaders: { blobContentType: 'image/png' }, metadata: { owner: 'ada' } });

    const listed = container(await control.state(), runtime.account.name, 'state-listed');
    expect(listed).toMatchObject({ name: 'state-listed', metadata: { team: 'web' }, blobCount: 1 });
    expect(listed!.blobs).toEqual([
      {
        name: 'cat.png',
        type: 'BlockBlob',
        size: 300,
        contentType: 'image/png',
        metadata: { owner: 'ada' },
        lastModified: expect.any(String),
      },
    ]);
    // The wire's Last-Modified has whole seconds; the snapshot keeps milliseconds.
    expect(Math.floor(Date.parse(listed!.blobs[0]!.lastModified) / 1000) * 1000).toBe(upload.lastModified!.getTime());
  });

  it('previews text content and leaves binary content out', async () => {
    const docs = containerIn(runtime.account, 'state-preview');
    await docs.create();
    const json = JSON.stringify({ greeting: 'grüß dich' });
    await docs.getBlockBlobClient('hello.json').upload(json, Buffer.byteLength(json), { blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' } });
    await docs.getBlockBlobClient('blob.bin').upload(Buffer.from('not shown'), 9);

    const blobs = container(await control.state(), runtime.account.name, 'state-preview')!.blobs;
    expect(blobs.find((b) => b.name === 'hello.json')!.preview).toBe(json);
    expect(blobs.find((b) => b.name === 'blob.bin')).not.toHaveProperty('preview');
  });

  it('cuts a long text preview at 200 characters, marking the cut', async () => {
    const docs = containerIn(runtime.account, 'state-long');
    await docs.create();
    const text = 'ä'.repeat(500);
    await docs.getBlockBlobClient('long.txt').upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'text/plain' } });

    const [blob] = container(await control.state(), runtime.account.name, 'state-long')!.blobs;
    expect(blob!.preview).toBe(`${'ä'.repeat(200)}…`);
    expect(blob!.size).toBe(1000);
  });

  it('leaves out blobs that have only staged blocks, as the SDK cannot read them either', async () => {
    const staged = containerIn(runtime.account, 'state-staged');
    await staged.create();
    await staged.getBlockBlobClient('pending.txt').stageBlock(Buffer.from('MDAw', 'base64').toString('base64'), Buffer.from('x'), 1);

    expect(container(await control.state(), runtime.account.name, 'state-staged')).toMatchObject({ blobCount: 0, blobs: [] });
  });

  it('shows one namespace when asked, and no other', async () => {
    await containerIn(runtime.account, 'state-first-only').create();
    await containerIn(SECOND, 'state-second-only').create();

    const state = await control.state(SECOND.name);
    expect(state.namespace).toBe(SECOND.name);
    expect(Object.keys(blobState(state).accounts)).toEqual([SECOND.name]);
    expect(container(state, SECOND.name, 'state-second-only')).toBeDefined();
    expect(state.namespaces).toEqual(expect.arrayContaining([runtime.account.name, SECOND.name]));
  });

  it('shows an empty namespace as holding nothing, and looking does not create it', async () => {
    const empty: Namespace = { name: 'inspectempty', key: Buffer.alloc(64, 9).toString('base64') };
    await control.registerNamespace(empty);
    expect(blobState(await control.state(empty.name)).accounts).toEqual({});
    expect(blobState(await control.state()).accounts).not.toHaveProperty(empty.name);
  });

  it('answers 404 NamespaceNotFound for a namespace that does not exist', async () => {
    const response = await fetch(`${runtime.controlUrl}/_localzure/state?namespace=nosuchaccount`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NamespaceNotFound' } });
  });

  it('is read-only: POST is refused with 405', async () => {
    const response = await fetch(`${runtime.controlUrl}/_localzure/state`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('follows a reset: the namespace reset holds nothing afterwards', async () => {
    await containerIn(SECOND, 'state-before-reset').create();
    await control.reset(SECOND.name);
    expect(blobState(await control.state(SECOND.name)).accounts).toEqual({});
  });
});
