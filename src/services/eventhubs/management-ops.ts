import rhea from 'rhea';
import { audiencePath } from '../amqp-common/cbs.js';
import { AmqpCondition, AmqpWireError } from '../amqp-common/errors.js';
import type { ManagementRequest, ManagementResult } from '../amqp-common/management.js';
import { verifySasToken } from '../amqp-common/sas-token.js';
import { ehErrors } from './errors.js';
import type { EventHub } from './hub.js';
import type { LinkEnvironment } from './links.js';

const READ = 'READ';
const HUB_TYPE = 'com.microsoft:eventhub';
const PARTITION_TYPE = 'com.microsoft:partition';
const { types } = rhea;

export interface ManagementEnvironment extends LinkEnvironment {
  /** The key of a SAS rule and its namespace, as CBS resolves them. */
  resolveKey(keyName: string): { namespace: string; key: string } | undefined;
}

/**
 * The `$management` node's READ requests: the hub's properties
 * (`com.microsoft:eventhub`) and a partition's (`com.microsoft:partition`).
 * Each carries its own `security_token` for the hub, checked like a CBS token.
 */
export function handleManagement(request: ManagementRequest, env: ManagementEnvironment): Promise<ManagementResult> {
  const props = request.applicationProperties;
  const type = String(props.type ?? '');
  if (request.operation !== READ || (type !== HUB_TYPE && type !== PARTITION_TYPE)) {
    throw ehErrors.notSupported(`the $management operation '${request.operation}' on '${type}'`);
  }
  const name = typeof props.name === 'string' ? props.name : '';
  authorizeRequest(props.security_token, name, request.namespace, env);
  const hub = env.namespace.hub(name);
  if (type === HUB_TYPE) {
    return env.record.run('GetEventHubProperties', `/${name}`, request.connection, () => hubProperties(requireHub(hub, name, env)));
  }
  const partitionId = String(props.partition ?? '');
  return env.record.run('GetPartitionProperties', `/${name}/Partitions/${partitionId}`, request.connection, () =>
    partitionProperties(requireHub(hub, name, env), partitionId, env),
  );
}

function requireHub(hub: EventHub | undefined, name: string, env: LinkEnvironment): EventHub {
  if (!hub) throw ehErrors.entityNotFound(`${env.endpoint}${name}`);
  return hub;
}

function hubProperties(hub: EventHub): ManagementResult {
  return {
    body: {
      name: hub.name,
      type: HUB_TYPE,
      created_at: types.wrap_timestamp(hub.createdAt),
      partition_count: types.wrap_int(hub.partitions.length),
      partition_ids: hub.partitionIds,
    },
  };
}

function partitionProperties(hub: EventHub, partitionId: string, env: LinkEnvironment): ManagementResult {
  const p = hub.partition(partitionId).properties(env.now());
  return {
    body: {
      name: hub.name,
      type: PARTITION_TYPE,
      partition: partitionId,
      begin_sequence_number: types.wrap_long(p.beginningSequenceNumber),
      last_enqueued_sequence_number: types.wrap_long(p.lastEnqueuedSequenceNumber),
      last_enqueued_offset: String(p.lastEnqueuedOffset),
      last_enqueued_time_utc: types.wrap_timestamp(p.lastEnqueuedTime),
      is_partition_empty: p.isEmpty,
    },
  };
}

// The request's own token must be valid for this namespace and cover the hub it names.
function authorizeRequest(token: unknown, hub: string, namespace: string, env: ManagementEnvironment): void {
  let tokenNamespace: string | undefined;
  const grant = verifySasToken(
    token,
    (keyName) => {
      const rule = env.resolveKey(keyName);
      tokenNamespace = rule?.namespace;
      return rule?.key;
    },
    env.now(),
  );
  const path = audiencePath(grant.audience).toLowerCase();
  const wanted = hub.toLowerCase();
  if (tokenNamespace !== namespace || (path !== '' && path !== wanted && !wanted.startsWith(`${path}/`))) {
    throw new AmqpWireError(AmqpCondition.UnauthorizedAccess, `Unauthorized access. The request's security_token is for '${grant.audience}', not the event hub '${hub}'.`);
  }
}
