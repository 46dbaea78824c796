/*
 * Tug dashboard: the single-page front end.
 *
 * Plain JavaScript, no framework, no build step. Everything the page shows is built with h(),
 * which only ever creates elements and text nodes: server text never goes through innerHTML.
 *
 * Layout of this file:
 *   1. helpers (h(), formatting, status colours)
 *   2. state and session (token, namespace)
 *   3. api() and the logs stream
 *   4. shell: login, namespace selector, live indicator, toast
 *   5. router and the view controller (poller, swap-on-change)
 *   6. views: overview, list, object, logs, create
 *   7. the confirm dialog and the actions (scale, restart, delete)
 *   8. start
 */
(() => {
  'use strict';

  // ---------------------------------------------------------------------------------------------
  // 1. Helpers
  // ---------------------------------------------------------------------------------------------

  /**
   * Creates an element. attrs: plain attributes, plus `class`, `on*` (functions), `dataset`
   * (object) and boolean attributes (true = present, false/null/undefined = absent).
   * Children: strings/numbers (text nodes, never parsed as HTML), nodes, arrays, null (skipped).
   */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (key.startsWith('on') && typeof value === 'function') {
          el.addEventListener(key.slice(2).toLowerCase(), value);
        } else if (key === 'dataset') {
          for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) el.dataset[k] = String(v);
        } else if (key === 'class') {
          el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
        } else if (key === 'value' && (tag === 'input' || tag === 'select' || tag === 'textarea')) {
          el.value = value;
        } else if (key === 'checked' || key === 'selected') {
          el[key] = Boolean(value);
          if (value) el.setAttribute(key, '');
        } else {
          el.setAttribute(key, value === true ? '' : String(value));
        }
      }
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(el, child);
      else if (child instanceof Node) el.appendChild(child);
      else el.appendChild(document.createTextNode(String(child)));
    }
  }

  /** Escapes text for HTML. h() does not need it (it makes text nodes); kept for any string building. */
  function escapeHtml(value) {
    return String(value ?? '').replace(/[&<>"']/g, c => ({
      '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'
    })[c]);
  }

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  const enc = encodeURIComponent;

  function plural(n, word, words) {
    return `${n} ${n === 1 ? word : (words || word + 's')}`;
  }

  function pad2(n) { return String(n).padStart(2, '0'); }

  function clock(date = new Date()) {
    return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
  }

  /** Parses an ISO-8601 timestamp; null when it is not one. */
  function parseTime(value) {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }

  /** kubectl's HumanDuration: 45s, 5m10s, 12m, 3h20m, 10h, 3d4h, 20d, 2y30d. */
  function humanDuration(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    if (seconds < 120) return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
    if (minutes < 180) return `${minutes}m`;
    const hours = Math.floor(minutes / 60);
    if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
    if (hours < 48) return `${hours}h`;
    if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
    if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
    const years = Math.floor(hours / 24 / 365);
    if (years < 8) {
      const days = Math.floor(hours / 24) - years * 365;
      return days === 0 ? `${years}y` : `${years}y${days}d`;
    }
    return `${years}y`;
  }

  function age(iso) {
    const t = parseTime(iso);
    return t === null ? (iso ?? '') : humanDuration(Date.now() - t);
  }

  /** An age that keeps itself current: the poller refreshes every [data-ts] in place. */
  function ageEl(iso) {
    const t = parseTime(iso);
    if (t === null) return h('span', null, iso ?? '—');
    return h('time', { datetime: iso, title: new Date(t).toLocaleString(), dataset: { ts: iso } }, age(iso));
  }

  function refreshAges(root = document) {
    for (const el of $$('[data-ts]', root)) {
      const text = age(el.dataset.ts);
      if (el.textContent !== text) el.textContent = text;
    }
  }

  const GREEN = new Set(['running', 'ready', 'true', 'succeeded', 'complete', 'completed', 'active', 'bound', 'normal', 'available']);
  const AMBER = new Set(['pending', 'containercreating', 'podinitializing', 'terminating', 'unknown', 'waiting', 'suspended', 'schedulingdisabled']);
  const RED = new Set(['failed', 'error', 'crashloopbackoff', 'notready', 'warning', 'false', 'imagepullbackoff',
    'errimagepull', 'oomkilled', 'evicted', 'invalidimagename', 'createcontainerconfigerror', 'createcontainererror',
    'backofflimitexceeded', 'deadlineexceeded', 'runcontainererror', 'containerstatusunknown']);

  /** 'ok' | 'warn' | 'bad' | '' for a status word (for "Ready,SchedulingDisabled" the worst part wins). */
  function statusTone(text) {
    const parts = String(text ?? '').split(/[,\s]+/).filter(Boolean).map(p => p.toLowerCase());
    let tone = '';
    for (const p of parts) {
      const word = p.startsWith('init:') ? 'pending' : p;
      if (RED.has(word)) return 'bad';
      if (AMBER.has(word)) tone = 'warn';
      else if (GREEN.has(word) && !tone) tone = 'ok';
    }
    return tone;
  }

  /** "2/3" -> 'warn', "3/3" -> 'ok', else ''. */
  function fractionTone(text) {
    const m = /^(\d+)\/(\d+)$/.exec(String(text ?? '').trim());
    if (!m) return '';
    return Number(m[1]) >= Number(m[2]) ? 'ok' : 'warn';
  }

  const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
  const DECIMAL = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

  /** Memory quantities for people: "24684092Ki" -> "23.5Gi", "536870912" -> "512Mi"; others unchanged. */
  function formatBytes(quantity) {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(String(quantity ?? '').trim());
    if (!m) return quantity ?? '';
    const bytes = Number(m[1]) * (m[2] ? (BINARY[m[2]] || DECIMAL[m[2]]) : 1);
    if (bytes === 0) return '0';
    for (const unit of ['Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const v = bytes / BINARY[unit];
      if (v >= 1) return `${Number.isInteger(v) ? v : v.toFixed(v >= 100 ? 0 : 1).replace(/\.0$/, '')}${unit}`;
    }
    return String(bytes);
  }

  function badge(text, tone = statusTone(text)) {
    return h('span', { class: ['badge', tone && 'tone-' + tone] }, text);
  }

  // ---------------------------------------------------------------------------------------------
  // 2. State and session
  // ---------------------------------------------------------------------------------------------

  const TOKEN_KEY = 'tug.token';
  const NAMESPACE_KEY = 'tug.namespace';
  const POLL_MS = 2000;
  const REQUEST_TIMEOUT_MS = 15000;

  /** Resources the dashboard shows: plural -> [display name, singular label, namespaced]. */
  const RESOURCES = {
    nodes: ['Nodes', 'node', false],
    namespaces: ['Namespaces', 'namespace', false],
    deployments: ['Deployments', 'deployment', true],
    replicasets: ['ReplicaSets', 'replicaset', true],
    daemonsets: ['DaemonSets', 'daemonset', true],
    jobs: ['Jobs', 'job', true],
    pods: ['Pods', 'pod', true],
    services: ['Services', 'service', true],
    configmaps: ['ConfigMaps', 'configmap', true],
    secrets: ['Secrets', 'secret', true],
    events: ['Events', 'event', true],
  };
  const isNamespaced = resource => RESOURCES[resource] ? RESOURCES[resource][2] : true;
  const displayName = resource => RESOURCES[resource] ? RESOURCES[resource][0] : resource;

  const session = {
    get token() { return sessionStorage.getItem(TOKEN_KEY) || ''; },
    set token(v) { if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY); },
    get namespace() { return sessionStorage.getItem(NAMESPACE_KEY) || ''; },
    set namespace(v) { sessionStorage.setItem(NAMESPACE_KEY, v || ''); },
  };

  /** Hash of an object page. Cluster-scoped objects use "-" for the namespace. */
  function objectHref(resource, namespace, name) {
    const ns = isNamespaced(resource) && namespace ? namespace : '-';
    return `#/object/${enc(resource)}/${enc(ns)}/${enc(name)}`;
  }

  function logsHref(namespace, pod, container) {
    return `#/logs/${enc(namespace)}/${enc(pod)}` + (container ? `?container=${enc(container)}` : '');
  }

  function listHref(resource) {
    if (resource === 'namespaces') return '#/namespaces';
    if (resource === 'nodes') return '#/nodes';
    return `#/list/${enc(resource)}`;
  }

  // ---------------------------------------------------------------------------------------------
  // 3. api()
  // ---------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  /**
   * Calls the backend: relative URL, the token header, JSON in and out. Non-2xx becomes an
   * ApiError with the backend's message; 401 also goes back to the login view.
   */
  async function api(path, { method = 'GET', body, signal, timeout = REQUEST_TIMEOUT_MS } = {}) {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new DOMException('Timed out', 'TimeoutError')), timeout);
    const onAbort = () => ac.abort(signal.reason);
    if (signal) {
      if (signal.aborted) ac.abort(signal.reason);
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    const headers = { 'Accept': 'application/json' };
    if (session.token) headers['X-Dashboard-Token'] = session.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        signal: ac.signal, cache: 'no-store', credentials: 'same-origin',
      });
    } catch (e) {
      if (signal && signal.aborted) throw e;
      if (ac.signal.aborted) throw new ApiError('The dashboard did not answer in time.', 0);
      throw new ApiError('Cannot reach the dashboard.', 0);
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (_) { data = null; }
    }
    if (!response.ok) {
      const message = (data && typeof data.message === 'string' && data.message) ||
        text.trim().slice(0, 300) || `HTTP ${response.status} ${response.statusText}`;
      const error = new ApiError(message, response.status);
      if (response.status === 401 && path !== 'api/login') unauthorized(message);
      throw error;
    }
    return data;
  }

  /** Reads the logs endpoint as a stream; onText gets each decoded chunk. Resolves when it ends. */
  async function streamLogs(path, signal, onText) {
    const headers = { 'Accept': 'text/plain' };
    if (session.token) headers['X-Dashboard-Token'] = session.token;
    const response = await fetch(path, { headers, signal, cache: 'no-store' });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let message = '';
      try { message = JSON.parse(text).message || ''; } catch (_) { message = text.trim().slice(0, 300); }
      message = message || `HTTP ${response.status}`;
      if (response.status === 401) unauthorized(message);
      throw new ApiError(message, response.status);
    }
    const decoder = new TextDecoder();
    if (!response.body) {
      onText(await response.text());
      return;
    }
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        if (text) onText(text);
      }
      const rest = decoder.decode();
      if (rest) onText(rest);
    } finally {
      reader.releaseLock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Shell: login, namespace selector, live indicator, toast
  // ---------------------------------------------------------------------------------------------

  function showLogin(message = '') {
    stopView();
    closeConfirm();
    $('#app').hidden = true;
    $('#login-view').hidden = false;
    $('#login-error').textContent = message;
    $('#token').value = '';
    $('#token').focus();
    document.title = 'Sign in · Tug dashboard';
  }

  function showApp() {
    $('#login-view').hidden = true;
    $('#login-error').textContent = '';
    $('#app').hidden = false;
  }

  function unauthorized(message) {
    if (!session.token && !$('#login-view').hidden) return;
    session.token = '';
    showLogin(`Signed out: ${message || 'the token is missing or wrong'}. Sign in again.`);
  }

  async function onLogin(event) {
    event.preventDefault();
    const token = $('#token').value.trim();
    const error = $('#login-error');
    if (!token) {
      error.textContent = 'Enter the dashboard token.';
      $('#token').focus();
      return;
    }
    const button = $('#login');
    button.disabled = true;
    error.textContent = '';
    try {
      await api('api/login', { method: 'POST', body: { token } });
      session.token = token;
      showApp();
      loadNamespaces();
      route();
    } catch (e) {
      error.textContent = e.status === 401 ? (e.message || 'The token is not valid.') : e.message;
      $('#token').select();
    } finally {
      button.disabled = false;
    }
  }

  function onLogout() {
    session.token = '';
    showLogin('');
  }

  // Namespace selector ---------------------------------------------------------------------------

  let knownNamespaces = [];

  function setNamespaceOptions(namespaces) {
    if (!Array.isArray(namespaces)) return;
    const list = [...namespaces].sort();
    const selected = session.namespace;
    if (selected && !list.includes(selected)) list.push(selected);
    if (JSON.stringify(list) === JSON.stringify(knownNamespaces) && $('#namespace').options.length === list.length + 1) return;
    knownNamespaces = list;
    const select = $('#namespace');
    select.replaceChildren(
      h('option', { value: '' }, 'All namespaces'),
      ...list.map(ns => h('option', { value: ns }, ns)));
    select.value = selected;
    const datalist = $('#namespace-names');
    if (datalist) datalist.replaceChildren(...namespaces.map(ns => h('option', { value: ns })));
  }

  let namespacesLoadedAt = 0;

  async function loadNamespaces() {
    namespacesLoadedAt = Date.now();
    // Views that do not poll (create, logs) let this request drive the live indicator.
    const drivesLive = () => controller && !controller.def.load && !controller.streaming;
    try {
      const data = await api('api/overview');
      setNamespaceOptions(data && data.namespaces);
      if (drivesLive()) setLive(true);
    } catch (e) {
      if (drivesLive() && e.status !== 401) setLive(false, e.message);
    }
  }

  function onNamespaceChange() {
    session.namespace = $('#namespace').value;
    if (controller && controller.onNamespace) controller.onNamespace();
  }

  // Live indicator ---------------------------------------------------------------------------------

  function setLive(ok, detail) {
    const live = $('#live');
    live.classList.toggle('bad', !ok);
    live.classList.toggle('ok', ok);
    live.textContent = ok ? `Live · ${detail || 'updated ' + clock()}` : 'Disconnected';
    live.title = ok ? '' : (detail || 'A request failed');
  }

  // Toast ------------------------------------------------------------------------------------------

  let toastTimer = 0;

  function toast(message, tone = 'ok') {
    const el = $('#toast');
    el.textContent = message;
    el.className = `toast tone-${tone}`;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Router and view controller
  // ---------------------------------------------------------------------------------------------

  /** Parses location.hash into a route; null for unknown hashes. */
  function parseHash(hash) {
    const raw = (hash || '').replace(/^#\/?/, '');
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    let parts;
    try {
      parts = path.split('/').filter(p => p !== '').map(decodeURIComponent);
    } catch (_) {
      return null;
    }
    const [first, ...rest] = parts;
    switch (first) {
      case undefined:
      case 'overview':
        return rest.length === 0 ? { view: 'overview', nav: 'overview' } : null;
      case 'namespaces':
      case 'nodes':
        return rest.length === 0 ? { view: 'list', resource: first, nav: first, query } : null;
      case 'list':
        if (rest.length !== 1 || !RESOURCES[rest[0]]) return null;
        return { view: 'list', resource: rest[0], nav: rest[0], query };
      case 'object':
        if (rest.length !== 3 || !RESOURCES[rest[0]]) return null;
        return { view: 'object', resource: rest[0], namespace: rest[1], name: rest[2], nav: rest[0] };
      case 'logs':
        if (rest.length !== 2) return null;
        return { view: 'logs', namespace: rest[0], pod: rest[1], container: query.get('container') || '', nav: 'pods' };
      case 'create':
        return rest.length === 0 ? { view: 'create', nav: 'create' } : null;
      default:
        return null;
    }
  }

  const VIEWS = {};   // name -> function(route) returning a view definition (see mountView)
  let controller = null;

  function route() {
    if (!session.token) {
      showLogin('');
      return;
    }
    showApp();
    const r = parseHash(location.hash);
    if (!r) {
      // Unknown hash: the overview (replace so Back does not loop).
      history.replaceState(null, '', '#/overview');
      mountView(VIEWS.overview({ view: 'overview', nav: 'overview' }), 'overview');
      return;
    }
    mountView(VIEWS[r.view](r), r.nav);
  }

  function highlightNav(nav) {
    for (const a of $$('#nav a[data-nav]')) {
      const active = a.dataset.nav === nav;
      a.classList.toggle('active', active);
      if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
  }

  function stopView() {
    if (controller) {
      controller.stopped = true;
      if (controller.abort) controller.abort.abort();
      if (controller.def.destroy) {
        try { controller.def.destroy(); } catch (e) { console.error(e); }
      }
    }
    controller = null;
  }

  /**
   * Mounts a view. A view definition has:
   *   title: string
   *   load(signal): Promise<data>           (omit for views that do not fetch)
   *   render(data, ctl): Element            (called again only when the data changed)
   *   poll: boolean                         (refetch every 2 s; default true when load is set)
   *   mount(container, ctl)                 (views that manage themselves, e.g. logs, create)
   *   destroy()                             (leaving the view)
   *   namespaced: boolean                   (re-load when the namespace selector changes)
   */
  function mountView(def, nav) {
    stopView();
    highlightNav(nav);
    document.title = `${def.title} · Tug dashboard`;
    const main = $('#main');
    const view = $('#view');
    main.scrollTop = 0;
    const ctl = {
      def, stopped: false, lastJson: null, data: null, inFlight: null, abort: new AbortController(),
      state: {},           // per-view UI state kept across re-renders (e.g. reveal)
      refresh: () => refreshView(ctl, true),
      rerender: () => { ctl.lastJson = null; if (ctl.data !== null) swap(ctl, ctl.data); },
      onNamespace: null,
    };
    controller = ctl;
    if (def.namespaced) {
      ctl.onNamespace = () => {
        ctl.lastJson = null;
        ctl.data = null;
        view.replaceChildren(loadingEl());
        refreshView(ctl, true);
      };
    } else if (def.onNamespace) {
      ctl.onNamespace = def.onNamespace;
    }
    if (def.mount) {
      view.replaceChildren();
      def.mount(view, ctl);
      return;
    }
    view.replaceChildren(loadingEl());
    refreshView(ctl, true);
  }

  function loadingEl() {
    return h('div', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…');
  }

  /** Fetches the current view's data and swaps the DOM in only when the data changed. */
  async function refreshView(ctl, force = false) {
    if (ctl.stopped || !ctl.def.load) return;
    if (ctl.inFlight && !force) return;
    const gen = (ctl.gen = (ctl.gen || 0) + 1);
    const run = (async () => {
      try {
        const data = await ctl.def.load(ctl.abort.signal, ctl);
        if (ctl.stopped || gen !== ctl.gen) return;
        setLive(true);
        const json = JSON.stringify(data);
        if (json === ctl.lastJson) return;
        if (isConfirmOpen()) return;      // never re-render under an open dialog; next poll will
        ctl.lastJson = json;
        ctl.data = data;
        ctl.error = null;
        swap(ctl, data);
      } catch (e) {
        if (ctl.stopped || gen !== ctl.gen || (e && e.name === 'AbortError')) return;
        if (e.status === 401) return;
        if (e.status === 404) {
          // The object is gone (or never was): say so in the view; the connection is fine.
          setLive(true);
          ctl.lastJson = null;
          ctl.data = null;
          if (!isConfirmOpen() && ctl.error !== '404 ' + e.message) {
            ctl.error = '404 ' + e.message;
            $('#view').replaceChildren(errorPanel('Not found', e.message, true));
          }
          return;
        }
        setLive(false, e.message);
        if (ctl.data === null && !isConfirmOpen()) {
          const text = e.message;
          if (ctl.error !== text) {
            ctl.error = text;
            $('#view').replaceChildren(errorPanel('Could not load this page', text, false));
          }
        }
      }
    })();
    ctl.inFlight = run;
    try { await run; } finally { if (ctl.inFlight === run) ctl.inFlight = null; }
  }

  /** Renders into a fresh element and swaps it in, keeping scroll positions and focus. */
  function swap(ctl, data) {
    const main = $('#main');
    const view = $('#view');
    const scrollTop = main.scrollTop;
    const inner = {};
    for (const el of $$('[data-keep-scroll]', view)) inner[el.dataset.keepScroll] = [el.scrollTop, el.scrollLeft];
    const active = document.activeElement;
    const focusKey = active && view.contains(active) ? (active.id || active.dataset.focusKey || '') : '';
    let fresh;
    try {
      fresh = ctl.def.render(data, ctl);
    } catch (e) {
      console.error(e);
      fresh = errorPanel('This page failed to render', String(e && e.message || e), false);
    }
    view.replaceChildren(fresh);
    for (const el of $$('[data-keep-scroll]', view)) {
      const saved = inner[el.dataset.keepScroll];
      if (saved) { el.scrollTop = saved[0]; el.scrollLeft = saved[1]; }
    }
    main.scrollTop = scrollTop;
    if (focusKey) {
      const target = document.getElementById(focusKey) || $(`[data-focus-key="${CSS.escape(focusKey)}"]`, view);
      if (target) target.focus({ preventScroll: true });
    }
  }

  function errorPanel(title, message, notFound) {
    const r = parseHash(location.hash);
    const back = r && r.resource && r.view === 'object'
      ? h('a', { href: listHref(r.resource) }, `Back to ${displayName(r.resource)}`)
      : h('a', { href: '#/overview' }, 'Back to the overview');
    return h('div', { class: 'panel error-panel' },
      h('h2', null, title),
      h('p', { class: 'error-message' }, message),
      notFound ? h('p', null, back) : h('p', { class: 'muted' }, 'Retrying every 2 seconds…'));
  }

  // The poller: one timer for the whole page.
  function tick() {
    if (document.visibilityState !== 'visible' || !session.token || $('#app').hidden) return;
    refreshAges($('#view'));
    const ctl = controller;
    if (ctl && ctl.def.load && ctl.def.poll !== false && !isConfirmOpen()) refreshView(ctl, false);
    if (Date.now() - namespacesLoadedAt > 15000 && !(ctl && ctl.def.providesNamespaces)) loadNamespaces();
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Views
  // ---------------------------------------------------------------------------------------------

  function pageHeader(title, subtitle, ...actions) {
    return h('div', { class: 'page-header' },
      h('div', { class: 'page-title' }, h('h1', null, title), subtitle ? h('div', { class: 'subtitle' }, subtitle) : null),
      actions.length ? h('div', { class: 'page-actions' }, actions) : null);
  }

  function section(title, body, extra, id) {
    return h('section', { class: 'section', id: id || null },
      h('div', { class: 'section-header' }, h('h2', null, title), extra || null),
      body);
  }

  function bar(percent, label) {
    const p = Math.max(0, Math.min(100, Number(percent) || 0));
    const tone = p >= 90 ? 'bad' : p >= 70 ? 'warn' : 'ok';
    return h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(p), 'aria-label': label },
      h('div', { class: `bar-fill tone-${tone}`, style: `width:${p}%` }));
  }

  // Overview -------------------------------------------------------------------------------------

  VIEWS.overview = () => ({
    title: 'Overview',
    providesNamespaces: true,
    load: async signal => {
      const data = await api('api/overview', { signal });
      setNamespaceOptions(data && data.namespaces);
      namespacesLoadedAt = Date.now();
      return data;
    },
    render: renderOverview,
  });

  function renderOverview(data) {
    const nodes = data.nodes || [];
    const counts = data.counts || {};
    const pods = counts.pods || {};
    const namespaces = data.namespaces || [];
    const warnings = data.warnings || [];
    const readyNodes = nodes.filter(n => n.ready).length;

    const tile = (label, value, href, note) => h('a', { class: 'tile', href },
      h('div', { class: 'tile-value' }, String(value ?? 0)),
      h('div', { class: 'tile-label' }, label),
      note ? h('div', { class: 'tile-note' }, note) : null);

    const tiles = h('div', { class: 'tiles' },
      tile('Nodes', nodes.length, '#/nodes', `${readyNodes} ready`),
      tile('Namespaces', namespaces.length, '#/namespaces'),
      tile('Deployments', counts.deployments, '#/list/deployments'),
      tile('ReplicaSets', counts.replicasets, '#/list/replicasets'),
      tile('DaemonSets', counts.daemonsets, '#/list/daemonsets'),
      tile('Jobs', counts.jobs, '#/list/jobs'),
      tile('Pods', pods.total ?? 0, '#/list/pods', pods.Running !== undefined ? `${pods.Running} running` : null),
      tile('Services', counts.services, '#/list/services'),
      tile('ConfigMaps', counts.configmaps, '#/list/configmaps'),
      tile('Secrets', counts.secrets, '#/list/secrets'));

    const nodeCards = nodes.length
      ? h('div', { class: 'node-cards' }, nodes.map(renderNodeCard))
      : h('p', { class: 'empty' }, 'No nodes.');

    return h('div', null,
      pageHeader('Overview', 'Cluster-wide; the namespace selector applies to the lists.'),
      tiles,
      section('Nodes', nodeCards, h('a', { class: 'section-link', href: '#/nodes' }, 'All nodes')),
      h('div', { class: 'grid-2' },
        section('Pods by phase', renderPhases(pods), h('a', { class: 'section-link', href: '#/list/pods' }, 'All pods')),
        section('Namespaces', renderNamespaceList(namespaces), h('a', { class: 'section-link', href: '#/namespaces' }, 'All namespaces'))),
      section('Recent warnings', renderWarnings(warnings), h('a', { class: 'section-link', href: '#/list/events' }, 'All events')));
  }

  function renderNodeCard(node) {
    const cpu = node.cpu || {};
    const mem = node.memory || {};
    const podsInfo = node.pods || {};
    const podPercent = podsInfo.capacity ? Math.round(100 * (podsInfo.count || 0) / podsInfo.capacity) : 0;
    const meter = (label, r, text, percent) => h('div', { class: 'meter' },
      h('div', { class: 'meter-head' },
        h('span', { class: 'meter-label' }, label),
        h('span', { class: 'meter-text' }, text)),
      bar(percent, `${label} ${percent}%`));
    return h('div', { class: 'node-card', dataset: { name: node.name } },
      h('div', { class: 'node-card-head' },
        h('a', { class: 'node-name', href: objectHref('nodes', '-', node.name) }, node.name),
        badge(node.ready ? 'Ready' : 'NotReady', node.ready ? 'ok' : 'bad')),
      h('div', { class: 'node-meta' },
        node.roles ? h('span', { class: 'chip' }, node.roles) : h('span', { class: 'chip muted' }, 'worker'),
        node.address ? h('span', { class: 'mono' }, node.address) : null),
      meter('CPU', cpu, `${cpu.requested ?? '0'} of ${cpu.allocatable ?? '?'} requested · ${cpu.percent ?? 0}%`, cpu.percent),
      meter('Memory', mem, `${formatBytes(mem.requested ?? '0')} of ${formatBytes(mem.allocatable ?? '?')} requested · ${mem.percent ?? 0}%`, mem.percent),
      meter('Pods', podsInfo, `${podsInfo.count ?? 0} of ${podsInfo.capacity ?? '?'}`, podPercent));
  }

  const PHASES = [['Running', 'ok'], ['Pending', 'warn'], ['Succeeded', 'done'], ['Failed', 'bad'], ['Unknown', 'muted']];

  function renderPhases(pods) {
    const total = pods.total || 0;
    const phases = PHASES.filter(([p]) => p !== 'Unknown' || pods[p]);
    const stack = h('div', { class: 'stack-bar', 'aria-hidden': 'true' },
      total ? phases.filter(([p]) => pods[p]).map(([p, tone]) =>
        h('div', { class: `stack-seg tone-${tone}`, style: `width:${(100 * pods[p] / total).toFixed(2)}%`, title: `${p}: ${pods[p]}` }))
        : h('div', { class: 'stack-seg empty-seg', style: 'width:100%' }));
    const legend = h('div', { class: 'phase-legend' }, phases.map(([p, tone]) =>
      h('a', { class: 'phase', dataset: { phase: p }, href: `#/list/pods?fieldSelector=${enc('status.phase=' + p)}`, title: `List the ${p} pods` },
        h('span', { class: `dot tone-${tone}` }),
        h('span', { class: 'phase-name' }, p),
        h('span', { class: 'phase-count' }, String(pods[p] ?? 0)))));
    return h('div', { class: 'panel' },
      h('div', { class: 'phase-total' }, h('strong', null, String(total)), ` ${total === 1 ? 'pod' : 'pods'} in all namespaces`),
      stack, legend);
  }

  function renderNamespaceList(namespaces) {
    if (!namespaces.length) return h('p', { class: 'empty' }, 'No namespaces.');
    return h('div', { class: 'panel' }, h('ul', { class: 'ns-list' }, namespaces.map(ns =>
      h('li', null, h('a', { href: objectHref('namespaces', '-', ns) }, ns)))));
  }

  function renderWarnings(warnings) {
    if (!warnings.length) return h('p', { class: 'empty ok-empty' }, 'No recent warnings.');
    const rows = warnings.map(w => {
      const objectText = `${w.kind || ''} ${w.namespace && isNamespaced(w.resource) ? w.namespace + '/' : ''}${w.name || ''}`.trim();
      const objectCell = w.resource && RESOURCES[w.resource] && w.name
        ? h('a', { href: objectHref(w.resource, w.namespace, w.name) }, objectText)
        : h('span', null, objectText);
      return h('tr', null,
        h('td', { class: 'nowrap' }, ageEl(w.lastSeen)),
        h('td', { class: 'object-cell' }, objectCell),
        h('td', null, badge(w.reason || 'Warning', 'bad')),
        h('td', { class: 'message' }, w.message || ''),
        h('td', { class: 'num' }, String(w.count ?? 1)));
    });
    return h('div', { class: 'table-card' }, h('table', { class: 'data', id: 'warnings' },
      h('thead', null, h('tr', null, h('th', null, 'Last seen'), h('th', null, 'Object'), h('th', null, 'Reason'),
        h('th', null, 'Message'), h('th', { class: 'num' }, 'Count'))),
      h('tbody', null, rows)));
  }

  // Lists ----------------------------------------------------------------------------------------

  VIEWS.list = r => {
    const namespaced = isNamespaced(r.resource);
    const selectors = {};
    for (const key of ['fieldSelector', 'labelSelector']) if (r.query && r.query.get(key)) selectors[key] = r.query.get(key);
    return {
      title: displayName(r.resource),
      namespaced,
      load: async signal => {
        const params = new URLSearchParams();
        params.set('namespace', namespaced ? session.namespace : '');
        for (const [k, v] of Object.entries(selectors)) params.set(k, v);
        const data = await api(`api/list/${enc(r.resource)}?${params}`, { signal });
        return { namespace: namespaced ? session.namespace : '', data };
      },
      render: ({ namespace, data }) => renderList(r.resource, namespace, data, selectors),
    };
  };

  const COLOURED_COLUMNS = new Set(['status', 'phase', 'type', 'state', 'conditions']);

  /** "pod/web-1" (an event's Object column) -> the resource plural, when the dashboard shows it. */
  function resourceOfKind(kind) {
    const k = String(kind || '').toLowerCase();
    for (const [resource, [, singular]] of Object.entries(RESOURCES)) if (singular === k) return resource;
    return null;
  }

  function objectRefLink(text, namespace) {
    const m = /^([A-Za-z]+)\/(.+)$/.exec(text);
    const resource = m && resourceOfKind(m[1]);
    return resource ? h('a', { href: objectHref(resource, namespace, m[2]) }, text) : text;
  }

  function cellContent(column, value, rowStatus = '') {
    const c = column.toLowerCase();
    if (COLOURED_COLUMNS.has(c)) {
      const tone = statusTone(value);
      return tone ? badge(value, tone) : value;
    }
    if (c === 'ready') {
      // A finished pod is 0/1 ready by design: no colour then.
      if (/^(succeeded|completed)$/i.test(rowStatus)) return value;
      const tone = fractionTone(value) || statusTone(value);
      return tone ? h('span', { class: `tone-text-${tone}` }, value) : value;
    }
    return value;
  }

  function renderList(resource, namespace, data, selectors) {
    data = data || {};
    const columns = Array.isArray(data.columns) && data.columns.length ? data.columns : ['Name'];
    const rows = Array.isArray(data.rows) ? data.rows : [];
    const namespaced = data.namespaced !== undefined ? Boolean(data.namespaced) : isNamespaced(resource);
    const allNamespaces = namespaced && !namespace;
    const label = displayName(resource);

    const where = namespaced ? (namespace ? `in namespace ${namespace}` : 'in all namespaces') : 'cluster-wide';
    const actions = [];
    if (resource === 'deployments') actions.push(h('a', { class: 'btn primary', href: '#/create', id: 'list-create' }, 'Create an app'));
    const filters = Object.entries(selectors || {});
    const filterBar = filters.length ? h('div', { class: 'filters' },
      filters.map(([k, v]) => h('span', { class: 'chip' }, `${k === 'fieldSelector' ? 'field' : 'label'}: ${v}`)),
      h('a', { href: listHref(resource), class: 'clear-filter' }, 'Clear filter')) : null;

    const header = pageHeader(label, `${plural(rows.length, 'item')} ${where}`, ...actions);
    if (!rows.length) {
      const empty = namespaced
        ? (namespace ? `No ${resource} in namespace ${namespace}.` : `No ${resource} in any namespace.`)
        : `No ${resource}.`;
      return h('div', null, header, filterBar, h('div', { class: 'panel empty-panel' }, h('p', { class: 'empty' }, empty)));
    }

    const headCells = [];
    columns.forEach((col, i) => {
      headCells.push(h('th', { scope: 'col' }, col));
      if (i === 0 && allNamespaces) headCells.push(h('th', { scope: 'col' }, 'Namespace'));
    });
    const statusIndex = columns.findIndex(c => /^(status|phase)$/i.test(c));
    const body = rows.map(row => {
      const cells = Array.isArray(row.cells) ? row.cells : [];
      const rowStatus = statusIndex >= 0 ? String(cells[statusIndex] ?? '') : '';
      const ns = row.namespace || '';
      const tds = [];
      columns.forEach((col, i) => {
        const value = cells[i] ?? '';
        if (i === 0) {
          const name = row.name || String(value);
          tds.push(h('td', { dataset: { column: col }, class: col === 'Name' ? 'name-cell' : null },
            h('a', { href: objectHref(resource, ns, name) }, String(value || name))));
          if (allNamespaces) tds.push(h('td', { dataset: { column: 'Namespace' } }, ns));
        } else {
          const text = String(value);
          const content = resource === 'events' && col === 'Object' ? objectRefLink(text, ns) : cellContent(col, text, rowStatus);
          const cls = /^(message|messages)$/i.test(col) ? 'message' : text.length > 28 ? 'wrap' : null;
          tds.push(h('td', { dataset: { column: col }, class: cls }, content));
        }
      });
      return h('tr', { dataset: { name: row.name || cells[0] || '', namespace: ns } }, tds);
    });
    return h('div', null, header, filterBar,
      h('div', { class: 'table-card' },
        h('table', { class: 'resources data', dataset: { resource } },
          h('thead', null, h('tr', null, headCells)),
          h('tbody', null, body))));
  }

  // Object page ---------------------------------------------------------------------------------

  VIEWS.object = r => ({
    title: `${RESOURCES[r.resource][1]} ${r.name}`,
    load: async (signal, ctl) => {
      const reveal = r.resource === 'secrets' && ctl.state.reveal;
      const path = `api/object/${enc(r.resource)}/${enc(r.namespace || '-')}/${enc(r.name)}` + (reveal ? '?reveal=true' : '');
      return api(path, { signal });
    },
    render: (obj, ctl) => renderObject(r, obj, ctl),
  });

  function renderObject(r, obj, ctl) {
    obj = obj || {};
    const resource = obj.resource || r.resource;
    const namespace = obj.namespace || (r.namespace === '-' ? '' : r.namespace);
    const name = obj.name || r.name;
    const kind = obj.kind || RESOURCES[resource][1];
    const actions = Array.isArray(obj.actions) ? obj.actions : [];
    const target = { resource, namespace, name, kind, obj };

    const buttons = [];
    if (resource === 'pods') {
      buttons.push(h('a', { class: 'btn', href: logsHref(namespace, name), id: 'action-logs' }, 'Logs'));
    }
    if (resource === 'namespaces') {
      buttons.push(h('button', {
        type: 'button', class: 'btn', id: 'action-select-namespace',
        onclick: () => { session.namespace = name; setNamespaceOptions(knownNamespaces.length ? knownNamespaces : [name]); $('#namespace').value = name; toast(`Lists now show namespace ${name}.`); },
      }, 'Use in lists'));
    }
    if (actions.includes('scale')) buttons.push(h('button', { type: 'button', class: 'btn', id: 'action-scale', onclick: () => confirmScale(target) }, 'Scale'));
    if (actions.includes('restart')) buttons.push(h('button', { type: 'button', class: 'btn', id: 'action-restart', onclick: () => confirmRestart(target) }, 'Restart'));
    if (actions.includes('delete')) buttons.push(h('button', { type: 'button', class: 'btn danger', id: 'action-delete', onclick: () => confirmDelete(target) }, 'Delete'));

    const subtitle = h('span', { class: 'meta-line' },
      h('a', { href: listHref(resource) }, displayName(resource)),
      namespace && isNamespaced(resource) ? [' · namespace ', h('a', { href: objectHref('namespaces', '-', namespace) }, namespace)] : null,
      obj.created ? [' · created ', ageEl(obj.created), ' ago'] : null);

    const parts = [
      pageHeader(h('span', null, h('span', { class: 'kind' }, kind), ' ', name), subtitle, ...buttons),
    ];

    const owners = Array.isArray(obj.owners) ? obj.owners : [];
    if (owners.length) {
      // Direct owner first in the API; show the chain from the top down to this object.
      const chain = [...owners].reverse();
      const items = [];
      chain.forEach(o => {
        const label = `${o.kind} ${o.name}`;
        items.push(o.resource && RESOURCES[o.resource]
          ? h('a', { href: objectHref(o.resource, o.namespace || namespace, o.name) }, label)
          : h('span', null, label));
        items.push(h('span', { class: 'sep', 'aria-hidden': 'true' }, '›'));
      });
      items.push(h('span', { class: 'current' }, `${kind} ${name}`));
      parts.push(h('nav', { id: 'owners', class: 'owners', 'aria-label': 'Owners' }, h('span', { class: 'muted' }, 'Owned by '), items));
    }

    const summaryRows = Array.isArray(obj.summary) ? obj.summary : [];
    const summary = h('table', { class: 'summary', id: 'summary' }, h('tbody', null,
      summaryRows.map(([label, value]) => h('tr', null,
        h('th', { scope: 'row' }, String(label ?? '')),
        h('td', null, summaryValue(String(label ?? ''), value)))),
      namespace && isNamespaced(resource) ? h('tr', null, h('th', { scope: 'row' }, 'Namespace'), h('td', null, h('a', { href: objectHref('namespaces', '-', namespace) }, namespace))) : null,
      obj.created ? h('tr', null, h('th', { scope: 'row' }, 'Created'), h('td', null, ageEl(obj.created), h('span', { class: 'muted' }, ` ago · ${obj.created}`))) : null,
      obj.uid ? h('tr', null, h('th', { scope: 'row' }, 'UID'), h('td', { class: 'mono muted' }, obj.uid)) : null));
    const jumps = [['Summary', 'sec-summary']];
    parts.push(section('Summary', h('div', { class: 'table-card' }, summary), null, 'sec-summary'));

    if (Array.isArray(obj.secretKeys)) {
      const revealed = Boolean(ctl.state.reveal);
      const revealBtn = h('button', {
        type: 'button', class: 'btn small', id: 'reveal', 'aria-pressed': String(revealed),
        onclick: () => { ctl.state.reveal = !ctl.state.reveal; ctl.refresh(); },
      }, revealed ? 'Hide values' : 'Reveal values');
      parts.push(section(`Keys (${obj.secretKeys.length})`,
        obj.secretKeys.length
          ? h('div', { class: 'panel' }, h('div', { class: 'chips' }, obj.secretKeys.map(k => h('span', { class: 'chip mono' }, k))))
          : h('p', { class: 'empty' }, 'This secret has no data.'),
        revealBtn));
    }

    if (Array.isArray(obj.containers) && obj.containers.length) {
      parts.push(section('Containers', h('div', { class: 'panel' }, h('ul', { class: 'container-list' },
        obj.containers.map(c => h('li', null, h('span', { class: 'mono' }, c), ' ',
          h('a', { href: logsHref(namespace, name, c), class: 'small-link' }, 'Logs')))))));
    }

    if (Array.isArray(obj.pods)) {
      const showNs = resource === 'nodes' || new Set(obj.pods.map(p => p.namespace)).size > 1;
      parts.push(section(`Pods (${obj.pods.length})`, renderPodTable(obj.pods, showNs, resource, name), null, 'sec-pods'));
      jumps.push([`Pods (${obj.pods.length})`, 'sec-pods']);
    }

    const events = Array.isArray(obj.events) ? obj.events : [];
    parts.push(section(`Events (${events.length})`, renderEvents(events), null, 'sec-events'));
    jumps.push([`Events (${events.length})`, 'sec-events']);

    const yamlActions = h('button', { type: 'button', class: 'btn small', onclick: e => copyText(obj.yaml || '', e.currentTarget) }, 'Copy');
    parts.push(section('YAML', h('pre', { id: 'yaml', class: 'yaml', tabindex: '0', dataset: { keepScroll: 'yaml' } }, obj.yaml || ''), yamlActions, 'sec-yaml'));
    jumps.push(['YAML', 'sec-yaml']);

    // Jump bar under the header: buttons, not hash links (the hash is the route).
    const jumpBar = h('div', { class: 'jump-bar', role: 'navigation', 'aria-label': 'Sections' },
      jumps.map(([label, id]) => h('button', {
        type: 'button', class: 'jump', dataset: { focusKey: `jump-${id}` },
        onclick: () => { const target = document.getElementById(id); if (target) target.scrollIntoView({ block: 'start', behavior: 'smooth' }); },
      }, label)));
    parts.splice(owners.length ? 2 : 1, 0, jumpBar);

    return h('div', { class: 'object-page' }, parts);
  }

  function summaryValue(label, value) {
    if (value === null || value === undefined) return '—';
    if (Array.isArray(value)) return value.join(', ');
    const text = String(value);
    const l = label.toLowerCase();
    if (l === 'status' || l === 'phase' || l === 'ready' || l === 'condition') {
      const tone = statusTone(text);
      if (tone) return badge(text, tone);
    }
    if (l === 'node' && text && text !== '-' && text !== '<none>') return h('a', { href: objectHref('nodes', '-', text) }, text);
    return text;
  }

  async function copyText(text, button) {
    try {
      await navigator.clipboard.writeText(text);
      if (button) { button.textContent = 'Copied'; setTimeout(() => { button.textContent = 'Copy'; }, 1500); }
    } catch (_) {
      toast('Copy is not allowed here: select the text instead.', 'warn');
    }
  }

  function renderPodTable(pods, showNamespace, ownerResource, ownerName) {
    if (!pods.length) {
      const where = ownerResource === 'nodes' ? `on node ${ownerName}` : ownerResource === 'namespaces' ? `in namespace ${ownerName}` : 'for this object';
      return h('div', { class: 'panel empty-panel' }, h('p', { class: 'empty' }, `No pods ${where}.`));
    }
    const showNode = ownerResource !== 'nodes';
    const columns = ['Name', ...(showNamespace ? ['Namespace'] : []), 'Ready', 'Status', 'Restarts', ...(showNode ? ['Node'] : []), 'Age', 'Logs'];
    const rows = pods.map(p => {
      const cell = (col, content, cls) => h('td', { dataset: { column: col }, class: cls }, content);
      const tds = [cell('Name', h('a', { href: objectHref('pods', p.namespace, p.name) }, p.name), 'name-cell')];
      if (showNamespace) tds.push(cell('Namespace', p.namespace || ''));
      tds.push(
        cell('Ready', cellContent('Ready', String(p.ready ?? ''), String(p.phase ?? ''))),
        cell('Status', cellContent('Status', String(p.phase ?? ''))),
        cell('Restarts', String(p.restarts ?? 0), 'num'),
        showNode ? cell('Node', p.node ? h('a', { href: objectHref('nodes', '-', p.node) }, p.node) : '—') : null,
        cell('Age', podAge(p)),
        cell('Logs', h('a', { href: logsHref(p.namespace, p.name), class: 'small-link' }, 'Logs')));
      return h('tr', { dataset: { name: p.name, namespace: p.namespace || '' } }, tds);
    });
    return h('div', { class: 'table-card' }, h('table', { class: 'resources data', dataset: { resource: 'pods' } },
      h('thead', null, h('tr', null, columns.map(c => h('th', { scope: 'col', class: c === 'Restarts' ? 'num' : null }, c)))),
      h('tbody', null, rows)));
  }

  /** A pod row's age: "age" may be kubectl text ("5m") or ISO; "created" is ISO. */
  function podAge(p) {
    if (parseTime(p.age) !== null) return ageEl(p.age);
    if (p.age !== undefined && p.age !== null && p.age !== '') return String(p.age);
    return parseTime(p.created) !== null ? ageEl(p.created) : '';
  }

  function renderEvents(events) {
    // Newest first, whatever order they came in.
    events = [...events].sort((a, b) => (parseTime(b.lastSeen) || 0) - (parseTime(a.lastSeen) || 0));
    const head = h('thead', null, h('tr', null,
      ['Type', 'Reason', 'Message', 'Count', 'Last seen', 'Source'].map(c => h('th', { scope: 'col', class: c === 'Count' ? 'num' : null }, c))));
    const body = events.length
      ? events.map(e => h('tr', { class: e.type === 'Warning' ? 'row-warning' : null },
        h('td', null, badge(e.type || 'Normal', e.type === 'Warning' ? 'bad' : 'ok')),
        h('td', null, e.reason || ''),
        h('td', { class: 'message' }, e.message || ''),
        h('td', { class: 'num' }, String(e.count ?? 1)),
        h('td', { class: 'nowrap' }, ageEl(e.lastSeen)),
        h('td', { class: 'muted wrap' }, e.source || '')))
      : [h('tr', { class: 'empty-row' }, h('td', { colspan: '6' }, 'No events.'))];
    return h('div', { class: 'table-card' }, h('table', { id: 'events', class: 'data' }, head, h('tbody', null, body)));
  }

  // Logs -------------------------------------------------------------------------------------------

  const MAX_LOG_CHARS = 2_000_000;

  VIEWS.logs = r => {
    let streamAbort = null;
    let container = r.container;
    let follow = true;
    let els = null;
    let generation = 0;
    let bytes = 0;

    function status(text, tone = '') {
      if (!els) return;
      els.status.textContent = text;
      els.status.className = `logs-status${tone ? ' tone-text-' + tone : ''}`;
    }

    function appendText(text) {
      const pre = els.pre;
      const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
      pre.appendChild(document.createTextNode(text));
      bytes += text.length;
      if (bytes > MAX_LOG_CHARS) {
        // Keep the newest half: one text node replaces them all.
        const all = pre.textContent;
        const keep = all.slice(all.length - MAX_LOG_CHARS / 2);
        pre.textContent = keep.slice(keep.indexOf('\n') + 1);
        bytes = pre.textContent.length;
      }
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    }

    function logsPath(withFollow) {
      const params = new URLSearchParams();
      if (container) params.set('container', container);
      if (withFollow) params.set('follow', 'true');
      params.set('tailLines', '500');
      return `api/logs/${enc(r.namespace)}/${enc(r.pod)}?${params}`;
    }

    async function start() {
      if (streamAbort) streamAbort.abort();
      const abort = new AbortController();
      streamAbort = abort;
      const gen = ++generation;
      els.pre.textContent = '';
      bytes = 0;
      const withFollow = follow;
      status(withFollow ? 'Connecting…' : 'Loading…');
      let received = false;
      try {
        await streamLogs(logsPath(withFollow), abort.signal, text => {
          if (gen !== generation) return;
          if (!received) { received = true; if (withFollow) status('Streaming', 'ok'); }
          appendText(text);
        });
        if (gen !== generation) return;
        if (withFollow) {
          status('The stream ended (the container stopped or the connection closed). Toggle Follow to reconnect.', 'warn');
        } else {
          status(`Last ${plural(500, 'line')} at ${clock()} (not following)`);
        }
        if (!els.pre.textContent) els.pre.appendChild(h('span', { class: 'muted' }, '(no output)'));
        setLive(true, withFollow ? 'stream ended' : 'updated ' + clock());
      } catch (e) {
        if (gen !== generation || abort.signal.aborted) return;
        status(e.message || 'The stream failed.', 'bad');
        if (!e.status) setLive(false, e.message);
      }
    }

    function setContainer(c) {
      container = c;
      const url = logsHref(r.namespace, r.pod, c);
      history.replaceState(null, '', url);
      start();
    }

    function fillContainers(names) {
      const select = els.select;
      const list = Array.isArray(names) ? names.slice() : [];
      if (container && !list.includes(container)) list.unshift(container);
      if (!list.length) {
        select.replaceChildren(h('option', { value: '' }, '(default container)'));
        select.disabled = true;
        return;
      }
      select.replaceChildren(...list.map(c => h('option', { value: c }, c)));
      select.disabled = list.length < 2;
      select.value = container || list[0];
    }

    return {
      title: `Logs ${r.pod}`,
      mount(view, ctl) {
        ctl.streaming = true;
        const pre = h('pre', { id: 'logs', class: 'logs', tabindex: '0', 'aria-live': 'off' });
        const select = h('select', { id: 'container', 'aria-label': 'Container', onchange: e => setContainer(e.target.value) },
          container ? h('option', { value: container }, container) : h('option', { value: '' }, 'Loading…'));
        const followBox = h('input', {
          type: 'checkbox', id: 'follow', checked: true,
          onchange: e => {
            follow = e.target.checked;
            start();
          },
        });
        const statusEl = h('span', { class: 'logs-status', id: 'logs-status', role: 'status' });
        els = { pre, select, status: statusEl };
        view.replaceChildren(h('div', { class: 'logs-page' },
          pageHeader(h('span', null, h('span', { class: 'kind' }, 'Logs'), ' ', r.pod),
            h('span', { class: 'meta-line' }, 'Pod ', h('a', { href: objectHref('pods', r.namespace, r.pod) }, `${r.namespace}/${r.pod}`))),
          h('div', { class: 'logs-toolbar' },
            h('label', { class: 'field-inline' }, h('span', null, 'Container'), select),
            h('label', { class: 'field-inline checkbox' }, followBox, h('span', null, 'Follow')),
            h('button', { type: 'button', class: 'btn small', onclick: () => { pre.scrollTop = pre.scrollHeight; } }, 'Jump to end'),
            statusEl),
          pre));
        setLive(true, 'streaming');
        if (container) start();
        api(`api/object/pods/${enc(r.namespace)}/${enc(r.pod)}`, { signal: ctl.abort.signal }).then(obj => {
          if (ctl.stopped) return;
          const names = obj && obj.containers;
          const hadContainer = Boolean(container);
          if (!container && Array.isArray(names) && names.length) container = names[0];
          fillContainers(names);
          if (!hadContainer) start();
        }).catch(e => {
          if (ctl.stopped || (e && e.name === 'AbortError') || e.status === 401) return;
          fillContainers([]);
          if (!container) start();
          if (e.status === 404) status(`Pod ${r.namespace}/${r.pod} was not found.`, 'bad');
        });
      },
      destroy() {
        generation++;
        if (streamAbort) streamAbort.abort();
        streamAbort = null;
        els = null;
      },
    };
  };

  // Create an app ------------------------------------------------------------------------------------

  VIEWS.create = () => ({
    title: 'Create an app',
    mount(view, ctl) {
      const defaultNs = session.namespace || 'default';
      const field = (id, label, input, help, cls) => h('div', { class: ['field', cls] },
        h('label', { for: id }, label), input, help ? h('div', { class: 'help', id: `${id}-help` }, help) : null);
      const text = (id, attrs = {}) => h('input', Object.assign({ id, type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-help` }, attrs));
      const nsInput = text('app-namespace', { value: defaultNs, list: 'namespace-names', 'aria-describedby': null,
        oninput: e => { e.target.dataset.touched = '1'; } });
      const error = h('p', { id: 'app-error', class: 'form-error', role: 'alert' });
      const submit = h('button', { id: 'app-create', type: 'submit', class: 'btn primary' }, 'Create');
      const preview = h('p', { class: 'preview', id: 'app-preview', 'aria-live': 'polite' });
      const form = h('form', { class: 'create-form panel', id: 'create-form', novalidate: true, autocomplete: 'off', onsubmit: onCreate, oninput: updatePreview, onchange: updatePreview },
        h('div', { class: 'form-grid' },
          field('app-name', 'Name', text('app-name', { placeholder: 'web' }),
            'Lowercase letters, digits and "-". Names the Deployment and the Service.', 'half'),
          field('app-namespace', 'Namespace', nsInput, null, 'half'),
          field('app-image', 'Image', text('app-image', { placeholder: 'nginx:1.27' }),
            'A container image, for nodes with the docker runtime.', 'full'),
          field('app-command', 'Command', text('app-command', { class: 'mono', placeholder: 'python3 -m http.server $PORT' }),
            'For nodes with the process runtime: one shell line. The container gets PORT and POD_IP in its environment.', 'full'),
          field('app-replicas', 'Replicas', h('input', { id: 'app-replicas', type: 'number', min: '0', step: '1', value: '1' }), null, 'third'),
          field('app-port', 'Port', h('input', { id: 'app-port', type: 'number', min: '1', max: '65535', step: '1', placeholder: 'none', 'aria-describedby': 'app-port-help' }),
            'Empty: no Service.', 'third'),
          field('app-exposure', 'Exposure', h('select', { id: 'app-exposure', 'aria-describedby': 'app-exposure-help' },
            h('option', { value: 'internal' }, 'internal'),
            h('option', { value: 'NodePort' }, 'NodePort'),
            h('option', { value: 'LoadBalancer' }, 'LoadBalancer')),
            'How the Service is reached.', 'third')),
        error,
        h('div', { class: 'form-actions' }, submit, h('a', { class: 'btn', href: '#/list/deployments' }, 'Cancel')));
      const aside = h('aside', { class: 'panel create-help' },
        h('h2', null, 'What is created'),
        preview,
        h('dl', null,
          h('dt', null, 'Image or command'), h('dd', null, 'Give at least one. Nodes with the docker runtime run the image; nodes with the process runtime run the command.'),
          h('dt', null, 'internal'), h('dd', null, 'A ClusterIP Service, reachable inside the cluster.'),
          h('dt', null, 'NodePort'), h('dd', null, 'Also a port on every node.'),
          h('dt', null, 'LoadBalancer'), h('dd', null, 'Also a load balancer, where the cluster has one.')));
      view.replaceChildren(h('div', { class: 'create-page' },
        pageHeader('Create an app', 'A Deployment, and a Service when you give a port.'),
        h('div', { class: 'create-layout' }, form, aside)));
      setNamespaceOptions(knownNamespaces);   // fills the datalist
      updatePreview();
      $('#app-name').focus();
      loadNamespaces();

      function updatePreview() {
        const v = id => $(`#${id}`, form).value.trim();
        const name = v('app-name') || 'NAME';
        const ns = v('app-namespace') || 'default';
        const replicas = v('app-replicas') === '' ? 1 : Number(v('app-replicas'));
        const port = v('app-port');
        const exposure = $('#app-exposure', form).value;
        let sentence = `Deployment ${ns}/${name} with ${plural(replicas, 'replica')}`;
        sentence += port
          ? `, and Service ${name} (${exposure === 'internal' ? 'ClusterIP' : exposure}) on port ${port}.`
          : ', no Service.';
        preview.textContent = sentence;
      }

      async function onCreate(event) {
        event.preventDefault();
        error.textContent = '';
        const value = id => $(`#${id}`, form).value.trim();
        const portText = value('app-port');
        const replicasText = value('app-replicas');
        const body = {
          namespace: value('app-namespace') || 'default',
          name: value('app-name'),
          image: value('app-image'),
          command: value('app-command'),
          replicas: replicasText === '' ? 1 : Number(replicasText),
          port: portText === '' ? null : Number(portText),
          exposure: $('#app-exposure', form).value,
        };
        const fail = (message, focusId) => {
          error.textContent = message;
          error.scrollIntoView({ block: 'nearest' });
          if (focusId) $(`#${focusId}`).focus();
        };
        if (!body.name) return fail('Give the app a name.', 'app-name');
        if (!body.image && !body.command) return fail('Give an image, a command, or both.', 'app-image');
        submit.disabled = true;
        submit.textContent = 'Creating…';
        try {
          const result = await api('api/apps', { method: 'POST', body });
          if (ctl.stopped) return;
          const dep = (result && result.deployment) || { name: body.name, namespace: body.namespace };
          const svc = result && result.service;
          let message = `Created deployment ${dep.namespace}/${dep.name}`;
          if (svc) {
            message += ` and ${svc.type || ''} service ${svc.name}`;
            if (svc.nodePort) message += ` (node port ${svc.nodePort})`;
            else if (svc.clusterIP) message += ` (${svc.clusterIP})`;
          }
          toast(message + '.');
          location.hash = objectHref('deployments', dep.namespace, dep.name);
        } catch (e) {
          if (ctl.stopped || e.status === 401) return;
          fail(e.message, null);
        } finally {
          submit.disabled = false;
          submit.textContent = 'Create';
        }
      }
    },
    onNamespace() {
      const input = $('#app-namespace');
      if (input && !input.dataset.touched) input.value = session.namespace || 'default';
    },
  });

  // ---------------------------------------------------------------------------------------------
  // 7. The confirm dialog and the actions
  // ---------------------------------------------------------------------------------------------

  let confirmState = null;   // { run: async () => result, busy }

  function isConfirmOpen() {
    const d = $('#confirm');
    return Boolean(d && d.open);
  }

  /**
   * Opens the dialog. text: string or function returning the text (re-evaluated on input);
   * extra: nodes for inputs; run: async function doing the action (throws to keep it open).
   */
  function openConfirm({ title, text, extra = [], okLabel = 'OK', danger = false, run }) {
    const dialog = $('#confirm');
    const textFn = typeof text === 'function' ? text : () => text;
    $('#confirm-title').textContent = title;
    $('#confirm-text').textContent = textFn();
    $('#confirm-extra').replaceChildren(...extra);
    $('#confirm-error').textContent = '';
    const ok = $('#confirm-ok');
    ok.textContent = okLabel;
    ok.disabled = false;
    ok.classList.toggle('danger', danger);
    ok.classList.toggle('primary', !danger);
    confirmState = { run, textFn, busy: false };
    if (!dialog.open) dialog.showModal();
    const firstInput = $('#confirm-extra input[type=number]');
    if (firstInput) { firstInput.focus(); firstInput.select(); } else ok.focus();
  }

  function closeConfirm() {
    const dialog = $('#confirm');
    if (dialog && dialog.open) dialog.close();
    confirmState = null;
  }

  async function onConfirmSubmit(event) {
    event.preventDefault();
    if (!confirmState || confirmState.busy) return;
    const state = confirmState;
    const ok = $('#confirm-ok');
    state.busy = true;
    ok.disabled = true;
    $('#confirm-error').textContent = '';
    try {
      const after = await state.run();
      if (confirmState === state) closeConfirm();
      if (typeof after === 'function') after();
    } catch (e) {
      if (e.status === 401) return;
      $('#confirm-error').textContent = e.message;
    } finally {
      state.busy = false;
      ok.disabled = false;
    }
  }

  function targetPath(t) {
    return `${enc(t.resource)}/${enc(isNamespaced(t.resource) && t.namespace ? t.namespace : '-')}/${enc(t.name)}`;
  }

  function targetLabel(t) {
    const kind = (t.kind || RESOURCES[t.resource][1]).toLowerCase();
    return `${kind} ${isNamespaced(t.resource) && t.namespace ? t.namespace + '/' : ''}${t.name}`;
  }

  function confirmScale(t) {
    const current = t.obj.replicas ? Number(t.obj.replicas.desired) || 0 : 0;
    const input = h('input', { type: 'number', id: 'confirm-replicas', min: '0', step: '1', value: String(current) });
    const text = () => {
      const v = input.value.trim();
      return `Scale ${targetLabel(t)} from ${current} to ${v === '' ? '?' : v} ${Number(v) === 1 ? 'replica' : 'replicas'}?`;
    };
    input.addEventListener('input', () => { $('#confirm-text').textContent = text(); });
    openConfirm({
      title: 'Scale',
      text,
      okLabel: 'Scale',
      extra: [h('label', { class: 'field-inline', for: 'confirm-replicas' }, h('span', null, 'Replicas'), input)],
      run: async () => {
        const v = input.value.trim();
        const replicas = Number(v);
        if (v === '' || !Number.isInteger(replicas) || replicas < 0) throw new Error('Replicas must be a whole number, 0 or more.');
        const result = await api(`api/scale/${targetPath(t)}`, { method: 'POST', body: { replicas } });
        toast(`Scaled ${targetLabel(t)} to ${result && result.replicas !== undefined ? result.replicas : replicas} ${replicas === 1 ? 'replica' : 'replicas'}.`);
        return () => controller && controller.refresh();
      },
    });
  }

  function confirmRestart(t) {
    openConfirm({
      title: 'Restart',
      text: `Restart ${targetLabel(t)}: its pods are replaced one by one.`,
      okLabel: 'Restart',
      run: async () => {
        await api(`api/restart/${targetPath(t)}`, { method: 'POST' });
        toast(`Restarting ${targetLabel(t)}.`);
        return () => controller && controller.refresh();
      },
    });
  }

  function deleteConsequence(t) {
    const pods = Array.isArray(t.obj.pods) ? t.obj.pods.length : 0;
    const podText = plural(pods, 'pod');
    switch (t.resource) {
      case 'deployments':
        return pods ? ` Its ReplicaSets and ${podText} are deleted with it.` : ' Its ReplicaSets are deleted with it.';
      case 'replicasets':
      case 'daemonsets':
      case 'jobs':
        return pods ? ` Its ${podText} ${pods === 1 ? 'is' : 'are'} deleted with it.` : '';
      case 'namespaces':
        return ' Everything in it is deleted with it.';
      case 'pods': {
        const owner = Array.isArray(t.obj.owners) && t.obj.owners[0];
        return owner ? ` Its ${owner.kind} ${owner.name} may start a replacement.` : '';
      }
      default:
        return '';
    }
  }

  async function confirmDelete(t) {
    const ctl = controller;
    const button = $('#action-delete');
    let hasService = false;
    if (t.resource === 'deployments') {
      if (button) button.disabled = true;
      try {
        await api(`api/object/services/${enc(t.namespace)}/${enc(t.name)}`);
        hasService = true;
      } catch (e) {
        if (e.status === 401) return;
        hasService = false;
      } finally {
        if (button) button.disabled = false;
      }
      if (!ctl || ctl.stopped || controller !== ctl) return;
    }
    const extra = [];
    let withService = null;
    if (hasService) {
      withService = h('input', { type: 'checkbox', id: 'confirm-with-service', checked: true });
      extra.push(h('label', { class: 'field-inline checkbox', for: 'confirm-with-service' }, withService, h('span', null, `Also delete service ${t.name}`)));
    }
    openConfirm({
      title: 'Delete',
      text: `Delete ${targetLabel(t)}?${deleteConsequence(t)}`,
      okLabel: 'Delete',
      danger: true,
      extra,
      run: async () => {
        const query = withService && withService.checked ? '?withService=true' : '';
        const result = await api(`api/object/${targetPath(t)}${query}`, { method: 'DELETE' });
        const deleted = result && Array.isArray(result.deleted) && result.deleted.length ? result.deleted.join(', ') : `${t.resource}/${t.name}`;
        toast(`Deleted ${deleted}.`);
        return () => { location.hash = listHref(t.resource); };
      },
    });
  }

  // ---------------------------------------------------------------------------------------------
  // 8. Start
  // ---------------------------------------------------------------------------------------------

  function start() {
    // A datalist for the namespace field of the create form.
    document.body.appendChild(h('datalist', { id: 'namespace-names' }));

    $('#login-form').addEventListener('submit', onLogin);
    $('#logout').addEventListener('click', onLogout);
    $('#namespace').addEventListener('change', onNamespaceChange);
    $('#confirm-form').addEventListener('submit', onConfirmSubmit);
    $('#confirm-cancel').addEventListener('click', closeConfirm);
    $('#confirm').addEventListener('close', () => { confirmState = null; });
    // Clicking the backdrop closes the dialog too.
    $('#confirm').addEventListener('click', e => { if (e.target === e.currentTarget) closeConfirm(); });

    const ns = session.namespace;
    if (ns) {
      $('#namespace').appendChild(h('option', { value: ns }, ns));
      $('#namespace').value = ns;
    }

    window.addEventListener('hashchange', route);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') tick(); });
    setInterval(tick, POLL_MS);
    setInterval(() => refreshAges(document), 1000);

    if (session.token) {
      showApp();
      loadNamespaces();
    }
    route();
  }

  // Exposed for debugging in the console only.
  window.tugDashboard = { api, parseHash, humanDuration, statusTone, formatBytes, escapeHtml };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
