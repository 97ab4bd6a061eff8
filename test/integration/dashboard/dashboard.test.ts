import { BlobServiceClient, StorageSharedKeyCredential, type ContainerClient } from '@azure/storage-blob';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHubProducerClient } from '@azure/event-hubs';
import { ServiceBusClient } from '@azure/service-bus';
import { buildEnvironment, ControlClient, LocalZureRuntime, type Namespace } from '../../../src/index.js';
import { REPO_ROOT } from '../../support/plugin-project.js';
import { browserMissing, launchChromium, type Browser, type Page } from './browser.js';

const quiet = { info() {}, warn() {}, error() {} };
const BUILT = join(REPO_ROOT, 'dist/index.js');
const OTHER: Namespace = { name: 'dashboardother', key: Buffer.alloc(64, 7).toString('base64') };

let runtime: LocalZureRuntime;
let control: string;

function containerIn(account: Namespace, container: string): ContainerClient {
  const url = runtime.endpoints(account).blob!.url;
  return new BlobServiceClient(url, new StorageSharedKeyCredential(account.name, account.key)).getContainerClient(container);
}

async function putText(container: ContainerClient, name: string, text: string, contentType = 'text/plain', metadata?: Record<string, string>) {
  await container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: contentType }, metadata });
}

beforeAll(async () => {
  runtime = new LocalZureRuntime({
    logger: quiet,
    seed: { data: { servicebus: { queues: ['dash-orders'], topics: { 'dash-news': { subscriptions: ['reader'] } } }, eventhubs: { hubs: { 'dash-telemetry': { partitionCount: 2 } } } } },
  });
  await runtime.start(['blob', 'servicebus', 'eventhubs']);
  control = runtime.controlUrl;
  await new ControlClient(control).registerNamespace(OTHER);
});
afterAll(() => runtime?.stop());

describe('the dashboard page', () => {
  it.each(['/_localzure/', '/_localzure/dashboard'])('is served as HTML at %s', async (path) => {
    const response = await fetch(`${control}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>LocalZure dashboard</title>');
  });

  it.skipIf(!existsSync(BUILT))('ships in the built package', async () => {
    const built = (await import(BUILT)) as typeof import('../../../src/index.js');
    const packaged = new built.LocalZureRuntime({ logger: quiet });
    await packaged.start(['blob']);
    try {
      expect(await (await fetch(`${packaged.controlUrl}/_localzure/`)).text()).toContain('<title>LocalZure dashboard</title>');
    } finally {
      await packaged.stop();
    }
  });

  it('is read-only: posting to it is refused', async () => {
    const response = await fetch(`${control}/_localzure/dashboard`, { method: 'POST' });
    expect(response.status).toBe(405);
  });
});

const missing = browserMissing();
if (missing) console.warn(`Dashboard browser tests skipped: ${missing}`);

describe.skipIf(missing !== undefined)(missing ? `the dashboard in Chromium (skipped: ${missing})` : 'the dashboard in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let shots: string;

  beforeAll(async () => {
    shots = mkdtempSync(join(tmpdir(), 'localzure-dashboard-'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(shots, { recursive: true, force: true });
  });

  async function open(query = ''): Promise<Page> {
    page = await browser.newPage();
    // A short refresh interval keeps the tests quick; the default is 2 s.
    await page.goto(`${control}/_localzure/?refresh=300${query}`);
    return page;
  }

  const text = (selector: string) => () => page.locator(selector).innerText();

  it('shows each service with its state, port and health', async () => {
    await open();
    const port = new URL(runtime.endpoints().blob!.url).port;
    await expect.poll(text('#services')).toMatch(new RegExp(`blob\\s+RUNNING\\s+\\d+ s\\s+${port}\\s+healthy`));
    await expect.poll(text('#overall')).toBe('healthy');
  });

  it('shows the containers and blobs the SDK wrote, with size, content type, metadata and a text preview', async () => {
    const photos = containerIn(runtime.account, 'dash-shown');
    await photos.create();
    await putText(photos, 'notes/hello.txt', 'hello from the SDK', 'text/plain', { owner: 'ada' });
    await photos.getBlockBlobClient('raw.bin').upload(Buffer.alloc(2048, 1), 2048);
    await open();

    const section = `#storage section[data-namespace="${runtime.account.name}"]`;
    await expect.poll(text(section)).toContain('dash-shown (2 blobs)');
    const hello = page.locator(`${section} tr`).filter({ hasText: 'notes/hello.txt' });
    await expect.poll(() => hello.innerText()).toMatch(/notes\/hello\.txt\s+18 B\s+text\/plain\s+owner=ada\s+\S+ \S+\s+hello from the SDK/);
    const raw = page.locator(`${section} tr`).filter({ hasText: 'raw.bin' });
    expect((await raw.innerText()).trim()).toMatch(/raw\.bin\s+2\.0 KiB\s+application\/octet-stream\s+\S+ \S+$/);
    const shot = join(shots, 'blobs.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(0);
  });

  it('shows one namespace when it is picked, and keeps the choice in the address', async () => {
    const mine = containerIn(runtime.account, 'dash-mine');
    await mine.create();
    const theirs = containerIn(OTHER, 'dash-theirs');
    await theirs.create();
    await putText(theirs, 'only-there.txt', 'other account');
    await open();
    await expect.poll(text('#storage')).toContain('dash-mine');

    await page.getByLabel('Namespace').selectOption(OTHER.name);
    await expect.poll(text('#storage')).not.toContain('dash-mine');
    expect(await page.locator('#storage').innerText()).toContain('only-there.txt');
    expect(new URL(page.url()).searchParams.get('namespace')).toBe(OTHER.name);
  });

  it('picks up new data by itself, without a reload', async () => {
    const later = containerIn(runtime.account, 'dash-later');
    await later.create();
    await open();
    await expect.poll(text('#storage')).toContain('dash-later (0 blobs)');
    await putText(later, 'arrived.txt', 'written after the page loaded');
    await expect.poll(text('#storage')).toContain('written after the page loaded');
  });

  it('shows names and contents as text, never as markup', async () => {
    const risky = containerIn(runtime.account, 'dash-markup');
    await risky.create();
    const markup = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b>';
    await putText(risky, 'page.html', markup, 'text/html');
    await open();
    await expect.poll(text('#storage')).toContain(markup);
    expect(await page.locator('#storage img').count()).toBe(0);
    expect(await page.locator('#storage b').count()).toBe(0);
  });

  it('shows Service Bus queues and subscriptions with their counts and first messages, and Event Hubs partitions', async () => {
    const env = buildEnvironment(runtime);
    const sb = new ServiceBusClient(env.connectionStrings.servicebus!);
    await sb.createSender('dash-orders').sendMessages({ body: 'an order', messageId: 'dash-order-1' });
    await sb.createSender('dash-news').sendMessages({ body: 'a headline', messageId: 'dash-news-1' });
    await sb.close();
    const eh = new EventHubProducerClient(env.connectionStrings.eventhubs!, 'dash-telemetry');
    await eh.sendBatch([{ body: 'x' }, { body: 'y' }], { partitionId: '1' });
    await eh.close();
    await open();

    const section = `#storage section[data-namespace="${runtime.account.name}"]`;
    await expect.poll(text(section)).toContain('queue dash-orders (1 active, 0 scheduled, 0 deferred, 0 dead-lettered)');
    const order = page.locator(`${section} tr`).filter({ hasText: 'dash-order-1' });
    await expect.poll(() => order.innerText()).toMatch(/1\s+dash-order-1\s+active\s+0\s+\S+ \S+\s+"an order"/);
    expect(await page.locator(section).innerText()).toContain('topic dash-news (1 subscription)');
    expect(await page.locator(section).innerText()).toContain('subscription reader (1 active, 0 scheduled, 0 deferred, 0 dead-lettered)');
    expect(await page.locator(section).innerText()).toContain('dash-telemetry (2 partitions, 2 events; consumer groups $Default)');
    // Partition 0 is empty; partition 1 holds sequence numbers 0 and 1.
    expect(await page.locator(section).innerText()).toMatch(/Partition\s+Events\s+First sequence\s+Last sequence\s+Last offset\s+Last enqueued\s+0\s+0\s+1\s+2\s+0\s+1\s+\d+\s+\S+ \S+/);
    await page.screenshot({ path: join(shots, 'messaging.png'), fullPage: true });
  });

  it('lists the served requests newest first, with status and error code, and filters them', async () => {
    const journaled = containerIn(runtime.account, 'dash-journal');
    await journaled.create();
    await putText(journaled, 'first.txt', 'one');
    await expect(journaled.getBlockBlobClient('absent.txt').download()).rejects.toMatchObject({ statusCode: 404 });
    await open();

    const rows = page.locator('#requests tbody tr');
    await expect.poll(() => rows.first().innerText()).toMatch(/GET\s+\S*dash-journal\/absent\.txt\s+404\s+BlobNotFound/);
    await page.getByLabel('Filter').fill('first.txt');
    await expect.poll(() => page.locator('#requests').innerText()).not.toContain('absent.txt');
    expect(await page.locator('#requests').innerText()).toMatch(/PUT\s+\S*dash-journal\/first\.txt\s+201/);
    await page.getByLabel('Filter').fill('');
    await page.getByLabel('Show').selectOption('failed');
    await expect.poll(() => page.locator('#requests').innerText()).not.toContain('first.txt');
    await page.screenshot({ path: join(shots, 'requests.png'), fullPage: true });
  });
});
