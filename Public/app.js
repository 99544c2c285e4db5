// Gatehouse demo SPA. Plain JS, no build step, no storage: the session lives in an HttpOnly
// cookie that this script can neither read nor needs to. Every call sends X-CSRF: 1.
'use strict';

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at', 'session_expires_at']);
const $ = (id) => document.getElementById(id);

const state = {
  user: null,
  countdown: null,
  retry: null,
  sessionsRequest: 0, // sequence number of the latest GET /bff/sessions: only its answer is shown
  sessionsLoadedAt: 0,
  sessionsTick: null,
  otherSessions: 0,
};

/** fetch with the BFF's rules: same-origin cookies, the CSRF header, JSON, never cached. */
function bff(path, options = {}) {
  return fetch(path, {
    method: options.method || 'GET',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { 'X-CSRF': '1', Accept: 'application/json' },
  });
}

/** Reads a JSON body if there is one; a non-JSON body (an HTML error page) comes back as text. */
async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function show(view) {
  for (const id of ['loading', 'signed-out', 'signed-in']) $(id).hidden = id !== view;
  $('account').hidden = view !== 'signed-in';
}

function showBanner(message, retry) {
  $('banner-text').textContent = message;
  state.retry = retry || null;
  $('banner-retry').hidden = !retry;
  $('banner').hidden = false;
}

function hideBanner() {
  $('banner').hidden = true;
  state.retry = null;
}

function describeError(status, body) {
  const detail = body && typeof body === 'object' ? body.message || body.error_description || body.error || body.reason : null;
  const reasons = {
    401: 'Your session has ended. Sign in again to continue.',
    403: 'Gatehouse refused the request (the CSRF header was not accepted).',
    502: 'The API could not be reached through Gatehouse.',
    503: 'The session store is unavailable. Gatehouse keeps running; try again in a moment.',
    504: 'The API took too long to answer.',
  };
  const base = reasons[status] || `The request failed with status ${status}.`;
  return detail && !base.includes(detail) ? `${base} (${detail})` : base;
}

// ---- Session ---------------------------------------------------------------------------

async function loadUser({ focus = false } = {}) {
  let response;
  try {
    response = await bff('/bff/user');
  } catch {
    show('signed-out');
    showBanner('Gatehouse could not be reached. Check that it is running, then try again.', () => loadUser());
    return;
  }
  if (response.status === 401) {
    hideBanner();
    signedOut(focus);
  } else if (response.status === 503) {
    show('signed-out');
    showBanner('The session store is unavailable, so your session cannot be checked right now.', () => loadUser());
  } else if (response.ok) {
    const user = await readBody(response);
    if (!user || typeof user !== 'object') {
      showBanner('Gatehouse answered /bff/user with something that is not JSON.', () => loadUser());
      return;
    }
    hideBanner();
    signedIn(user, focus);
  } else {
    show('signed-out');
    showBanner(describeError(response.status, await readBody(response)), () => loadUser());
  }
}

function signedOut(focus) {
  state.user = null;
  stopCountdown();
  clearSessions();
  show('signed-out');
  if (focus) $('signed-out-title').focus();
}

function signedIn(user, focus) {
  state.user = user;
  const name = user.name || user.preferred_username
    || [user.given_name, user.family_name].filter(Boolean).join(' ') || user.email || user.sub || 'there';
  $('user-name').textContent = name;
  $('account-name').textContent = user.email || name;
  $('user-email').textContent = user.email || '—';
  $('user-sub').textContent = user.sub || '—';
  renderClaims(user);
  startCountdown(Number(user.session_expires_at));
  show('signed-in');
  if (focus) $('signed-in-title').focus();
  loadSessions();
}

function renderClaims(claims) {
  const rows = Object.keys(claims).sort().map((key) => {
    const row = document.createElement('tr');
    const name = document.createElement('td');
    const value = document.createElement('td');
    name.textContent = key;
    const raw = claims[key];
    value.textContent = typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : String(raw);
    if (TIME_CLAIMS.has(key) && Number.isFinite(raw)) {
      const when = document.createElement('time');
      when.className = 'when';
      when.dateTime = new Date(raw * 1000).toISOString();
      when.textContent = new Date(raw * 1000).toLocaleString();
      value.append(when);
    }
    row.append(name, value);
    return row;
  });
  $('claims').replaceChildren(...rows);
}

// ---- Countdown -------------------------------------------------------------------------

function formatDuration(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s)} s` : `${m} min ${pad(s)} s`;
}

function startCountdown(expiresAt) {
  stopCountdown();
  const output = $('session-remaining');
  if (!Number.isFinite(expiresAt)) {
    output.textContent = 'unknown';
    return;
  }
  output.dateTime = new Date(expiresAt * 1000).toISOString();
  output.title = `Ends at ${new Date(expiresAt * 1000).toLocaleString()}`;
  const tick = () => {
    const left = Math.floor(expiresAt - Date.now() / 1000);
    if (left <= 0) {
      output.textContent = 'expired';
      stopCountdown();
      loadUser({ focus: true }); // the server decides; it may have extended the session
      return;
    }
    output.textContent = formatDuration(left);
  };
  tick();
  state.countdown = setInterval(tick, 1000);
}

function stopCountdown() {
  if (state.countdown) clearInterval(state.countdown);
  state.countdown = null;
}

// ---- Actions ---------------------------------------------------------------------------

function signIn() {
  const returnUrl = window.location.pathname + window.location.search;
  window.location.assign(`/bff/login?returnUrl=${encodeURIComponent(returnUrl)}`);
}

async function callApi() {
  const button = $('call-api');
  const status = $('api-status');
  const body = $('api-body');
  button.disabled = true;
  button.textContent = 'Calling…';
  const started = performance.now();
  try {
    const response = await bff('/api/me');
    const payload = await readBody(response);
    const ms = Math.round(performance.now() - started);
    $('api-result').hidden = false;
    if (response.ok) {
      status.className = 'status ok';
      status.textContent = `${response.status} ${response.statusText || 'OK'} · ${ms} ms`;
      body.textContent = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
    } else {
      status.className = 'status error';
      status.textContent = `${response.status} · ${describeError(response.status, payload)}`;
      body.textContent = payload === null ? '(no body)' : typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
      if (response.status === 401) loadUser();
    }
  } catch {
    $('api-result').hidden = false;
    status.className = 'status error';
    status.textContent = 'The request did not complete: Gatehouse could not be reached.';
    body.textContent = '';
  } finally {
    button.disabled = false;
    button.textContent = 'Call the API';
  }
}

async function signOut() {
  const button = $('sign-out');
  button.disabled = true;
  try {
    const response = await bff('/bff/logout', { method: 'POST' });
    const payload = await readBody(response);
    if (!response.ok) {
      showBanner(`Signing out failed. ${describeError(response.status, payload)}`, signOut);
      return;
    }
    const target = payload && typeof payload === 'object' ? safeUrl(payload.logout_url) : null;
    stopCountdown();
    if (target) {
      window.location.assign(target);
    } else {
      signedOut(true);
    }
  } catch {
    showBanner('Signing out failed: Gatehouse could not be reached.', signOut);
  } finally {
    button.disabled = false;
  }
}

/** Only http(s) URLs are followed: a logout_url must never become a javascript: navigation. */
function safeUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in').addEventListener('click', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('call-api').addEventListener('click', callApi);
  $('banner-retry').addEventListener('click', () => {
    const retry = state.retry;
    hideBanner();
    if (retry) retry();
  });
  loadUser();
});
