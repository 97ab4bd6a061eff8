// Starts emulators in child processes (bench/host.mjs) and talks to them over IPC.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { packageDir } from './package.mjs';

const HOST = fileURLToPath(new URL('./host.mjs', import.meta.url));

export class Unavailable extends Error {}

/**
 * @param {'localzure'|'azurite'|'floor'} kind
 * @param {'blob'|'queue'|'table'} service
 * @param {{ fill?: number }} [options] fill: start LocalZure holding this many items (bench/growth-seed.mjs)
 * @returns {Promise<{ kind, connectionString: string, controlUrl?: string, url: string, call(cmd: string): Promise<object>, stop(): Promise<void> }>}
 */
export async function startHost(kind, service, { fill } = {}) {
  // The package folder as cwd: discovery then sees the built-ins once.
  const child = fork(HOST, [kind, service, ...(fill === undefined ? [] : [String(fill)])], { cwd: packageDir(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} ${service} host exited with ${code} before it was ready`)));
  });
  if (ready.type === 'unavailable') {
    await exited;
    throw new Unavailable(`${kind} ${service}: ${ready.reason}`);
  }
  child.once('exit', (code) => {
    for (const settle of pending.values()) settle.reject(new Error(`${kind} ${service} host exited with ${code}`));
    pending.clear();
  });
  child.on('message', (message) => {
    const settle = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) settle?.reject(new Error(message.error));
    else settle?.resolve(message);
  });
  const call = (cmd) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd });
    });
  return {
    kind,
    ...ready,
    call,
    async stop() {
      if (child.exitCode === null) await call('stop').catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `body` with a host, always stopping it. */
export async function withHost(kind, service, body, options) {
  const host = await startHost(kind, service, options);
  try {
    return await body(host);
  } finally {
    await host.stop();
  }
}
