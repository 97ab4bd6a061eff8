// The 256 MiB memory check on its own: `npm run build && node bench/large-transfer.mjs`.
import { printTable } from './report.mjs';
import { createRow, summarize } from './results.mjs';
import memoryCheck from './rows/memory-check.mjs';

const rows = [];
await memoryCheck({ row: (id, spec) => rows[rows.push(createRow(id, spec)) - 1] });
const summaries = rows.map(summarize);
printTable(summaries);
process.exitCode = summaries.every((s) => s.met !== false) ? 0 : 1;
