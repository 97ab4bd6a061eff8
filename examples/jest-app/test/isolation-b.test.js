const { writeAlongsideAnotherFile } = require('./isolation');

writeAlongsideAnotherFile('writer-b');
