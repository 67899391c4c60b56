import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/**
 * The lead pages' stylesheet and script, served by the report app itself so the strict CSP can
 * allow same-origin files only (no inline script or style). Kept in code, not files, so the Lambda
 * bundle carries them; versioned hrefs make a year-long cache safe.
 */
const CONSOLE_CSS = `:root { color-scheme: light; --ink: #1a1a1a; --muted: #4b4b4b; --line: #8a8a8a; --soft: #f2f5f8;
  --accent: #0b4f8a; --error: #b3261e; }
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.5;
  color: var(--ink); background: #fff; }
a { color: var(--accent); text-underline-offset: 0.15em; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip-link { position: absolute; left: -100vw; top: 0.5rem; background: #fff; padding: 0.75rem 1rem; }
.skip-link:focus { left: 0.5rem; }
.site-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem;
  padding: 0.75rem 1rem; border-bottom: 4px solid var(--accent); background: var(--soft); }
.site-title { margin: 0; font-weight: 600; }
.account { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
.account a { display: inline-flex; align-items: center; min-height: 44px; }
.page { max-width: 64rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.75rem; }
.notice { margin: 0 0 1.5rem; padding: 0.75rem 1rem; border-left: 6px solid var(--accent); background: var(--soft); }
.problem { margin: 0 0 1.5rem; padding: 0.75rem 1rem; border: 3px solid var(--error); font-weight: 600; }
.hint, .report-meta, .note { color: var(--muted); }
label { display: block; font-weight: 600; margin: 0 0 0.25rem; }
textarea { display: block; width: 100%; min-height: 7rem; padding: 0.5rem; font: 0.9rem ui-monospace, monospace;
  border: 2px solid var(--line); border-radius: 0.25rem; }
button { min-height: 48px; margin: 1rem 0; padding: 0.625rem 1.25rem; font: inherit; font-weight: 600; color: #fff;
  background: var(--accent); border: 2px solid var(--accent); border-radius: 0.375rem; cursor: pointer; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0 0 1.5rem; min-width: 20rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 0.375rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.25rem 0.625rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.95em; }
[hidden] { display: none !important; }
.controls fieldset { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.75rem 1.25rem; margin: 0 0 1.5rem;
  padding: 0.75rem 1rem; border: 1px solid #c8c8c8; }
.controls fieldset { min-width: 0; }
.controls .control { min-width: 0; max-width: 100%; }
.controls select { max-width: 100%; }
.controls legend { font-weight: 600; padding: 0 0.25rem; }
.controls select { min-height: 44px; font: inherit; padding: 0.25rem 0.5rem; border: 2px solid var(--line);
  border-radius: 0.25rem; background: #fff; }
.controls button { margin: 0; }
.controls .check { display: flex; align-items: center; gap: 0.5rem; min-height: 44px; }
.controls .check input { width: 1.25rem; height: 1.25rem; }
.controls .check label { margin: 0; }
.controls .download { display: inline-flex; align-items: center; min-height: 44px; }
svg.chart { width: 100%; max-width: 28rem; height: auto; }
.chart text { font-size: 13px; fill: #2b2b2b; }
.chart .unweighted .estimate { fill: #fff; stroke-dasharray: 2 2; }
.compare-table .own-wave, .compare-table .own-changes { display: block; color: var(--muted); font-size: 0.85em; }
.verdict-lines, .target-list { list-style: none; margin: 0 0 1.5rem; padding: 0; }
.verdict-line, .target { margin: 0 0 0.75rem; padding: 0.5rem 0.75rem; border: 1px solid #c8c8c8;
  border-left: 6px solid var(--line); }
.verdict-line > span { display: block; }
.verdict-label { font-weight: 600; }
.verdict-judgement { font-weight: 600; }
.verdict-line.better { border-left-color: #1e6b34; }
.verdict-line.worse { border-left-color: var(--error); }
.verdict-change, .target-source { color: var(--muted); }
.target-reached .target-state, .verdict-target.target-reached { color: #1e6b34; font-weight: 600; }
.target-not_reached .target-state, .verdict-target.target-not_reached { color: var(--error); font-weight: 600; }
.verdict-pair { margin: 0 0 0.75rem; }
.chart .tick line { stroke: #d5d5d5; }
.chart .ci line { stroke: var(--accent); stroke-width: 2.5; }
.chart .estimate { fill: var(--accent); stroke: var(--accent); stroke-width: 2; }
.chart .unreliable .estimate { fill: #fff; }
.chart .star, .significant { color: #8a4500; fill: #8a4500; font-weight: 600; }
.chart .bar { fill: var(--accent); }
.chart .target line { stroke: #8a4500; stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart .target text { fill: #8a4500; font-weight: 600; }
.flag { color: var(--muted); font-size: 0.9em; }
td.num abbr { text-decoration: none; }
.unreliable { font-style: italic; }
details.cities summary { cursor: pointer; min-height: 44px; padding: 0.6rem 0; display: list-item; font-weight: 600; }
details.answers { border-top: 1px solid #c8c8c8; }
details.answers summary { cursor: pointer; min-height: 44px; padding: 0.5rem 0; font-weight: 600; }
table.answers { width: 100%; min-width: 0; table-layout: fixed; }
table.answers th, table.answers td { padding: 0.25rem 0.5rem; overflow-wrap: break-word; }
table.answers thead th { hyphens: auto; -webkit-hyphens: auto; }
table.answers th.named { border-bottom: none; padding-bottom: 0; font-weight: 400; }
table.answers th.named + td, table.answers tbody tr + tr td { border-top: none; }
table.answers .subtotal th.named { font-weight: 600; }
.share-bar { display: block; width: 100%; height: 4px; margin-top: 0.125rem; }
.share-bar rect { fill: var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
figure.trend { margin: 0 0 1.5rem; }
figure.trend figcaption { color: var(--muted); }
figure.curve { margin: 0 0 1.5rem; }
figure.curve figcaption { color: var(--muted); }
svg.cumulative { max-width: 28rem; }
.cumulative .line { fill: none; stroke: var(--accent); stroke-width: 2.5; }
.cumulative .area { fill: #dbe7f3; }
.cumulative .point { fill: var(--accent); }
.badge { display: inline-block; margin-left: 0.5rem; padding: 0 0.5rem; font-size: 0.8em; font-weight: 600;
  color: #fff; background: var(--accent); border-radius: 0.25rem; vertical-align: 0.15em; }
th.city { padding-left: 1.5rem; font-weight: normal; }
.cumulative text { font-size: 13px; }
.groups { display: block; color: var(--muted); font-size: 0.9em; font-weight: normal; }
button.secondary { color: var(--accent); background: #fff; }
.buttons { display: flex; flex-wrap: wrap; gap: 0 1rem; }
input, select { font: inherit; }
.stacked input:not([type=checkbox]):not([type=radio]):not([type=file]), .stacked select,
  form input[type=datetime-local], form input[type=date], form input[type=number] { display: block; width: 100%;
  max-width: 28rem; min-height: 44px; margin: 0 0 1rem; padding: 0.375rem 0.5rem; border: 2px solid var(--line);
  border-radius: 0.25rem; background: #fff; }
input[type=file] { display: block; margin: 0 0 1rem; min-height: 44px; }
[aria-invalid=true] { border-color: var(--error) !important; }
.field-error { margin: -0.75rem 0 1rem; color: var(--error); font-weight: 600; }
.form-note { margin: 0 0 1rem; padding: 0.5rem 0.75rem; border-left: 6px solid var(--accent); background: var(--soft); }
.form-note.error { border-left-color: var(--error); color: var(--error); font-weight: 600; }
.problem-line { display: block; margin-top: 0.25rem; color: var(--muted); white-space: pre-wrap; overflow-wrap: anywhere; }
.row-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 1rem; }
.row-actions form { margin: 0; }
.row-actions button { margin: 0.25rem 0; min-height: 44px; padding: 0.375rem 0.875rem; }
.row-actions a { display: inline-flex; align-items: center; min-height: 44px; }
.breadcrumb { margin: 0 0 0.5rem; }
.breadcrumb a { display: inline-flex; align-items: center; min-height: 44px; }
.cards { list-style: none; margin: 0 0 1.5rem; padding: 0; }
.card { margin: 0 0 1.5rem; padding: 0.75rem 1rem 0.25rem; border: 1px solid #c8c8c8; border-left: 6px solid var(--accent); }
.card h3 { margin: 0 0 0.5rem; font-size: 1.15rem; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.125rem 1rem; margin: 0 0 0.75rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.links { margin: 0 0 0.75rem; padding-left: 1.25rem; }
.links li { margin: 0 0 0.375rem; }
.links a { display: inline-block; padding: 0.5rem 0; font-weight: 600; }
code.link { word-break: break-all; }
details.schedule { margin: 0 0 0.75rem; }
details.schedule { flex-basis: 100%; }
details.schedule summary { cursor: pointer; min-height: 44px; padding: 0.6rem 0; color: var(--accent); font-weight: 600; }
.result { margin: 1.5rem 0; padding: 0.75rem 1rem; border: 2px solid var(--accent); }
.result.problems { border: 3px solid var(--error); }
.result h2 { margin-top: 0; }
.result:focus { outline: 3px solid var(--accent); }
.changes li { margin: 0 0 0.25rem; }
.sheet { text-align: center; max-width: 40rem; margin: 0 auto; }
.sheet-title { font-size: 1.5rem; font-weight: 600; margin: 0; }
.sheet-title-en { font-size: 1.1rem; margin: 0 0 0.75rem; color: var(--muted); }
.sheet-en { font-size: 1rem; color: var(--muted); }
.sheet-scan { font-size: 1.25rem; margin: 0 0 1rem; }
.sheet .qr svg { width: 100%; max-width: 22rem; height: auto; }
.sheet-link { font-size: 1.25rem; overflow-wrap: break-word; }
.compare-link a { display: inline-flex; align-items: center; min-height: 44px; font-weight: 600; }
.compare-form .choices { flex-direction: column; align-items: flex-start; gap: 0.25rem; }
.compare-form .field-error { flex-basis: 100%; margin: 0.25rem 0 0; }
table.compare-table { width: 100%; max-width: 48rem; min-width: 0; }
@media (min-width: 40rem) { table.compare-table { table-layout: fixed; } .compare-table thead th:first-child { width: 11rem; } }
.compare-table th, .compare-table td { overflow-wrap: break-word; padding: 0.375rem 0.5rem; }
.compare-table td > span { display: block; }
.compare-table .estimate { font-weight: 600; }
.compare-table .interval, .compare-table .n { color: var(--muted); font-size: 0.9em; }
.compare-table .pair-questions { font-size: 0.9em; }
.compare-table .pair-questions.differ { font-style: italic; }
.compare-table tbody.did th { background: var(--soft); border-bottom: 0; padding-top: 0.5rem; }
.compare-table tbody.did td { border-top: 0; padding-bottom: 0.5rem; }
@media (max-width: 30rem) { .compare-table { font-size: 0.95rem; } }
@media (max-width: 40rem) {
  .compare-table.stack thead { position: absolute; left: -100vw; }
  .compare-table.stack, .compare-table.stack tbody, .compare-table.stack tr, .compare-table.stack th,
    .compare-table.stack td { display: block; width: auto; text-align: left; }
  .compare-table.stack tr { margin: 0 0 0.75rem; border-top: 2px solid var(--line); }
  .compare-table.stack caption { display: block; }
  .compare-table.stack td[data-label]::before { content: attr(data-label); display: block; color: var(--ink); }
  .compare-table.stack tbody.did tr:nth-child(odd) { margin: 0; }
  .compare-table.stack tbody.did tr:nth-child(even) { border-top: 0; }
}
@media print {
  .breadcrumb, #status, #problem, h1, .survey-line, .print-button, .form-note { display: none !important; }
  body:has(.sheet) .site-header { display: none !important; }
  .controls { display: none !important; }
  .skip-link, .account, noscript { display: none !important; }
  .site-header { background: none; border-bottom: 1px solid #000; }
  body { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .table-scroll { overflow: visible; }
  /* A compact report: at most about four A4 pages for one audience (test/report/dashboard-browser). */
  body { font-size: 9pt; line-height: 1.3; }
  table, .verdict-line, .target, svg.chart, figure, .chart-and-table { break-inside: avoid; }
  h2, caption { break-after: avoid; }
  h2 { font-size: 11pt; margin: 0.5rem 0 0.2rem; }
  caption { font-size: 8.5pt; padding: 0 0 0.1rem; }
  table { font-size: 8pt; margin: 0 0 0.3rem; min-width: 0; }
  th, td { padding: 0 0.3rem; }
  .chart-and-table { display: flex; gap: 0.75rem; align-items: flex-start; }
  .chart-and-table svg.chart { width: 36%; flex: none; }
  .chart-and-table .table-scroll { flex: 1; }
  details.cities, .controls, .download, .answers-list { display: none !important; }
  .verdict-line, .target { padding: 0.1rem 0.4rem; margin: 0 0 0.2rem; border-left-width: 4px; }
  .note, .report-meta, .verdict-pair { font-size: 8pt; margin: 0 0 0.3rem; }
}
`;

/**
 * One generic script for every lead page (`<body data-page>` says which): it keeps the bearer
 * token in sessionStorage (gone with the tab, never sent by the browser on its own), fetches a
 * server-rendered fragment with it and puts that into the page. The fragment is escaped on the
 * server; the script writes its own messages as text only. Texts and URLs come from data-*
 * attributes, so the script stays the same for any report and language.
 */
const CONSOLE_JS = String.raw`(function () {
  'use strict';
  var TOKEN = 'resonanz.token';
  var PENDING = 'resonanz.oidc';
  var store = window.sessionStorage;
  var data = document.body.dataset;
  var byId = function (id) { return document.getElementById(id); };

  function say(id, text) {
    var el = byId(id);
    if (!el) return;
    el.textContent = text || '';
    el.hidden = !text;
  }
  function fail(text) { say('status', ''); say('problem', text); }

  async function problemText(res) {
    try {
      var p = await res.json();
      return [p.title, p.detail].filter(Boolean).join(': ') || String(res.status);
    } catch (e) {
      return res.status + ' ' + res.statusText;
    }
  }

  function me(token) {
    return fetch('/api/v1/reports/me', { headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' } });
  }

  // A reports page on this site, or nothing: the server checked "next" already; this is a second lock.
  function sameSiteReport(path) { return /^\/((reports|dashboard|console)\/[^\/\\]|console($|\?))/.test(path || '') ? path : ''; }

  async function accept(token, next) {
    var res;
    try { res = await me(token); } catch (e) { fail(data.msgFailed); return; }
    if (!res.ok) { fail(data.msgRejected + ' ' + (await problemText(res))); return; }
    store.setItem(TOKEN, token);
    // Without a page to go back to, the console's home.
    location.replace(sameSiteReport(next) || '/console');
  }

  function b64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function randomText() { return b64url(crypto.getRandomValues(new Uint8Array(32))); }
  function callbackUrl() { return location.origin + '/reports/signin/callback'; }

  async function startOidc() {
    var verifier = randomText();
    var state = randomText();
    var digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    store.setItem(PENDING, JSON.stringify({ state: state, verifier: verifier, next: data.next }));
    var url = new URL(data.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: data.clientId, redirect_uri: callbackUrl(), scope: 'openid',
      state: state, code_challenge: b64url(new Uint8Array(digest)), code_challenge_method: 'S256'
    }).toString();
    location.assign(url.toString());
  }

  // The page's data: a fragment rendered by the API with the caller's token (again after each action).
  async function loadFragment(quiet) {
    var token = store.getItem(TOKEN);
    if (!token) { location.replace(data.signin); return false; }
    if (!quiet) say('status', data.msgLoading);
    var auth = { Authorization: 'Bearer ' + token };
    var who, res;
    try {
      var both = await Promise.all([me(token), fetch(data.fragment, { headers: Object.assign({ Accept: 'text/html' }, auth) })]);
      who = both[0]; res = both[1];
    } catch (e) { fail(data.msgFailed); return false; }
    if (who.status === 401 || res.status === 401) { store.removeItem(TOKEN); location.replace(data.signin); return false; }
    if (who.ok) {
      var claims = await who.json();
      say('signed-in-as', data.msgSignedInAs.replace('{sub}', claims.sub).replace('{roles}', claims.roles.join(', ')));
    }
    if (res.status === 403) { fail(data.msgForbidden); return false; }
    if (!res.ok) { fail(data.msgFailed + ' ' + (await problemText(res))); return false; }
    byId('content').innerHTML = await res.text();
    if (!quiet) say('status', '');
    // Times come as ISO; the fields show and take the browser's local time.
    document.querySelectorAll('#content input[type=datetime-local][data-iso]').forEach(function (input) {
      var t = new Date(input.getAttribute('data-iso'));
      if (isNaN(t)) return;
      var local = new Date(t.getTime() - t.getTimezoneOffset() * 60000);
      input.value = local.toISOString().slice(0, 16);
    });
    // Something still running (an export): look again in a while, without moving the focus.
    var again = document.querySelector('#content [data-refresh]');
    if (again) setTimeout(function () { loadFragment(true); }, Math.max(1000, Number(again.getAttribute('data-refresh')) || 3000));
    return true;
  }

  var pages = {
    report: function () { return loadFragment(false); },
    signin: function () {
      var start = byId('oidc-start');
      if (start) start.addEventListener('click', function () { startOidc().catch(function () { fail(data.msgFailed); }); });
      var form = byId('token-form');
      if (!form) return;
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var token = byId('token').value.trim();
        if (token) accept(token, data.next);
      });
      // One-click local link: take the token out of the address bar and history before anything else.
      // Opened while this page is already showing, only the fragment changes: no reload, a hashchange.
      var fromHash = function () {
        if (location.hash.indexOf('#token=') !== 0) return;
        var fromLink = decodeURIComponent(location.hash.slice(7));
        history.replaceState(null, '', location.pathname + location.search);
        if (fromLink) accept(fromLink, data.next);
      };
      window.addEventListener('hashchange', fromHash);
      fromHash();
    },
    callback: async function () {
      var params = new URLSearchParams(location.search);
      history.replaceState(null, '', location.pathname);
      var pending = null;
      try { pending = JSON.parse(store.getItem(PENDING) || 'null'); } catch (e) { pending = null; }
      store.removeItem(PENDING);
      if (params.get('error')) { fail(data.msgIdpError + ' (' + params.get('error') + ')'); return; }
      if (!pending || !params.get('state') || params.get('state') !== pending.state || !params.get('code')) {
        fail(data.msgStateMismatch);
        return;
      }
      say('status', data.msgWorking);
      var res;
      try {
        res = await fetch(data.tokenUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code', code: params.get('code'), redirect_uri: callbackUrl(),
            client_id: data.clientId, code_verifier: pending.verifier
          })
        });
      } catch (e) { fail(data.msgTokenFailed); return; }
      var body = res.ok ? await res.json().catch(function () { return {}; }) : {};
      if (!body.id_token) { fail(data.msgTokenFailed); return; }
      await accept(body.id_token, pending.next);
    }
  };

  function saveBlob(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // A download (the dashboard's CSV, a QR code, the survey file) needs the bearer token too: fetch
  // it, hand the browser a blob.
  async function download(link) {
    var token = store.getItem(TOKEN);
    if (!token) { location.replace(data.signin); return; }
    var res;
    var accept = link.getAttribute('data-accept') || 'text/csv';
    try {
      res = await fetch(link.getAttribute('href'), { headers: { Authorization: 'Bearer ' + token, Accept: accept } });
    } catch (e) { fail(data.msgFailed); return; }
    if (!res.ok) { fail(data.msgFailed + ' ' + (await problemText(res))); return; }
    // In AWS an export file comes from S3: the API answers with a short-lived link to go to.
    if ((res.headers.get('content-type') || '').indexOf('application/json') === 0 && /[?&]as=link/.test(link.getAttribute('href'))) {
      // (A JSON file of the export itself, codebook.json, is downloaded like any other file.)
      var answer = await res.clone().json().catch(function () { return null; });
      if (answer && typeof answer.url === 'string' && /^https:\/\//.test(answer.url)) { location.assign(answer.url); return; }
    }
    saveBlob(await res.blob(), link.getAttribute('data-download'));
  }

  // Forms of the console act through the API with the token: <form data-api action data-method
  // data-body="json|yaml|none" data-result data-save-as data-confirm>. Field names with a dot make
  // nested objects (label.de); number fields send numbers, datetime-local fields ISO times.
  function formJson(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === 'submit' || field.type === 'file') return;
      if (field.hasAttribute('data-in-path')) return;
      if ((field.type === 'radio' || field.type === 'checkbox') && !field.checked) return;
      var value = field.value;
      // An optional field that takes another's value when left empty (a channel's English label).
      var from = field.getAttribute('data-default-from');
      if (value === '' && from && byId(from)) value = byId(from).value;
      if (value === '') return;
      if (field.type === 'number') value = Number(value);
      else if (field.type === 'datetime-local') value = new Date(value).toISOString();
      var path = field.name.split('.');
      var at = out;
      for (var i = 0; i < path.length - 1; i++) at = at[path[i]] = at[path[i]] || {};
      at[path[path.length - 1]] = value;
    });
    return JSON.stringify(out);
  }

  function clearFieldErrors(form) {
    form.querySelectorAll('.field-error').forEach(function (el) { el.remove(); });
    form.querySelectorAll('[aria-invalid]').forEach(function (el) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
    });
  }

  // A validation problem's messages go next to their fields; the rest into the problem box.
  function showFieldErrors(form, problem) {
    (problem.errors || []).forEach(function (issue, i) {
      var field = form.querySelector('[name="' + String(issue.field).replace(/["\\]/g, '') + '"]');
      if (!field) return;
      var note = document.createElement('p');
      note.className = 'field-error';
      note.id = 'error-' + (form.id || 'form') + '-' + i;
      note.textContent = issue.message;
      field.insertAdjacentElement('afterend', note);
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', note.id);
    });
  }

  // A recipients file for personal links is read and merged here, in the browser: only the number of
  // its rows goes to the server, names and addresses never leave this computer. RFC 4180 quoting;
  // comma or semicolon (German spreadsheets), kept as found; formula cells neutralised with a '.
  function parseCsv(text) {
    text = text.replace(/^\uFEFF/, '');
    var first = text.split(/\r?\n/, 1)[0] || '';
    var sep = first.split(';').length > first.split(',').length ? ';' : ',';
    var rows = [], row = [], cell = '', quoted = false, i, ch;
    var endRow = function () {
      row.push(cell);
      cell = '';
      if (row.some(function (c) { return c !== ''; })) rows.push(row);
      row = [];
    };
    for (i = 0; i < text.length; i++) {
      ch = text[i];
      if (quoted) {
        if (ch !== '"') cell += ch;
        else if (text[i + 1] === '"') { cell += '"'; i++; }
        else quoted = false;
      } else if (ch === '"' && cell === '') quoted = true;
      else if (ch === sep) { row.push(cell); cell = ''; }
      else if (ch === '\n' || ch === '\r') { if (ch === '\r' && text[i + 1] === '\n') i++; endRow(); }
      else cell += ch;
    }
    if (quoted) return null;
    endRow();
    return { sep: sep, header: rows[0] || [], rows: rows.slice(1) };
  }
  // Excel's "CSV (Trennzeichen-getrennt)" is Windows-1252, not UTF-8: read it as such when it is
  // not valid UTF-8, so umlauts survive.
  function decodeText(buffer) {
    try { return new TextDecoder('utf-8', { fatal: true }).decode(buffer); }
    catch (e) { return new TextDecoder('windows-1252').decode(buffer); }
  }
  // A cell a spreadsheet would run as a formula gets a leading ': = @ tab CR always, + and - unless
  // the rest is a plain number or phone number ("+49 2361 12345" prints as it is). Any cell with a
  // comma or a semicolon is quoted, so no separator setting splits it into a live formula.
  function csvCell(value, sep) {
    var plain = /^[+-][\d\s()\/.]*$/.test(value);
    var v = /^[=+\-@\t\r]/.test(value) && !plain ? "'" + value : value;
    return /["\r\n,;]/.test(v) || v.indexOf(sep) >= 0 ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function mergeRecipients(parsed, links) {
    var names = parsed.header.map(function (h) { return h.trim().toLowerCase(); });
    var column = names.indexOf('link') < 0 ? 'link' : 'resonanz_link';
    var lines = [parsed.header.concat([column])].concat(parsed.rows.map(function (r, i) { return r.concat([links[i]]); }));
    return lines.map(function (r) { return r.map(function (c) { return csvCell(c, parsed.sep); }).join(parsed.sep); }).join('\r\n') + '\r\n';
  }

  // What became of a form's request, right under the form, where the person who sent it is looking.
  function formNote(form, text, isError) {
    if (!form || !form.isConnected) return;
    var note = form.nextElementSibling;
    if (!note || !note.classList.contains('form-note')) {
      note = document.createElement('p');
      note.className = 'form-note';
      form.insertAdjacentElement('afterend', note);
    }
    note.textContent = text;
    note.setAttribute('role', isError ? 'alert' : 'status');
    note.classList.toggle('error', !!isError);
    if (note.scrollIntoView) note.scrollIntoView({ block: 'nearest' });
  }

  // A download's own name, when the server gives one (Content-Disposition).
  function nameOf(res, fallback) {
    var match = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') || '');
    return match ? match[1] : fallback;
  }

  async function submitForm(form, submitter) {
    var token = store.getItem(TOKEN);
    if (!token) { location.replace(data.signin); return; }
    var question = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) return;
    // {name} in the action is that field's value (in the path, not the body); {.name} adds ".value" if set.
    var url = ((submitter && submitter.getAttribute('formaction')) || form.getAttribute('action')).replace(
      /\{(\.?)([A-Za-z]+)\}/g,
      function (_, dot, name) {
        var field = form.elements.namedItem(name);
        var value = field && field.value;
        return value ? dot + encodeURIComponent(value) : '';
      }
    );
    var saveAs = form.getAttribute('data-save-as');
    clearFieldErrors(form);
    var list = form.querySelector('input[type=file][data-recipients]');
    var recipients = null;
    if (list && list.files && list.files[0]) {
      recipients = parseCsv(decodeText(await list.files[0].arrayBuffer()));
      var names = recipients ? recipients.header.map(function (h) { return h.trim().toLowerCase(); }) : [];
      if (!recipients || recipients.rows.length === 0 || (names.indexOf('link') >= 0 && names.indexOf('resonanz_link') >= 0)) {
        showFieldErrors(form, { errors: [{ field: 'recipients', message: list.getAttribute('data-msg-unusable') }] });
        fail(list.getAttribute('data-msg-unusable'));
        return;
      }
      form.elements.namedItem('count').value = String(recipients.rows.length);
    }
    var headers = {
      Authorization: 'Bearer ' + token,
      Accept: recipients ? 'application/json' : saveAs ? form.getAttribute('data-accept') || 'text/csv' : 'text/html, application/json;q=0.9'
    };
    var kind = form.getAttribute('data-body') || 'json';
    var body;
    if (kind === 'yaml') { headers['Content-Type'] = 'application/yaml'; body = form.querySelector('textarea').value; }
    else if (kind === 'json') { headers['Content-Type'] = 'application/json'; body = formJson(form); }
    say('problem', '');
    say('status', data.msgSending);
    var res;
    try {
      res = await fetch(url, { method: (form.getAttribute('data-method') || 'POST').toUpperCase(), headers: headers, body: body });
    } catch (e) { fail(data.msgFailed); return; }
    if (res.status === 401) { store.removeItem(TOKEN); location.replace(data.signin); return; }
    var target = form.getAttribute('data-result') && byId(form.getAttribute('data-result'));
    if ((res.headers.get('content-type') || '').indexOf('text/html') === 0 && target) {
      target.innerHTML = await res.text();
      say('status', '');
      target.focus();
      return;
    }
    if (!res.ok) {
      var problem = null;
      try { problem = await res.clone().json(); } catch (e) { problem = null; }
      if (problem) showFieldErrors(form, problem);
      var text = await problemText(res);
      fail(text);
      formNote(form, text, true);
      return;
    }
    // With a byte order mark, so Excel opens the merged UTF-8 file with its umlauts.
    if (recipients) {
      var created = await res.json();
      var named = saveAs.replace(/\.csv$/, '-' + String(created.batchId).slice(0, 8) + '.csv');
      saveBlob(new Blob(['\uFEFF' + mergeRecipients(recipients, created.links)], { type: 'text/csv' }), named);
    } else if (saveAs) saveBlob(await res.blob(), nameOf(res, saveAs));
    var done = form.getAttribute('data-done') || data.msgSaved;
    if (await loadFragment(true)) {
      say('status', done);
      // The same form again after the reload (it has an id): the note goes under it.
      if (form.id) formNote(byId(form.id), done, false);
    }
  }

  document.addEventListener('submit', function (event) {
    var form = event.target instanceof HTMLFormElement ? event.target : null;
    if (!form || !form.hasAttribute('data-api')) return;
    event.preventDefault();
    submitForm(form, event.submitter).catch(function () { fail(data.msgFailed); });
  });

  // A page of the survey file in the text field, rendered by the server as respondents get it, in a
  // new tab (opened within the click's few seconds of user activation, so no pop-up blocker stops it).
  async function preview(button) {
    var token = store.getItem(TOKEN);
    if (!token) { location.replace(data.signin); return; }
    var res;
    try {
      res = await fetch(button.getAttribute('data-preview'), {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/yaml', Accept: 'text/html' },
        body: byId('definition-text').value
      });
    } catch (e) { fail(data.msgFailed); return; }
    if (!res.ok) { fail(await problemText(res)); return; }
    var url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/html' }));
    // noopener: the preview tab gets no copy of this tab's session (and so none of its token).
    window.open(url, '_blank', 'noopener');
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-preview]') : null;
    if (button) preview(button).catch(function () { fail(data.msgFailed); });
  });

  // A chosen file fills the text field it names, so it can be checked and read before publishing.
  document.addEventListener('change', function (event) {
    var input = event.target instanceof HTMLInputElement ? event.target : null;
    if (!input || input.type !== 'file' || !input.getAttribute('data-fill') || !input.files || !input.files[0]) return;
    input.files[0].text().then(function (text) { byId(input.getAttribute('data-fill')).value = text; });
  });

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest('[data-sign-out]')) store.removeItem(TOKEN);
    if (target.closest('[data-print]')) window.print();
    var link = target.closest('[data-download]');
    if (link) { event.preventDefault(); download(link); }
  });
  // Printing for the committee: closed sections (the city tables) go on paper too.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
  var run = pages[data.page];
  if (run) Promise.resolve(run()).catch(function () { fail(data.msgFailed); });
})();
`;

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
const assets = {
  'console.css': { body: CONSOLE_CSS, type: 'text/css; charset=utf-8', version: hashOf(CONSOLE_CSS) },
  'console.js': { body: CONSOLE_JS, type: 'text/javascript; charset=utf-8', version: hashOf(CONSOLE_JS) },
};
type AssetName = keyof typeof assets;

export const CONSOLE_ASSETS_PATH = '/reports/assets';

/** What pages link to: the version makes the long cache safe when the file changes. */
export const consoleAssetHref = (name: AssetName) => `${CONSOLE_ASSETS_PATH}/${name}?v=${assets[name].version}`;

export function serveConsoleAsset(name: AssetName) {
  const asset = assets[name];
  return (c: Context): Response => {
    const cacheControl =
      c.req.query('v') === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': cacheControl });
  };
}
