/** The dashboard's stylesheet: readable tables, no external fonts or assets. */
export const DASHBOARD_CSS = `
:root { color-scheme: light dark; --line: #8884; --muted: #888; --bad: #c62828; --ok: #2e7d32; --warn: #b26a00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 0 1.5rem 2rem; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5rem 1.5rem; padding: 1rem 0; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.3rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.muted { color: var(--muted); }
.status-healthy, .state-RUNNING, .ok { color: var(--ok); }
.status-degraded { color: var(--warn); }
.status-unhealthy, .state-FAILED, .bad { color: var(--bad); }
#problem { display: none; padding: .5rem .75rem; margin: .75rem 0; border: 1px solid var(--bad); color: var(--bad); }
#problem.shown { display: block; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
details { margin: .25rem 0 .5rem; }
summary { cursor: pointer; }
.account { border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem .5rem; margin: .75rem 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .5rem 0; }
input, select, button { font: inherit; }
.preview { max-width: 40ch; overflow-wrap: anywhere; }
.nested { margin-left: 1.25rem; }
`;
