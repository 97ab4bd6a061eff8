/**
 * The dashboard's browser script: polls the control API and renders it. Plain
 * ES2020 in a string (no template literals inside, since this is one), and
 * every value reaches the page through textContent, never as HTML.
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var API = '/_localzure/';
  var params = new URLSearchParams(location.search);
  var refreshMs = Math.max(250, Number(params.get('refresh')) || 2000);
  var view = { namespace: params.get('namespace') || '', filter: '', outcome: 'all', paused: false };
  var closed = new Set();

  function $(id) { return document.getElementById(id); }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (k) {
      if (k === 'text') node.textContent = props[k];
      else if (k === 'className') node.className = props[k];
      else node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c != null) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function table(headers, rows, numeric) {
    var head = el('tr', null, headers.map(function (h) { return el('th', { text: h }); }));
    return el('table', null, [el('thead', null, [head]), el('tbody', null, rows.map(function (cells) {
      return el('tr', null, cells.map(function (c, i) {
        var td = el('td', numeric && numeric.indexOf(i) !== -1 ? { className: 'num' } : null);
        if (c instanceof Node) td.appendChild(c); else td.textContent = c == null ? '' : String(c);
        return td;
      }));
    }))]);
  }

  function bytes(n) {
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1048576).toFixed(1) + ' MiB';
  }

  function time(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toISOString().replace('T', ' ').replace('Z', '');
  }

  function pairs(record) {
    var keys = Object.keys(record || {});
    return keys.length ? keys.map(function (k) { return k + '=' + record[k]; }).join(', ') : '';
  }

  function collapsible(key, title, body) {
    var d = el('details', closed.has(key) ? null : { open: '' }, [el('summary', null, [title]), body]);
    d.addEventListener('toggle', function () { if (d.open) closed.delete(key); else closed.add(key); });
    return d;
  }

  async function getJson(path) {
    var res = await fetch(API + path, { cache: 'no-store' });
    if (!res.ok) throw new Error('GET ' + API + path + ' answered ' + res.status);
    return res.json();
  }

  function renderServices(health, services) {
    var names = Object.keys(health.services || {}).sort();
    $('overall').textContent = health.status;
    $('overall').className = 'status-' + health.status;
    $('services').replaceChildren(names.length ? table(['Service', 'State', 'Uptime', 'Port', 'Health'], names.map(function (name) {
      var h = health.services[name];
      var s = (services.services || {})[name] || {};
      var healthStatus = h.health ? h.health.status : '';
      return [
        name,
        el('span', { className: 'state-' + h.state, text: h.state }),
        h.uptime == null ? '' : Math.round(h.uptime) + ' s',
        s.port == null ? '' : String(s.port),
        el('span', { className: 'status-' + healthStatus, text: healthStatus + (s.error ? ': ' + s.error : '') }),
      ];
    }), [2, 3]) : el('p', { className: 'muted', text: 'No services registered.' }));
  }

  function renderNamespaces(state) {
    var select = $('namespace');
    var wanted = [''].concat(state.namespaces);
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (wanted.join('\n') !== have.join('\n')) {
      select.replaceChildren.apply(select, wanted.map(function (n) { return el('option', { value: n, text: n || 'all namespaces' }); }));
    }
    select.value = view.namespace;
  }

  function blobSection(account, snap) {
    if (!snap.containers.length) return el('p', { className: 'muted', text: 'No containers.' });
    return el('div', null, snap.containers.map(function (c) {
      var title = c.name + ' (' + c.blobCount + (c.blobCount === 1 ? ' blob' : ' blobs') + ')' + (pairs(c.metadata) ? ' ' + pairs(c.metadata) : '');
      var body = c.blobs.length ? table(['Blob', 'Size', 'Content type', 'Metadata', 'Last modified', 'Preview'], c.blobs.map(function (b) {
        return [el('span', { className: 'mono', text: b.name }), bytes(b.size), b.contentType || '', pairs(b.metadata), time(b.lastModified),
          b.preview == null ? '' : el('pre', { className: 'preview', text: b.preview })];
      }), [1]) : el('p', { className: 'muted', text: 'Empty container.' });
      var more = c.blobCount > c.blobs.length ? el('p', { className: 'muted', text: (c.blobCount - c.blobs.length) + ' more not shown.' }) : null;
      return collapsible(account + '/blob/' + c.name, title, el('div', null, [body, more]));
    }));
  }

  function queueSection(account, snap) {
    if (!snap.queues.length) return el('p', { className: 'muted', text: 'No queues.' });
    return el('div', null, snap.queues.map(function (q) {
      var title = q.name + ' (' + q.visibleCount + ' visible, ' + q.invisibleCount + ' invisible)';
      var body = q.messages.length ? table(['Message', 'Text', 'Visible', 'Dequeue count', 'Inserted', 'Next visible', 'Expires'], q.messages.map(function (m) {
        return [el('span', { className: 'mono', text: m.id }), el('pre', { className: 'preview', text: m.preview }), m.visible ? 'yes' : 'no',
          String(m.dequeueCount), time(m.insertedOn), time(m.nextVisibleOn), time(m.expiresOn)];
      }), [3]) : el('p', { className: 'muted', text: 'No messages.' });
      return collapsible(account + '/queue/' + q.name, title, body);
    }));
  }

  function tableSection(account, snap) {
    if (!snap.tables.length) return el('p', { className: 'muted', text: 'No tables.' });
    return el('div', null, snap.tables.map(function (t) {
      var title = t.name + ' (' + t.entityCount + (t.entityCount === 1 ? ' entity' : ' entities') + ')';
      var body = t.entities.length ? table(['PartitionKey', 'RowKey', 'Properties'], t.entities.map(function (e) {
        var rest = {};
        Object.keys(e).forEach(function (k) { if (k !== 'PartitionKey' && k !== 'RowKey') rest[k] = e[k]; });
        return [e.PartitionKey, e.RowKey, el('pre', { text: JSON.stringify(rest) })];
      })) : el('p', { className: 'muted', text: 'No entities.' });
      return collapsible(account + '/table/' + t.name, title, body);
    }));
  }

  function cosmosSection(account, snap) {
    if (!snap.databases.length) return el('p', { className: 'muted', text: 'No databases.' });
    return el('div', null, snap.databases.map(function (d) {
      if (!d.containers.length) return el('p', { className: 'muted', text: d.id + ': no containers.' });
      return el('div', null, d.containers.map(function (c) {
        var title = d.id + '/' + c.id + ' (' + c.partitionKey.join(', ') + ', ' + c.itemCount + (c.itemCount === 1 ? ' item' : ' items') + ')';
        var body = c.items.length ? table(['Item'], c.items.map(function (item) { return [el('pre', { text: JSON.stringify(item) })]; }))
          : el('p', { className: 'muted', text: 'No items.' });
        var more = c.itemCount > c.items.length ? el('p', { className: 'muted', text: (c.itemCount - c.items.length) + ' more not shown.' }) : null;
        return collapsible(account + '/cosmosdb/' + d.id + '/' + c.id, title, el('div', null, [body, more]));
      }));
    }));
  }

  function serviceBusCounts(e) {
    return e.activeCount + ' active, ' + e.scheduledCount + ' scheduled, ' + e.deferredCount + ' deferred, ' + e.deadLetterCount + ' dead-lettered';
  }

  function serviceBusMessages(e) {
    if (!e.messages.length) return el('p', { className: 'muted', text: 'No messages.' });
    return table(['Sequence', 'Message id', 'State', 'Session', 'Deliveries', 'Enqueued', 'Body'], e.messages.map(function (m) {
      return [String(m.sequenceNumber), el('span', { className: 'mono', text: m.messageId }), m.state, m.sessionId || '', String(m.deliveryCount), time(m.enqueuedOn),
        m.preview == null ? '' : el('pre', { className: 'preview', text: m.preview })];
    }), [0, 4]);
  }

  function serviceBusSection(account, snap) {
    if (!snap.queues.length && !snap.topics.length) return el('p', { className: 'muted', text: 'No queues or topics.' });
    var queues = snap.queues.map(function (q) {
      return collapsible(account + '/servicebus/' + q.name, 'queue ' + q.name + ' (' + serviceBusCounts(q) + ')', serviceBusMessages(q));
    });
    var topics = snap.topics.map(function (t) {
      var subs = t.subscriptions.length ? el('div', { className: 'nested' }, t.subscriptions.map(function (sub) {
        return collapsible(account + '/servicebus/' + t.name + '/' + sub.name, 'subscription ' + sub.name + ' (' + serviceBusCounts(sub) + ')', serviceBusMessages(sub));
      })) : el('p', { className: 'muted', text: 'No subscriptions.' });
      var count = t.subscriptions.length + (t.subscriptions.length === 1 ? ' subscription' : ' subscriptions');
      return collapsible(account + '/servicebus/' + t.name, 'topic ' + t.name + ' (' + count + ')', subs);
    });
    return el('div', null, queues.concat(topics));
  }

  function eventHubsSection(account, snap) {
    if (!snap.hubs.length) return el('p', { className: 'muted', text: 'No event hubs.' });
    return el('div', null, snap.hubs.map(function (h) {
      var events = h.partitions.reduce(function (n, p) { return n + p.events; }, 0);
      var title = h.name + ' (' + h.partitions.length + (h.partitions.length === 1 ? ' partition, ' : ' partitions, ') + events + (events === 1 ? ' event' : ' events') +
        '; consumer groups ' + h.consumerGroups.join(', ') + ')';
      var body = table(['Partition', 'Events', 'First sequence', 'Last sequence', 'Last offset', 'Last enqueued'], h.partitions.map(function (p) {
        return [p.id, String(p.events), p.isEmpty ? '' : String(p.beginningSequenceNumber), p.lastEnqueuedSequenceNumber < 0 ? '' : String(p.lastEnqueuedSequenceNumber),
          p.lastEnqueuedOffset < 0 ? '' : String(p.lastEnqueuedOffset), p.lastEnqueuedTime ? time(new Date(p.lastEnqueuedTime).toISOString()) : ''];
      }), [1, 2, 3, 4]);
      return collapsible(account + '/eventhubs/' + h.name, title, body);
    }));
  }

  var SECTIONS = {
    blob: ['Blob containers', blobSection], queue: ['Queues', queueSection], table: ['Tables', tableSection], cosmosdb: ['Cosmos DB', cosmosSection],
    servicebus: ['Service Bus', serviceBusSection], eventhubs: ['Event Hubs', eventHubsSection],
  };

  function renderStorage(state) {
    var accounts = new Set(view.namespace ? [view.namespace] : []);
    Object.keys(state.services).forEach(function (s) { Object.keys(state.services[s].accounts).forEach(function (a) { accounts.add(a); }); });
    var blocks = Array.from(accounts).sort().map(function (account) {
      var parts = [el('h2', { text: 'Namespace ' + account })];
      Object.keys(state.services).forEach(function (name) {
        var snapshot = state.services[name];
        var data = snapshot.accounts[account];
        var known = SECTIONS[snapshot.kind];
        parts.push(el('h3', { text: known ? known[0] : name }));
        if (!data) parts.push(el('p', { className: 'muted', text: 'Nothing stored.' }));
        else parts.push(known ? known[1](account, data) : el('pre', { text: JSON.stringify(data, null, 2) }));
      });
      return el('section', { className: 'account', 'data-namespace': account }, parts);
    });
    Object.keys(state.errors || {}).forEach(function (name) {
      blocks.push(el('p', { className: 'bad', text: name + ' could not be inspected: ' + state.errors[name] }));
    });
    $('storage').replaceChildren.apply($('storage'), blocks.length ? blocks : [el('p', { className: 'muted', text: 'Nothing stored in any namespace.' })]);
  }

  var journal = null;

  function renderRequests() {
    var box = $('requests');
    if (journal === null) { box.replaceChildren(el('p', { className: 'muted', text: 'journal not available' })); return; }
    var needle = view.filter.toLowerCase();
    var rows = journal.requests.slice().sort(function (a, b) { return b.seq - a.seq; }).filter(function (r) {
      var failed = r.status >= 400 || r.status === 0;
      if (view.outcome === 'failed' && !failed) return false;
      if (view.outcome === 'succeeded' && failed) return false;
      if (!needle) return true;
      return [r.service, r.namespace, r.operation, r.method, r.path, r.status, r.errorCode || ''].join(' ').toLowerCase().indexOf(needle) !== -1;
    });
    var dropped = journal.dropped ? el('p', { className: 'muted', text: journal.dropped + ' older requests were dropped.' }) : null;
    box.replaceChildren(rows.length ? table(['Time', 'Namespace', 'Service', 'Operation', 'Method', 'Path', 'Status', 'Error code', 'Duration'], rows.slice(0, 500).map(function (r) {
      return [time(r.time), r.namespace, r.service, r.operation, r.method, el('span', { className: 'mono', text: r.path }),
        el('span', { className: r.status >= 400 || r.status === 0 ? 'bad' : 'ok', text: String(r.status) }), r.errorCode || '',
        Math.round(r.durationMs) + ' ms'];
    }), [8]) : el('p', { className: 'muted', text: journal.requests.length ? 'No request matches the filter.' : 'No requests yet.' }), dropped || document.createTextNode(''));
  }

  async function refresh() {
    if (view.paused) return;
    var ns = view.namespace ? '?namespace=' + encodeURIComponent(view.namespace) : '';
    try {
      var results = await Promise.all([getJson('health'), getJson('services'), getJson('state' + ns), getJson('requests' + ns).catch(function () { return null; })]);
      renderServices(results[0], results[1]);
      renderNamespaces(results[2]);
      renderStorage(results[2]);
      journal = results[3];
      renderRequests();
      $('problem').className = '';
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (error) {
      $('problem').textContent = 'The control API is not answering: ' + (error && error.message || error);
      $('problem').className = 'shown';
    }
  }

  function remember() {
    var query = new URLSearchParams(location.search);
    if (view.namespace) query.set('namespace', view.namespace); else query.delete('namespace');
    var text = query.toString();
    history.replaceState(null, '', location.pathname + (text ? '?' + text : ''));
  }

  $('namespace').addEventListener('change', function (e) { view.namespace = e.target.value; remember(); refresh(); });
  $('filter').addEventListener('input', function (e) { view.filter = e.target.value; renderRequests(); });
  $('outcome').addEventListener('change', function (e) { view.outcome = e.target.value; renderRequests(); });
  $('pause').addEventListener('click', function (e) {
    view.paused = !view.paused;
    e.target.textContent = view.paused ? 'Resume' : 'Pause';
    if (!view.paused) refresh();
  });
  $('refresh-every').textContent = (refreshMs / 1000) + ' s';
  refresh();
  setInterval(refresh, refreshMs);
})();
`;
