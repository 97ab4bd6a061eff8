/** Azure storage lists names in ordinal (code unit) order, not locale order. */
export function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
