import { CircularDependencyError, MissingDependencyError } from './errors.js';

export interface GraphNode {
  name: string;
  dependencies: readonly string[];
}

/**
 * Orders nodes so each comes after everything it depends on (Kahn's
 * algorithm). Ties go to the smaller name, so the order never depends on
 * registration order.
 */
export function resolveStartOrder(nodes: readonly GraphNode[]): string[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const node of nodes) {
    for (const dep of node.dependencies) {
      if (!byName.has(dep)) throw new MissingDependencyError(node.name, dep);
    }
  }

  const inDegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    inDegree.set(node.name, new Set(node.dependencies).size);
    for (const dep of new Set(node.dependencies)) {
      const list = dependents.get(dep) ?? [];
      list.push(node.name);
      dependents.set(dep, list);
    }
  }

  const ready = nodes.filter((n) => inDegree.get(n.name) === 0).map((n) => n.name).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push(name);
    for (const dependent of dependents.get(name) ?? []) {
      const left = inDegree.get(dependent)! - 1;
      inDegree.set(dependent, left);
      if (left === 0) insertSorted(ready, dependent);
    }
  }

  if (order.length < nodes.length) {
    const placed = new Set(order);
    throw new CircularDependencyError(findCycle(nodes.filter((n) => !placed.has(n.name)), byName));
  }
  return order;
}

/** Everything that depends on `name`, directly or not. */
export function dependentsOf(name: string, nodes: readonly GraphNode[]): Set<string> {
  const found = new Set<string>();
  let frontier = [name];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const node of nodes) {
      if (!found.has(node.name) && node.dependencies.some((d) => frontier.includes(d))) {
        found.add(node.name);
        next.push(node.name);
      }
    }
    frontier = next;
  }
  return found;
}

function insertSorted(list: string[], value: string): void {
  const at = list.findIndex((v) => v > value);
  list.splice(at === -1 ? list.length : at, 0, value);
}

// Every node left after Kahn's algorithm sits on or behind a cycle; walking
// dependencies from the smallest one must revisit a node, closing the cycle.
function findCycle(left: GraphNode[], byName: Map<string, GraphNode>): string[] {
  const remaining = new Set(left.map((n) => n.name));
  const path: string[] = [];
  let current = [...remaining].sort()[0]!;
  while (!path.includes(current)) {
    path.push(current);
    current = [...byName.get(current)!.dependencies].filter((d) => remaining.has(d)).sort()[0]!;
  }
  return [...path.slice(path.indexOf(current)), current];
}
