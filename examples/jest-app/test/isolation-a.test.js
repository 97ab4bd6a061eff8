const { writeAlongsideAnotherFile } = require('./isolation');

writeAlongsideAnotherFile('writer-a');
