// jest-circus keeps its event handlers in this array on each test file's
// global (the test environment's handleTestEvent is added the same way) and
// awaits each one; `test_done` comes after the test's afterEach hooks and
// before the next test's beforeEach, while the account still holds the data.
const EVENT_HANDLERS = Symbol.for('EVENT_HANDLERS');

interface CircusTest {
  name: string;
  errors: unknown[];
  failing?: boolean;
  parent?: CircusTest;
}

type CircusEvent = { name: string; test?: CircusTest };
type CircusGlobal = typeof globalThis & { [EVENT_HANDLERS]?: ((event: CircusEvent) => unknown)[] };

/**
 * Runs `fn` with the test's full name after a jest test fails. jest-circus
 * (jest's default runner) is the only one that tells; elsewhere this does
 * nothing.
 */
export function onJestTestFailed(fn: (testName: string) => Promise<void>): void {
  const handlers = (globalThis as CircusGlobal)[EVENT_HANDLERS];
  if (!Array.isArray(handlers)) return;
  handlers.push(async (event) => {
    const test = event.test;
    // A `test.failing` test that throws has passed.
    if (event.name === 'test_done' && test && test.errors.length > 0 && !test.failing) await fn(fullName(test));
  });
}

// The root describe block is named ROOT_DESCRIBE_BLOCK and has no parent.
function fullName(test: CircusTest): string {
  const names: string[] = [];
  for (let node: CircusTest | undefined = test; node?.parent; node = node.parent) names.unshift(node.name);
  return names.join(' ');
}
