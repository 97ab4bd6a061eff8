import type { EdmValue } from './edm.js';
import { TableDomainError } from './errors.js';
import { evaluateFilter } from './filter/evaluate.js';
import { parseFilter, type FilterNode } from './filter/parser.js';

const MAX_PAGE = 1000;

/** `$top`: 1 to 1000 results per page; Azure's page size when absent. */
export function pageSize(query: URLSearchParams): number {
  const top = query.get('$top');
  if (top === null) return MAX_PAGE;
  if (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > MAX_PAGE) {
    throw new TableDomainError('InvalidInput', `The $top value '${top}' must be a whole number from 1 to ${MAX_PAGE}.`);
  }
  return Number(top);
}

/** `$select` as property names; undefined when absent (all properties). */
export function selection(query: URLSearchParams): string[] | undefined {
  const select = query.get('$select');
  if (select === null || select.trim() === '' || select.trim() === '*') return undefined;
  return select.split(',').map((name) => name.trim());
}

/** `$filter` parsed; undefined when absent or empty. */
export function filterOf(query: URLSearchParams): FilterNode | undefined {
  const filter = query.get('$filter');
  return filter === null || filter.trim() === '' ? undefined : parseFilter(filter);
}

/** A parsed `$filter` as a predicate over a row's properties; everything passes without one. */
export function filterPredicate(filter: FilterNode | undefined): (lookup: (name: string) => EdmValue | undefined) => boolean {
  return filter === undefined ? () => true : (lookup) => evaluateFilter(filter, lookup);
}
