// Webhook inspector page: plain DOM, no framework, no build step.
// Everything shown was sent by whoever reached /hooks/, so every value reaches the page through
// textContent or setAttribute, never as markup.
'use strict';

(function () {
  const API = 'api/webhooks';    // relative: the page is served by the inspector itself
  const POLL_MS = 2000;
  const LIMIT = 100;

  const SIGNATURES = {
    VALID: { text: 'valid', className: 'valid' },
    INVALID: { text: 'invalid', className: 'invalid' },
    NO_SECRET: { text: 'no secret', className: 'none' },
  };

  const state = {
    views: new Map(),   // n -> <tbody> of that webhook; a received webhook never changes, so views are kept
    open: new Set(),    // n of the expanded webhooks
    filter: '',
    seq: 0,             // the newest request; older answers are dropped
    timer: null,
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === null || value === undefined || value === false) continue;
        if (key === 'testid') node.dataset.testid = value;
        else if (key === 'text') node.textContent = String(value);
        else if (key === 'className') node.className = value;
        else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function setText(node, text) {
    const value = String(text);
    if (node.textContent !== value) node.textContent = value;
  }

  function orDash(value) {
    return value === null || value === undefined || value === '' ? '—' : String(value);
  }

  function localTime(iso) {
    const date = new Date(iso);
    return isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString();
  }

  function showError(message) {
    const banner = $('error');
    setText(banner, message || '');
    banner.hidden = !message;
  }

  // ---------------------------------------------------------------- one webhook

  function signatureBadge(signature) {
    const kind = SIGNATURES[signature && signature.status] || { text: String(signature && signature.status), className: 'none' };
    return el('span', {
      className: 'badge ' + kind.className,
      testid: 'signature',
      'data-status': signature && signature.status,
      title: signature && signature.reason ? signature.reason : kind.text,
      text: kind.text,
    });
  }

  function pairsTable(pairs, testid) {
    const table = el('table', { className: 'pairs', testid: testid });
    const body = el('tbody');
    for (const pair of pairs) {
      body.append(el('tr', null, el('td', { text: pair.name }), el('td', { className: 'mono', text: pair.value })));
    }
    table.append(body);
    return table;
  }

  // JSON is re-indented for reading; the exact text stays one click away under "raw", since
  // parsing loses what JSON.parse cannot keep (key order of duplicates, number spelling).
  function bodyView(webhook) {
    const box = el('div');
    if (webhook.size === 0) {
      box.append(el('p', { className: 'muted', testid: 'body-empty', text: 'No body.' }));
      return box;
    }
    let pretty = null;
    try {
      const parsed = JSON.parse(webhook.body);
      if (parsed !== null && typeof parsed === 'object') pretty = JSON.stringify(parsed, null, 2);
    } catch (e) {
      pretty = null;
    }
    box.append(el('pre', { className: 'body', testid: 'body', text: pretty !== null ? pretty : webhook.body }));
    if (pretty !== null) {
      box.append(el('details', { className: 'raw' },
          el('summary', { text: 'raw' }),
          el('pre', { className: 'body', testid: 'body-raw', text: webhook.body })));
    }
    if (webhook.bodyTruncated) {
      box.append(el('p', { className: 'muted', text: 'Only the first ' + webhook.body.length + ' characters of ' + webhook.size + ' bytes are kept.' }));
    }
    return box;
  }

  function details(webhook) {
    const cell = el('td', { colspan: 11 });
    const signature = webhook.signature || {};
    cell.append(
        el('h4', { text: 'Request' }),
        el('div', { className: 'mono', testid: 'request-line', text: webhook.method + ' ' + webhook.uri }),
        el('div', { className: 'muted', text: 'from ' + orDash(webhook.remoteAddress) + ' at ' + webhook.receivedAt
            + ' · answered ' + webhook.responseStatus }),
        el('h4', { text: 'Signature' }),
        el('div', null, signatureBadge(signature), ' ',
            el('span', { testid: 'signature-reason', text: signature.reason || (signature.status === 'NO_SECRET'
                ? 'No secret registered for this path: not checked.' : 'A v1 signature matches the secret.') })),
        el('h4', { text: 'Headers' }),
        pairsTable(webhook.headers || [], 'headers'));
    if (Array.isArray(webhook.form)) {
      cell.append(el('h4', { text: 'Form fields' }), pairsTable(webhook.form, 'form-pairs'));
    }
    if (Array.isArray(webhook.queryParams) && webhook.queryParams.length > 0) {
      cell.append(el('h4', { text: 'Query parameters' }), pairsTable(webhook.queryParams, 'query-pairs'));
    }
    cell.append(el('h4', { text: 'Body (' + webhook.size + ' bytes' + (webhook.contentType ? ', ' + webhook.contentType : '') + ')' }),
        bodyView(webhook));
    return el('tr', { className: 'details', testid: 'webhook-details' }, cell);
  }

  function view(webhook) {
    const summary = webhook.summary || {};
    const ok = webhook.responseStatus >= 200 && webhook.responseStatus < 300;
    const main = el('tr', { className: 'main', tabindex: 0, 'aria-expanded': 'false' },
        el('td', { className: 'num', text: webhook.n }),
        el('td', { className: 'time', title: webhook.receivedAt, text: localTime(webhook.receivedAt) }),
        el('td', { className: 'mono', testid: 'method', text: webhook.method }),
        el('td', { className: 'path mono', testid: 'path', title: webhook.uri, text: webhook.uri }),
        el('td', { className: ok ? 'ok' : 'bad', testid: 'answer', text: webhook.responseStatus }),
        el('td', { className: 'id mono', testid: 'webhook-id', text: orDash(webhook.webhookId) }),
        el('td', null, signatureBadge(webhook.signature)),
        el('td', { testid: 'product', text: orDash(summary.product) }),
        el('td', { testid: 'hook-event', text: orDash(summary.hookEvent) }),
        el('td', { className: 'mono', testid: 'call-id', text: orDash(summary.id) }),
        el('td', { className: 'num', text: webhook.size }));
    const body = el('tbody', { testid: 'webhook', 'data-n': webhook.n }, main);
    let detailRow = null;   // built on first expansion: most rows are never opened
    const toggle = () => {
      const open = !state.open.has(webhook.n);
      if (open) state.open.add(webhook.n); else state.open.delete(webhook.n);
      if (open && detailRow === null) {
        detailRow = details(webhook);
        body.append(detailRow);
      }
      if (detailRow !== null) detailRow.hidden = !open;
      body.classList.toggle('open', open);
      main.setAttribute('aria-expanded', String(open));
    };
    main.addEventListener('click', (event) => {
      // Selecting text in a row should not fold it.
      if (window.getSelection && String(window.getSelection()).length > 0) return;
      toggle();
      event.preventDefault();
    });
    main.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        toggle();
        event.preventDefault();
      }
    });
    if (state.open.has(webhook.n)) {
      state.open.delete(webhook.n);
      toggle();
    }
    return body;
  }

  // ---------------------------------------------------------------- list

  function render(list) {
    setText($('received'), list.received);
    setText($('kept'), list.kept);
    setText($('capacity'), list.capacity);
    const table = $('webhooks');
    const wanted = new Set(list.webhooks.map((w) => w.n));
    for (const [n, node] of state.views) {
      if (!wanted.has(n)) {
        node.remove();
        state.views.delete(n);
        state.open.delete(n);
      }
    }
    // Newest first; existing views are moved, not rebuilt, so open rows and selections survive.
    let previous = table.tHead;
    for (const webhook of list.webhooks) {
      let node = state.views.get(webhook.n);
      if (!node) {
        node = view(webhook);
        state.views.set(webhook.n, node);
      }
      if (previous.nextSibling !== node) previous.after(node);
      previous = node;
    }
    $('no-webhooks').hidden = list.webhooks.length > 0;
    setText($('no-webhooks'), state.filter ? 'Nothing received on ' + state.filter + '.' : 'Nothing received yet.');
  }

  async function refresh() {
    const seq = ++state.seq;
    let url = API + '?limit=' + LIMIT;
    if (state.filter) url += '&path=' + encodeURIComponent(state.filter);
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      const body = await response.json();
      if (seq !== state.seq) return;
      if (!response.ok) throw new Error(body && body.error ? body.error : 'HTTP ' + response.status);
      render(body);
      showError('');
      setText($('refreshed-at'), new Date().toLocaleTimeString());
    } catch (e) {
      if (seq === state.seq) showError('Cannot load the webhooks: ' + e.message + ' (retrying every ' + POLL_MS / 1000 + ' s)');
    }
  }

  function schedule() {
    clearTimeout(state.timer);
    state.timer = null;
    if ($('pause').checked) return;
    // Chained, not an interval: a slow answer never piles up requests behind it.
    state.timer = setTimeout(async () => {
      await refresh();
      schedule();
    }, POLL_MS);
  }

  async function clearAll() {
    try {
      const response = await fetch(API, { method: 'DELETE' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
    } catch (e) {
      showError('Cannot clear: ' + e.message);
      return;
    }
    await refresh();
  }

  function init() {
    setText($('hook-url'), window.location.origin + '/hooks/anything');
    let typing = null;
    $('path-filter').addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        state.filter = $('path-filter').value.trim();
        refresh();
      }, 300);
    });
    $('pause').addEventListener('change', () => {
      if (!$('pause').checked) refresh();
      schedule();
    });
    $('clear').addEventListener('click', clearAll);
    refresh().then(schedule);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
