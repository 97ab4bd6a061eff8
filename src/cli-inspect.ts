import { ControlClient } from './harness/control-client.js';
import { NotSetUpError } from './harness/errors.js';
import { formatRequests, formatState, readRecentRequests } from './harness/state-report.js';

export interface InspectOptions {
  /** The control API; default LOCALZURE_CONTROL_URL. */
  url?: string;
  namespace?: string;
  /** How many of the newest requests to list. */
  requests: number;
  json?: boolean;
}

interface HealthBody {
  status: string;
  services: Record<string, { state: string; uptime: number | null }>;
}

/** `localzure inspect`: what a running LocalZure holds and served, as text or one JSON object. */
export async function inspect(options: InspectOptions, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const controlUrl = (options.url ?? env.LOCALZURE_CONTROL_URL)?.replace(/\/+$/, '');
  if (!controlUrl) {
    throw new NotSetUpError('No control URL: pass --url http://127.0.0.1:<port> (printed by `localzure start`) or set LOCALZURE_CONTROL_URL.');
  }
  const client = new ControlClient(controlUrl);
  const state = await client.state(options.namespace);
  const [health, recent] = await Promise.all([
    fetch(`${controlUrl}/_localzure/health`).then((r) => r.json() as Promise<HealthBody>),
    readRecentRequests(client, options.namespace),
  ]);
  if (options.json) {
    return JSON.stringify({ controlUrl, health, state, requests: { ...recent, requests: recent.requests.slice(0, options.requests) } });
  }
  const services = Object.entries(health.services).map(([name, s]) => `${name} ${s.state}`);
  return [
    `LocalZure at ${controlUrl}: ${health.status} (${services.join(', ') || 'no services'})`,
    '',
    formatState(state),
    '',
    formatRequests(recent, options.requests, options.namespace === undefined),
  ].join('\n');
}
