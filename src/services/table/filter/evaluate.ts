import { compareEdm, type EdmValue } from '../edm.js';
import type { FilterNode } from './parser.js';

/** Looks up a property of the row being tested (an entity, or a table with its `TableName`). */
export type PropertyLookup = (name: string) => EdmValue | undefined;

const TRUE: EdmValue = { type: 'Edm.Boolean', value: true };
const FALSE: EdmValue = { type: 'Edm.Boolean', value: false };

/**
 * Whether a row passes the filter. Two-valued logic: a comparison with a
 * missing property, or between values that cannot be compared (a string
 * and a number, NaN), is false, whatever the operator.
 */
export function evaluateFilter(node: FilterNode, lookup: PropertyLookup): boolean {
  return isTrue(value(node, lookup));
}

function value(node: FilterNode, lookup: PropertyLookup): EdmValue | undefined {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'property':
      return lookup(node.name);
    case 'not':
      return isTrue(value(node.operand, lookup)) ? FALSE : TRUE;
    case 'and':
      return isTrue(value(node.left, lookup)) && isTrue(value(node.right, lookup)) ? TRUE : FALSE;
    case 'or':
      return isTrue(value(node.left, lookup)) || isTrue(value(node.right, lookup)) ? TRUE : FALSE;
    case 'compare': {
      const left = value(node.left, lookup);
      const right = value(node.right, lookup);
      const order = left && right ? compareEdm(left, right) : undefined;
      if (order === undefined) return FALSE;
      const holds = { eq: order === 0, ne: order !== 0, gt: order > 0, ge: order >= 0, lt: order < 0, le: order <= 0 }[node.op];
      return holds ? TRUE : FALSE;
    }
  }
}

function isTrue(v: EdmValue | undefined): boolean {
  return v?.type === 'Edm.Boolean' && v.value;
}
