// jest `setupFilesAfterEnv`: every test file gets its worker's account and a reset before each test.
import { useLocalZure } from './use-localzure.js';

useLocalZure();
