import { describe, expect, it } from 'vitest';
import { resolveStartOrder, CircularDependencyError, MissingDependencyError } from '../../src/index.js';

const node = (name: string, ...dependencies: string[]) => ({ name, dependencies });

describe('resolveStartOrder', () => {
  it('orders independent services by name', () => {
    expect(resolveStartOrder([node('queue'), node('blob'), node('table')])).toEqual(['blob', 'queue', 'table']);
  });

  it('starts a chain from its root', () => {
    expect(resolveStartOrder([node('c', 'b'), node('a'), node('b', 'a')])).toEqual(['a', 'b', 'c']);
  });

  it('puts a diamond root first and its join last', () => {
    const order = resolveStartOrder([node('d', 'b', 'c'), node('c', 'a'), node('b', 'a'), node('a')]);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('names both services when a dependency is missing', () => {
    const error = (() => {
      try {
        resolveStartOrder([node('servicebus', 'mssql')]);
      } catch (e) {
        return e;
      }
    })() as MissingDependencyError;
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.code).toBe('LZ_MISSING_DEPENDENCY');
    expect(error.message).toContain('servicebus');
    expect(error.message).toContain('mssql');
  });

  it('gives the whole path of a cycle', () => {
    try {
      resolveStartOrder([node('a', 'b'), node('b', 'c'), node('c', 'a'), node('d')]);
      expect.unreachable();
    } catch (e) {
      const error = e as CircularDependencyError;
      expect(error).toBeInstanceOf(CircularDependencyError);
      expect(error.code).toBe('LZ_CIRCULAR_DEPENDENCY');
      expect(error.cycle).toEqual(['a', 'b', 'c', 'a']);
      expect(error.message).toContain('a → b → c → a');
    }
  });

  it('reports a self-dependency as a cycle of one', () => {
    expect(() => resolveStartOrder([node('a', 'a')])).toThrow(/a → a/);
  });
});
