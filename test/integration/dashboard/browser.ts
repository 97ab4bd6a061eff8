import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The part of playwright-core's API these tests use; typed here so the suite compiles where it is not installed. */
export interface Locator {
  textContent(): Promise<string | null>;
  innerText(): Promise<string>;
  count(): Promise<number>;
  first(): Locator;
  filter(options: { hasText: string | RegExp }): Locator;
  locator(selector: string): Locator;
  fill(value: string): Promise<void>;
  selectOption(value: string): Promise<unknown>;
  waitFor(options?: { state?: 'visible' | 'attached'; timeout?: number }): Promise<void>;
}

export interface Page {
  goto(url: string): Promise<unknown>;
  locator(selector: string): Locator;
  getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp }): Locator;
  getByLabel(text: string | RegExp): Locator;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  url(): string;
}

export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface Chromium {
  launch(options: { executablePath: string; args: string[]; headless: boolean }): Promise<Browser>;
}

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium) to run the dashboard browser tests.`;
  if (!loadChromium()) return 'playwright-core is not installed: add it as a devDependency to run the dashboard browser tests.';
  return undefined;
}

// Loaded by require, not import, so that the suite still compiles and the
// skip message shows where the package is absent.
function loadChromium(): Chromium | undefined {
  try {
    return (createRequire(import.meta.url)('playwright-core') as { chromium: Chromium }).chromium;
  } catch {
    return undefined;
  }
}

/** Debian's Chromium, headless, driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const chromium = loadChromium();
  if (!chromium) throw new Error(browserMissing());
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}
