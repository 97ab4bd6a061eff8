import { writeAlongsideAnotherFile } from './isolation.js';

writeAlongsideAnotherFile('writer-b');
