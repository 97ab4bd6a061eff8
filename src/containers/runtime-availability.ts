import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ContainerRuntimeUnavailableError } from './errors.js';

export type Testcontainers = typeof import('testcontainers');

export interface ContainerRuntimeOptions {
  /**
   * How long the engine may take to answer before the start fails. Default
   * 10 000 ms, or `LOCALZURE_CONTAINER_RUNTIME_TIMEOUT_MS`. A DOCKER_HOST
   * pointing at a silent address would otherwise hang the test run.
   */
  timeoutMs?: number;
  /** Loads testcontainers. Tests pass a stand-in to play a machine without an engine. */
  load?: () => Promise<Testcontainers>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

let shared: Promise<Testcontainers> | undefined;

/**
 * Resolves to the testcontainers module once a container engine has
 * answered; otherwise rejects with ContainerRuntimeUnavailableError saying
 * what was tried. With the default loader the outcome is kept for the
 * process, so a second service asking learns it at once.
 */
export function requireContainerRuntime(service: string, options: ContainerRuntimeOptions = {}): Promise<Testcontainers> {
  if (options.load) return probe(service, options.load, timeoutOf(options));
  shared ??= probe(service, loadTestcontainers, timeoutOf(options));
  return shared.catch((error: unknown) => {
    throw error instanceof ContainerRuntimeUnavailableError
      ? new ContainerRuntimeUnavailableError(service, error.tried, error.reason, error.cause)
      : error;
  });
}

async function probe(service: string, load: () => Promise<Testcontainers>, timeoutMs: number): Promise<Testcontainers> {
  let tc: Testcontainers;
  try {
    tc = await load();
  } catch (error) {
    throw new ContainerRuntimeUnavailableError(
      service,
      ['import("testcontainers")'],
      'the optional peer dependency testcontainers is not installed (npm install --save-dev testcontainers)',
      error,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ContainerRuntimeUnavailableError(service, runtimeCandidates(), `no container engine answered within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    await Promise.race([tc.getContainerRuntimeClient(), timeout]);
    return tc;
  } catch (error) {
    if (error instanceof ContainerRuntimeUnavailableError) throw error;
    throw new ContainerRuntimeUnavailableError(service, runtimeCandidates(), `no container engine is reachable (${String((error as Error)?.message ?? error)})`, error);
  } finally {
    clearTimeout(timer);
  }
}

function timeoutOf(options: ContainerRuntimeOptions): number {
  const fromEnv = Number(process.env.LOCALZURE_CONTAINER_RUNTIME_TIMEOUT_MS);
  return options.timeoutMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_TIMEOUT_MS);
}

function loadTestcontainers(): Promise<Testcontainers> {
  return import('testcontainers');
}

export interface CandidateSources {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  uid: number;
  exists: (path: string) => boolean;
  readText: (path: string) => string | undefined;
}

/**
 * The places testcontainers looks for an engine, in its order, each with
 * what is there: the properties file's tc.host/docker.host, DOCKER_HOST, the
 * default socket, the rootless sockets, and the Windows named pipe.
 */
export function runtimeCandidates(sources: CandidateSources = systemSources()): string[] {
  const { env, platform, home, uid, exists, readText } = sources;
  const tried: string[] = [];
  const propertiesFile = join(home, '.testcontainers.properties');
  const properties = readText(propertiesFile);
  if (properties === undefined) {
    tried.push(`${propertiesFile} (absent)`);
  } else {
    const hosts = properties
      .split(/\r?\n/)
      .map((line) => /^\s*(tc\.host|docker\.host)\s*[=:]\s*(.+?)\s*$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]}=${m[2]}`);
    tried.push(`${propertiesFile} (${hosts.length ? `${hosts.join(', ')}: no engine answered` : 'sets no tc.host or docker.host'})`);
  }
  tried.push(env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST} (no engine answered)` : 'DOCKER_HOST (not set)');
  if (platform === 'linux' || platform === 'darwin') {
    const sockets = [
      '/var/run/docker.sock',
      ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
      join(home, '.docker', 'run', 'docker.sock'),
      join(home, '.docker', 'desktop', 'docker.sock'),
      join('/run', 'user', String(uid), 'docker.sock'),
    ];
    for (const socket of sockets) tried.push(`${socket} (${exists(socket) ? 'present, but no engine answered' : 'missing'})`);
  }
  if (platform === 'win32') tried.push('npipe:////./pipe/docker_engine (no engine answered)');
  return tried;
}

function systemSources(): CandidateSources {
  return {
    env: process.env,
    platform: process.platform,
    home: homedir(),
    uid: safeUid(),
    exists: existsSync,
    readText: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

function safeUid(): number {
  try {
    return userInfo().uid;
  } catch {
    return -1;
  }
}
