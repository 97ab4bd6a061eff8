import { writeAlongsideAnotherFile } from './isolation.js';

writeAlongsideAnotherFile('writer-a');
