import { appendFileSync } from 'node:fs';

/**
 * Notes a figure of a reliability run (requests tried, clients, duration,
 * violations). Printed always; appended as a JSON line to the file named by
 * LOCALZURE_RELIABILITY_FIGURES when set, for the README's table.
 */
export function recordFigure(name: string, figures: Record<string, number | string>): void {
  const line = JSON.stringify({ name, ...figures });
  console.log(`[reliability] ${line}`);
  const file = process.env.LOCALZURE_RELIABILITY_FIGURES;
  if (file) appendFileSync(file, `${line}\n`);
}
