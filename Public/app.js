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
  stepUp: null, // the login_url of the last step_up_required answer
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
    403: 'Gatehouse refused the request.',
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

// ---- Your sessions ---------------------------------------------------------------------
// GET /bff/sessions lists every live session of the user; DELETE /bff/sessions/{id} signs one
// device out; POST /bff/sessions/end-others signs out every device but this one. The list holds
// data other devices sent (their User-Agent): it is only ever written with textContent.

const FOCUS_REFRESH_AFTER_MS = 5000; // coming back to the tab reloads the list, at most this often
const RELATIVE_TICK_MS = 30000;
const DEVICE_FALLBACK_LENGTH = 40;

const BROWSERS = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bHeadlessChrome\//, 'Headless Chrome'],
  [/\bChromium\//, 'Chromium'],
  [/\bChrome\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/^curl\//, 'curl'],
];
const SYSTEMS = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

/** A short readable name for a User-Agent ("Chrome on Linux"); an unknown one is cut short. */
function describeDevice(userAgent) {
  if (typeof userAgent !== 'string' || !userAgent.trim()) return 'Unknown device';
  const ua = userAgent.trim();
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua));
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua));
  if (browser && system) return `${browser[1]} on ${system[1]}`;
  if (browser) return browser[1];
  return ua.length > DEVICE_FALLBACK_LENGTH ? `${ua.slice(0, DEVICE_FALLBACK_LENGTH - 1)}…` : ua;
}

function parseDate(value) {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2 min ago", "in 28 min", "just now". */
function relativeTime(date, now = Date.now()) {
  const diff = Math.round((date.getTime() - now) / 1000); // > 0: in the future
  const abs = Math.abs(diff);
  if (diff <= 0 && abs < 10) return 'just now';
  if (diff > 0 && abs < 60) return 'in under a minute';
  let amount;
  if (abs < 60) amount = `${abs} s`;
  else if (abs < 3600) amount = `${Math.floor(abs / 60)} min`;
  else if (abs < 86400) amount = `${Math.floor(abs / 3600)} h`;
  else {
    const days = Math.floor(abs / 86400);
    amount = `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  return diff > 0 ? `in ${amount}` : `${amount} ago`;
}

function timeCell(value) {
  const cell = document.createElement('td');
  const date = parseDate(value);
  if (!date) {
    cell.textContent = '—';
    return cell;
  }
  const when = document.createElement('time');
  when.dateTime = date.toISOString();
  when.title = date.toLocaleString();
  when.textContent = relativeTime(date);
  cell.append(when);
  return cell;
}

function refreshRelativeTimes() {
  const now = Date.now();
  for (const when of $('sessions').querySelectorAll('time')) {
    const date = parseDate(when.dateTime);
    if (date) when.textContent = relativeTime(date, now);
  }
}

function sessionsMessage(kind, message) {
  const status = $('sessions-status');
  status.className = `status ${kind}`;
  status.textContent = message;
  status.hidden = false;
}

function clearSessionsMessage() {
  const status = $('sessions-status');
  status.hidden = true;
  status.textContent = '';
}

function clearSessions() {
  state.sessionsRequest += 1; // an answer still on its way is dropped
  state.sessionsLoadedAt = 0;
  state.otherSessions = 0;
  if (state.sessionsTick) clearInterval(state.sessionsTick);
  state.sessionsTick = null;
  $('sessions').replaceChildren();
  $('sessions-empty').hidden = true;
  $('end-others').disabled = true;
  $('sessions-refresh').disabled = false;
  $('sessions-card').removeAttribute('aria-busy');
  clearSessionsMessage();
}

/** A 401 from the sessions API: this browser's own session is gone (signed out from elsewhere). */
function sessionEnded() {
  signedOut(true);
  showBanner(describeError(401));
}

function renderSessions(sessions) {
  const rows = sessions.map((session) => {
    const current = session.current === true;
    const device = describeDevice(session.user_agent);
    const ip = typeof session.ip === 'string' && session.ip ? session.ip : null;
    const row = document.createElement('tr');
    row.dataset.sessionId = String(session.id);
    if (current) row.classList.add('current');

    const deviceCell = document.createElement('td');
    const name = document.createElement('span');
    name.className = 'device';
    name.textContent = device;
    if (typeof session.user_agent === 'string' && session.user_agent) name.title = session.user_agent;
    deviceCell.append(name);
    if (current) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = 'This device';
      deviceCell.append(' ', badge);
    }

    const ipCell = document.createElement('td');
    ipCell.className = 'ip';
    ipCell.textContent = ip || '—';

    const actions = document.createElement('td');
    actions.className = 'actions';
    if (!current) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button secondary small session-sign-out';
      button.textContent = 'Sign out';
      button.setAttribute('aria-label', ip ? `Sign out ${device} (${ip})` : `Sign out ${device}`);
      button.addEventListener('click', () => endSession(session.id, device, button));
      actions.append(button);
    }

    row.append(deviceCell, ipCell, timeCell(session.last_seen_at), timeCell(session.created_at), timeCell(session.expires_at), actions);
    return row;
  });
  $('sessions').replaceChildren(...rows);
  $('sessions-empty').hidden = rows.length > 0;
  state.otherSessions = sessions.filter((session) => session.current !== true).length;
  $('end-others').disabled = state.otherSessions === 0;
  if (!state.sessionsTick) state.sessionsTick = setInterval(refreshRelativeTimes, RELATIVE_TICK_MS);
}

async function loadSessions() {
  const request = ++state.sessionsRequest;
  const latest = () => request === state.sessionsRequest && state.user !== null;
  $('sessions-card').setAttribute('aria-busy', 'true');
  $('sessions-refresh').disabled = true;
  try {
    const response = await bff('/bff/sessions');
    const payload = await readBody(response);
    if (!latest()) return;
    if (response.status === 401) {
      sessionEnded();
    } else if (!response.ok) {
      sessionsMessage('error', `Your sessions could not be loaded. ${describeError(response.status, payload)}`);
    } else if (!payload || typeof payload !== 'object' || !Array.isArray(payload.sessions)) {
      sessionsMessage('error', 'Gatehouse answered /bff/sessions with something that is not the expected JSON.');
    } else {
      state.sessionsLoadedAt = Date.now();
      renderSessions(payload.sessions.filter((session) => session && typeof session === 'object' && session.id != null));
    }
  } catch {
    if (latest()) sessionsMessage('error', 'Your sessions could not be loaded: Gatehouse could not be reached.');
  } finally {
    if (request === state.sessionsRequest) {
      $('sessions-card').removeAttribute('aria-busy');
      $('sessions-refresh').disabled = false;
    }
  }
}

async function endSession(id, device, button) {
  button.disabled = true;
  button.textContent = 'Signing out…';
  const restore = () => {
    button.disabled = false;
    button.textContent = 'Sign out';
  };
  try {
    const response = await bff(`/bff/sessions/${encodeURIComponent(String(id))}`, { method: 'DELETE' });
    const payload = await readBody(response);
    if (response.status === 401) {
      sessionEnded();
      return;
    }
    if (response.ok) {
      sessionsMessage('ok', `Signed out ${device}.`);
    } else if (response.status === 404) {
      sessionsMessage('ok', `${device} was already signed out.`);
    } else {
      sessionsMessage('error', `Signing out ${device} failed. ${describeError(response.status, payload)}`);
      restore();
      return;
    }
    await loadSessions();
  } catch {
    sessionsMessage('error', `Signing out ${device} failed: Gatehouse could not be reached.`);
    restore();
  }
}

async function endOtherSessions() {
  const button = $('end-others');
  button.disabled = true;
  try {
    const response = await bff('/bff/sessions/end-others', { method: 'POST' });
    const payload = await readBody(response);
    if (response.status === 401) {
      sessionEnded();
      return;
    }
    if (!response.ok) {
      sessionsMessage('error', `Signing out the other devices failed. ${describeError(response.status, payload)}`);
      return;
    }
    const ended = payload && typeof payload === 'object' && Number.isInteger(payload.ended) ? payload.ended : null;
    sessionsMessage('ok', ended === null ? 'Signed out all other devices.' : `Ended ${ended} ${ended === 1 ? 'session' : 'sessions'}.`);
    await loadSessions();
  } catch {
    sessionsMessage('error', 'Signing out the other devices failed: Gatehouse could not be reached.');
  } finally {
    button.disabled = state.user === null || state.otherSessions === 0;
  }
}

function refreshSessionsOnReturn() {
  if (document.hidden || state.user === null) return;
  if (Date.now() - state.sessionsLoadedAt < FOCUS_REFRESH_AFTER_MS) return;
  loadSessions();
}

// ---- Actions ---------------------------------------------------------------------------

function signIn() {
  const returnUrl = window.location.pathname + window.location.search;
  window.location.assign(`/bff/login?returnUrl=${encodeURIComponent(returnUrl)}`);
}

/** A step-up login_url is followed only when it is Gatehouse's own login endpoint. */
function stepUpUrl(payload) {
  const value = payload && typeof payload === 'object' ? payload.login_url : null;
  return typeof value === 'string' && value.startsWith('/bff/login?') ? value : null;
}

async function callApi(button) {
  const path = button.dataset.path;
  const label = button.textContent;
  const status = $('api-status');
  const body = $('api-body');
  button.disabled = true;
  button.textContent = 'Calling…';
  $('api-step-up').hidden = true;
  const started = performance.now();
  try {
    const response = await bff(path);
    const payload = await readBody(response);
    const ms = Math.round(performance.now() - started);
    $('api-result').hidden = false;
    const stepUp = response.status === 401 && payload && payload.error === 'step_up_required' ? stepUpUrl(payload) : null;
    if (stepUp) {
      // Still signed in: this route wants a stronger sign-in, and Gatehouse says where to get it.
      status.className = 'status error';
      status.textContent = `${response.status} · ${path} needs a stronger sign-in. Sign in again with a second factor (the development provider's code is shown on its page).`;
      body.textContent = JSON.stringify(payload, null, 2);
      state.stepUp = stepUp;
      $('api-step-up').hidden = false;
    } else if (response.status === 403 && payload && payload.error === 'insufficient_claims') {
      status.className = 'status error';
      status.textContent = `${response.status} · You may not use ${path}: ${payload.message || 'a rule of this route does not hold for your session'}`;
      body.textContent = JSON.stringify(payload, null, 2);
    } else if (response.ok) {
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
    button.textContent = label;
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
  for (const button of document.querySelectorAll('[data-path]')) {
    button.addEventListener('click', () => callApi(button));
  }
  $('step-up').addEventListener('click', () => {
    if (state.stepUp) window.location.assign(state.stepUp);
  });
  $('sessions-refresh').addEventListener('click', () => {
    clearSessionsMessage();
    loadSessions();
  });
  $('end-others').addEventListener('click', endOtherSessions);
  window.addEventListener('focus', refreshSessionsOnReturn);
  document.addEventListener('visibilitychange', refreshSessionsOnReturn);
  $('banner-retry').addEventListener('click', () => {
    const retry = state.retry;
    hideBanner();
    if (retry) retry();
  });
  loadUser();
});
