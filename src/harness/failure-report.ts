import { ControlClient } from './control-client.js';
import { formatRequests, formatState, readRecentRequests } from './state-report.js';

/** What a failure report needs: where the control API is and which account the worker uses. */
export interface ReportTarget {
  controlUrl: string;
  account: { name: string };
}

/** Requests listed in a failure report. */
export const FAILURE_REPORT_REQUESTS = 10;

/** The option when given; otherwise on in CI (the `CI` variable set to anything but `false` or `0`). */
export function reportsOnFailure(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (option !== undefined) return option;
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * What one worker's account holds and the last requests it served, as text
 * for a test's failure log. Never throws: a report that cannot be made says
 * why instead, so it never hides the test's own failure.
 */
export async function failureReport(target: ReportTarget, testName?: string): Promise<string> {
  const account = target.account.name;
  const title = `LocalZure: namespace ${account}${testName ? ` after "${testName}" failed` : ''}`;
  try {
    const client = new ControlClient(target.controlUrl);
    const [state, recent] = await Promise.all([client.state(account), readRecentRequests(client, account)]);
    return [title, formatState(state), formatRequests(recent, FAILURE_REPORT_REQUESTS)].join('\n');
  } catch (error) {
    return `${title}\n(no report: ${(error as Error).message})`;
  }
}

export async function printFailureReport(target: ReportTarget, testName?: string): Promise<void> {
  console.error(await failureReport(target, testName));
}
