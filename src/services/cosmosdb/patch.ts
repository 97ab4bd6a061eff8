import { badRequest } from './errors.js';
import { keyPathNames } from './partition-key.js';
import { isObject, setProperty } from './query/values.js';

export interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

const MAX_OPERATIONS = 10;
const SYSTEM = new Set(['/id', '/_rid', '/_self', '/_etag', '/_ts', '/_attachments']);

/** The body of a Patch request: `[ops]` or `{ operations, condition }`. */
export function readPatchBody(body: unknown): { operations: PatchOperation[]; condition?: string } {
  const operations = Array.isArray(body) ? body : isObject(body) ? body.operations : undefined;
  const condition = isObject(body) ? body.condition : undefined;
  if (!Array.isArray(operations) || operations.length === 0) throw badRequest('A patch needs a list of operations such as [{ "op": "set", "path": "/x", "value": 1 }].');
  if (operations.length > MAX_OPERATIONS) throw badRequest(`A patch takes at most ${MAX_OPERATIONS} operations; this one has ${operations.length}.`);
  if (condition !== undefined && typeof condition !== 'string') throw badRequest('A patch condition is query text such as "FROM c WHERE c.status = \'open\'".');
  return { operations: operations.map(checkOperation), ...(condition === undefined ? {} : { condition }) };
}

function checkOperation(value: unknown, index: number): PatchOperation {
  if (!isObject(value) || typeof value.op !== 'string' || typeof value.path !== 'string') {
    throw badRequest(`Patch operation ${index} needs "op" and "path".`);
  }
  const op = value.op.toLowerCase();
  if (!['add', 'set', 'replace', 'remove', 'incr', 'move'].includes(op)) throw badRequest(`Patch operation ${index} has an unknown op "${value.op}": use add, set, replace, remove, incr or move.`);
  if (!value.path.startsWith('/')) throw badRequest(`Patch operation ${index} has path "${value.path}"; paths start with "/".`);
  if (op === 'move' && typeof value.from !== 'string') throw badRequest(`Patch operation ${index} (move) needs "from".`);
  if (op !== 'remove' && op !== 'move' && !('value' in value)) throw badRequest(`Patch operation ${index} (${op}) needs "value".`);
  if (op === 'incr' && typeof value.value !== 'number') throw badRequest(`Patch operation ${index} (incr) needs a number value.`);
  return { ...value, op } as PatchOperation;
}

/**
 * Applies patch operations to a copy of `doc`, in order, as Cosmos DB does;
 * a failing operation is 400 and leaves the stored document untouched.
 * `fixed` names the partition key paths, which may not change.
 */
export function applyPatch(doc: Record<string, unknown>, operations: PatchOperation[], fixed: string[]): Record<string, unknown> {
  const copy = structuredClone(doc);
  // Compared by property names, not text: a key path may quote a name ('/"a b"') that a patch path names bare ('/a b').
  const keyNames = fixed.map(keyPathNames);
  const touchesKey = (path: string) => {
    const names = segments(path);
    return keyNames.some((key) => names.length <= key.length && names.every((name, i) => name === key[i]));
  };
  for (const operation of operations) {
    for (const path of [operation.path, operation.from].filter((p): p is string => p !== undefined)) {
      if (SYSTEM.has(path) || touchesKey(path)) throw badRequest(`Patch cannot change ${path}: the id, system properties and partition key are fixed.`);
    }
    apply(copy, operation);
  }
  return copy;
}

function apply(doc: Record<string, unknown>, operation: PatchOperation): void {
  const { op, path } = operation;
  if (op === 'move') {
    const moved = take(doc, operation.from!, 'move');
    put(doc, path, moved, 'add');
    return;
  }
  if (op === 'remove') {
    take(doc, path, 'remove');
    return;
  }
  if (op === 'incr') {
    const { parent, key } = locate(doc, path, op);
    const current = read(parent, key);
    if (current !== undefined && typeof current !== 'number') throw badRequest(`Patch incr at ${path}: the value there is not a number.`);
    const sum = ((current as number | undefined) ?? 0) + (operation.value as number);
    // JSON has no Infinity: the item would read back with null there.
    if (!Number.isFinite(sum)) throw badRequest(`Patch incr at ${path}: the result is beyond the range of a double.`);
    put(doc, path, sum, 'set');
    return;
  }
  put(doc, path, operation.value, op);
}

function segments(path: string): string[] {
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function locate(doc: Record<string, unknown>, path: string, op: string): { parent: unknown; key: string } {
  const parts = segments(path);
  let parent: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    parent = read(parent, part);
    if (parent === undefined) throw badRequest(`Patch ${op} at ${path}: the parent of the target does not exist.`);
  }
  return { parent, key: parts[parts.length - 1]! };
}

function read(container: unknown, key: string): unknown {
  if (Array.isArray(container)) return /^\d+$/.test(key) ? container[Number(key)] : undefined;
  return isObject(container) && Object.hasOwn(container, key) ? container[key] : undefined;
}

function put(doc: Record<string, unknown>, path: string, value: unknown, op: string): void {
  const { parent, key } = locate(doc, path, op);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : /^\d+$/.test(key) ? Number(key) : NaN;
    if (Number.isNaN(index) || index > parent.length || (op !== 'add' && index >= parent.length && key !== '-')) {
      throw badRequest(`Patch ${op} at ${path}: ${key} is not a position in the array.`);
    }
    if (op === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
    return;
  }
  if (!isObject(parent)) throw badRequest(`Patch ${op} at ${path}: the parent of the target is not an object or array.`);
  if (op === 'replace' && !Object.hasOwn(parent, key)) throw badRequest(`Patch replace at ${path}: there is nothing to replace.`);
  setProperty(parent, key, value);
}

function take(doc: Record<string, unknown>, path: string, op: string): unknown {
  const { parent, key } = locate(doc, path, op);
  if (Array.isArray(parent) && /^\d+$/.test(key) && Number(key) < parent.length) return parent.splice(Number(key), 1)[0];
  if (isObject(parent) && Object.hasOwn(parent, key)) {
    const value = parent[key];
    delete parent[key];
    return value;
  }
  throw badRequest(`Patch ${op} at ${path}: there is nothing at that path.`);
}
