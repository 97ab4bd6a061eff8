import { ControlPage } from '../control-server.js';
import { DASHBOARD_SCRIPT } from './script.js';
import { DASHBOARD_CSS } from './styles.js';

// Built once: the page is static, and everything on it comes from the JSON API.
const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LocalZure dashboard</title>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<header>
  <h1>LocalZure</h1>
  <span>status: <strong id="overall">…</strong></span>
  <span class="muted" id="updated">loading…</span>
  <span class="muted">refreshes every <span id="refresh-every"></span></span>
  <button id="pause" type="button">Pause</button>
</header>
<div id="problem" role="alert"></div>
<h2>Services</h2>
<div id="services"></div>
<div class="toolbar">
  <label>Namespace <select id="namespace"><option value="">all namespaces</option></select></label>
</div>
<div id="storage"></div>
<h2>Requests <span class="muted">(newest first)</span></h2>
<div class="toolbar">
  <label>Filter <input id="filter" type="search" placeholder="operation, path, status, error code…"></label>
  <label>Show <select id="outcome"><option value="all">all</option><option value="failed">failed (4xx/5xx)</option><option value="succeeded">succeeded</option></select></label>
</div>
<div id="requests"></div>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;

/** The dashboard at `/_localzure/`: one self-contained page that polls the control API. */
export function dashboardPage(): ControlPage {
  return new ControlPage('text/html; charset=utf-8', HTML);
}
