// The Mast dashboard: a page of the admin listener that reads and acts through the admin API (/api/v1) with the
// token the user signs in with (kept for this tab only). No library, nothing fetched from elsewhere.
'use strict';

const POLL_MS = 2000;
const WINDOW = 150; // samples kept: 5 minutes at one every 2 s
const state = {token: sessionStorage.getItem('mast-token') || '', samples: [], last: null, timer: null};

const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const headers = {'Accept': 'application/json'};
  if (state.token) headers['Authorization'] = 'Bearer ' + state.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch('/api/v1/' + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  if (r.status === 401) {
    showLogin('The token was refused.');
    throw new Error('unauthorized');
  }
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error(json && json.message ? json.message : 'HTTP ' + r.status);
  return json;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'onclick') e.addEventListener('click', v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c === null || c === undefined ? '-' : c);
  return e;
}

function showError(e) {
  $('error').textContent = e && e.message !== 'unauthorized' ? 'Error: ' + e.message : '';
}

// ---- sign in ----

function showLogin(message) {
  stopPolling();
  document.querySelectorAll('.page').forEach((p) => p.hidden = true);
  $('tabs').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
}

async function signIn(token) {
  state.token = token;
  try {
    const status = await api('GET', 'status');
    sessionStorage.setItem('mast-token', token);
    $('login').hidden = true;
    $('tabs').hidden = false;
    $('logout').hidden = !token;
    $('broker').textContent = status.name + ' · ' + status.version;
    route();
  } catch (e) {
    if (e.message !== 'unauthorized') $('login-error').textContent = e.message;
  }
}

// ---- pages ----

const pages = {overview, clients, subscriptions, retained, plugins, exhooks};

function route() {
  const name = (location.hash || '#overview').substring(1);
  const page = pages[name] ? name : 'overview';
  document.querySelectorAll('.page').forEach((p) => p.hidden = p.id !== page);
  document.querySelectorAll('#tabs a').forEach((a) => a.classList.toggle('active', a.getAttribute('href') === '#' + page));
  stopPolling();
  const refresh = () => pages[page]().then(() => showError(null), showError);
  refresh();
  state.timer = setInterval(refresh, POLL_MS);
}

function stopPolling() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

async function overview() {
  // the rates come from the counters of two samples; the samples go on while other pages show
  const m = await api('GET', 'metrics');
  const now = Date.now();
  const sample = {t: now, conn: m['connections.current'] || 0, sess: m['sessions.current'] || 0, in: 0, out: 0};
  if (state.last) {
    const s = Math.max(0.001, (now - state.last.t) / 1000);
    sample.in = Math.max(0, ((m['messages.received'] || 0) - state.last.received) / s);
    sample.out = Math.max(0, ((m['messages.sent'] || 0) - state.last.sent) / s);
    state.samples.push(sample);
    if (state.samples.length > WINDOW) state.samples.shift();
  }
  state.last = {t: now, received: m['messages.received'] || 0, sent: m['messages.sent'] || 0};
  $('stat-connections').textContent = sample.conn;
  $('stat-sessions').textContent = sample.sess;
  $('stat-subscriptions').textContent = m['subscriptions.current'] || 0;
  $('stat-retained').textContent = m['retained.current'] || 0;
  $('stat-in').textContent = sample.in.toFixed(1);
  $('stat-out').textContent = sample.out.toFixed(1);
  chart($('rate-chart'), [['in', 'in'], ['out', 'out']]);
  chart($('conn-chart'), [['conn', 'conn'], ['sess', 'sess']]);
}

function chart(svg, series) {
  const W = 800, H = 200, TOP = 12, BOTTOM = 8;
  let max = 1;
  for (const [key] of series) for (const s of state.samples) max = Math.max(max, s[key]);
  max = niceMax(max);
  const parts = [];
  for (let i = 0; i <= 4; i++) {
    const y = TOP + (H - TOP - BOTTOM) * i / 4;
    parts.push(`<line class="grid" x1="0" x2="${W}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text x="4" y="${y - 2}">${fmt(max * (4 - i) / 4)}</text>`);
  }
  for (const [key, cls] of series) {
    const pts = state.samples.map((s, i) => {
      const x = W * (i + WINDOW - state.samples.length) / (WINDOW - 1);
      const y = H - BOTTOM - (H - TOP - BOTTOM) * s[key] / max;
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    parts.push(`<polyline class="${cls}" data-series="${key}" points="${pts.join(' ')}"/>`);
    const last = state.samples.length ? state.samples[state.samples.length - 1][key] : 0;
    svg.dataset['last' + key.charAt(0).toUpperCase() + key.substring(1)] = last.toFixed(2);
  }
  svg.innerHTML = parts.join('');
  svg.dataset.samples = state.samples.length;
}

function niceMax(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v) {
  return v >= 100 ? Math.round(v).toLocaleString('en') : (Math.round(v * 10) / 10).toString();
}

async function clients() {
  const like = $('client-search').value.trim();
  const q = 'clients?limit=200' + (like ? '&like=' + encodeURIComponent(like) : '') +
      ($('client-online').checked ? '&connected=true' : '');
  const page = await api('GET', q);
  const rows = page.data.map((c) => el('tr', {'data-clientid': c.clientid},
      el('td', {}, el('a', {class: 'client-link', onclick: () => showClient(c.clientid)}, c.clientid)),
      el('td', {}, c.connected ? 'yes' : 'no'), el('td', {}, c.username),
      el('td', {}, c.ip_address ? c.ip_address + ':' + c.port : null), el('td', {}, c.proto_ver),
      el('td', {}, String(c.subscriptions_cnt)), el('td', {}, String(c.mqueue_len)), el('td', {}, String(c.inflight_cnt)),
      el('td', {}, c.connected ? el('button', {class: 'kick danger', onclick: () => kick(c.clientid)}, 'Kick') : '')));
  $('clients-table').tBodies[0].replaceChildren(...rows);
  $('clients-meta').textContent = page.meta.count + ' client' + (page.meta.count === 1 ? '' : 's') +
      (page.meta.count > page.data.length ? ' (first ' + page.data.length + ' shown)' : '');
}

async function showClient(id) {
  const c = await api('GET', 'clients/' + encodeURIComponent(id));
  const d = $('client-detail');
  const fields = Object.entries(c).filter(([k]) => k !== 'subscriptions')
      .map(([k, v]) => el('tr', {}, el('th', {}, k),
          el('td', {}, v === null ? null : k.endsWith('_at') ? new Date(v).toISOString() : String(v))));
  const subs = c.subscriptions.map((s) => el('tr', {}, el('td', {}, s.topic), el('td', {}, 'QoS ' + s.qos)));
  d.replaceChildren(el('h2', {}, 'Client ' + id), el('table', {}, ...fields), el('h2', {}, 'Subscriptions'),
      el('table', {id: 'client-subscriptions'}, ...subs));
  d.hidden = false;
}

async function kick(id) {
  try {
    await api('DELETE', 'clients/' + encodeURIComponent(id));
    $('clients-meta').textContent = id + ' disconnected';
    await clients();
  } catch (e) {
    showError(e);
  }
}

async function subscriptions() {
  const client = $('sub-client').value.trim();
  const page = await api('GET', 'subscriptions?limit=500' + (client ? '&clientid=' + encodeURIComponent(client) : ''));
  $('subscriptions-table').tBodies[0].replaceChildren(...page.data.map((s) => el('tr', {},
      el('td', {}, s.clientid), el('td', {}, s.topic), el('td', {}, String(s.qos)), el('td', {}, String(s.nl)),
      el('td', {}, String(s.rap)), el('td', {}, String(s.rh)))));
  $('subscriptions-meta').textContent = page.meta.count + ' subscriptions';
}

async function retained() {
  const filter = $('retained-filter').value.trim() || '#';
  const page = await api('GET', 'retained?limit=500&topic=' + encodeURIComponent(filter));
  $('retained-table').tBodies[0].replaceChildren(...page.data.map((m) => el('tr', {'data-topic': m.topic},
      el('td', {}, el('a', {onclick: () => showRetained(m.topic)}, m.topic)), el('td', {}, String(m.qos)),
      el('td', {}, String(m.payload_size)), el('td', {}, m.from_clientid),
      el('td', {}, el('button', {class: 'danger', onclick: () => deleteRetained(m.topic)}, 'Delete')))));
  $('retained-meta').textContent = page.meta.count + ' retained messages';
}

async function showRetained(topic) {
  const m = await api('GET', 'retained/' + encodeURIComponent(topic));
  const d = $('retained-detail');
  d.textContent = m.topic + '\n\n' + (m.payload_text !== null ? m.payload_text : '(binary) ' + m.payload);
  d.hidden = false;
}

async function deleteRetained(topic) {
  try {
    await api('DELETE', 'retained/' + encodeURIComponent(topic));
    await retained();
  } catch (e) {
    showError(e);
  }
}

async function plugins() {
  const list = await api('GET', 'plugins');
  $('plugins-table').tBodies[0].replaceChildren(...list.map((p) => el('tr', {},
      el('td', {}, p.name),
      el('td', {}, Object.entries(p.metrics).map(([k, v]) => k + ' ' + v).join(', ') || null))));
}

async function exhooks() {
  let list;
  try {
    list = await api('GET', 'exhooks');
  } catch (e) {
    $('exhooks-table').tBodies[0].replaceChildren();
    $('exhooks-meta').textContent = 'No hook servers (the exhook: section of the config is not set).';
    return;
  }
  $('exhooks-meta').textContent = list.length + ' hook servers, asked in this order';
  $('exhooks-table').tBodies[0].replaceChildren(...list.map((s, i) => el('tr', {'data-server': s.name},
      el('td', {}, String(i + 1)),
      el('td', {}, el('a', {onclick: () => showExhook(s.name)}, s.name)),
      el('td', {class: 'status-' + s.status}, s.status), el('td', {}, s.failed_action),
      el('td', {}, String(s.metrics.succeeded)), el('td', {}, String(s.metrics.failed)),
      el('td', {}, String(s.metrics.timed_out)),
      el('td', {}, s.metrics.avg_latency_us === undefined ? null : s.metrics.avg_latency_us + ' µs'),
      el('td', {},
          el('button', {onclick: () => exhookAction('PUT', s.name, '', {enable: !s.enable})}, s.enable ? 'Disable' : 'Enable'),
          ' ', el('button', {onclick: () => exhookAction('POST', s.name, '/move', {position: 'front'})}, 'First'),
          ' ', el('button', {onclick: () => exhookAction('POST', s.name, '/move', {position: 'rear'})}, 'Last')))));
}

async function showExhook(name) {
  const hooks = await api('GET', 'exhooks/' + encodeURIComponent(name) + '/hooks');
  const d = $('exhook-detail');
  d.replaceChildren(el('h2', {}, 'Hooks of ' + name), el('table', {},
      el('tr', {}, el('th', {}, 'Hook'), el('th', {}, 'Succeeded'), el('th', {}, 'Failed'), el('th', {}, 'Avg latency')),
      ...hooks.map((h) => el('tr', {}, el('td', {}, h.name), el('td', {}, String(h.metrics.succeeded)),
          el('td', {}, String(h.metrics.failed)),
          el('td', {}, h.metrics.avg_latency_us === undefined ? null : h.metrics.avg_latency_us + ' µs')))));
  d.hidden = false;
}

async function exhookAction(method, name, suffix, body) {
  try {
    await api(method, 'exhooks/' + encodeURIComponent(name) + suffix, body);
    await exhooks();
  } catch (e) {
    showError(e);
  }
}

// ---- start ----

window.addEventListener('hashchange', route);
document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn($('token').value);
  });
  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem('mast-token');
    state.token = '';
    showLogin('');
  });
  $('client-search').addEventListener('input', () => clients().catch(showError));
  $('client-online').addEventListener('change', () => clients().catch(showError));
  $('sub-client').addEventListener('input', () => subscriptions().catch(showError));
  $('retained-filter').addEventListener('input', () => retained().catch(showError));
  // a broker without a token answers at once; one with a token shows the sign-in form
  signIn(state.token);
});
