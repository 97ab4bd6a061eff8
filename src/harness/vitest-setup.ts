// vitest `setupFiles`: every test file gets its worker's account, and a reset
// before each test, before the file's own imports read process.env.
import { useLocalZure } from './vitest.js';

useLocalZure();
