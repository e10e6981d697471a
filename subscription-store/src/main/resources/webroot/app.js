// Callhook subscription page: plain DOM, no framework, no build step.
// Every value from the API reaches the page through textContent or setAttribute, never as markup.
'use strict';

(function () {
  const API = 'api/v1';                 // relative: the page is served by the store itself
  const POLL_MS = 2000;
  const ATTEMPTS_LIMIT = 50;
  const OUTCOMES = ['DELIVERED', 'RETRYING', 'DEAD_LETTERED', 'DISABLED', 'DROPPED'];
  const STORE_TOKEN = 'callhook.token';
  const STORE_ACCOUNT = 'callhook.accountId';
  const STORE_LANG = 'callhook.lang';
  // ak_<accountId>_<signature>; the signature is base64url, so it may itself contain '_'.
  const ACCOUNT_TOKEN = /^ak_(\d+)_(.+)$/;

  const PRODUCTS = { CALLKEEPER: 'CallKeeper', CALLTRACKING: 'Calltracking' };
  const EVENTS = { STARTED: 'начало звонка', ENDED: 'окончание звонка' };
  const CONTENT_TYPES = { 'application/json': 'JSON', 'application/x-www-form-urlencoded': 'форма' };

  // The page is written in Russian; English is looked up by the Russian text (whole strings or the
  // fixed fragments messages are built from). The API's problems come in the page's language
  // (Accept-Language); its other errors are shown as the API words them.
  const EN = {
      "начало звонка": "call start",
      "окончание звонка": "call end",
      "форма": "form",
      "Сервер недоступен: ": "Server unreachable: ",
      "Запрос не принят (400): ": "Request refused (400): ",
      "Токен не принят (401): ": "Token refused (401): ",
      ". Проверьте токен вверху страницы.": ". Check the token at the top of the page.",
      "Не найдено (404): ": "Not found (404): ",
      "Слишком большой запрос (413): ": "Request too large (413): ",
      "Неверный тип содержимого (415): ": "Wrong content type (415): ",
      "Ошибка сервера (": "Server error (",
      "Ошибка (": "Error (",
      "Ошибка страницы: ": "Page error: ",
      "Номер аккаунта из токена": "Account number from the token",
      "Нужен для токена администратора": "Needed with the admin token",
      "Введите токен.": "Enter a token.",
      "Для токена администратора укажите номер аккаунта (число).": "With the admin token, give the account number (a number).",
      "Номер аккаунта в токене слишком велик.": "The account number in the token is too large.",
      "Аккаунт ": "Account ",
      "администратор": "admin",
      "токен аккаунта": "account token",
      "Не удалось сохранить токен в браузере: ": "Could not keep the token in this browser: ",
      "Загрузка…": "Loading…",
      "Введите токен, чтобы увидеть подписки.": "Enter a token to see the subscriptions.",
      "Подписок пока нет. Добавьте адрес ниже.": "No subscriptions yet. Add a URL below.",
      "Тестовый вебхук": "Test webhook",
      "Отправить синтетический звонок на этот адрес": "Send a synthetic call to this URL",
      "Попытки": "Attempts",
      "Секрет": "Secret",
      "Изменить": "Edit",
      "Отключить": "Disable",
      "Новый секрет": "New secret",
      "Недоставленные": "Dead letters",
      "Удалить": "Delete",
      "Время": "Time",
      "Звонок": "Call",
      "Статус": "Status",
      "Задержка": "Latency",
      "Итог": "Outcome",
      "Ошибка": "Error",
      "Ответ": "Response",
      "Журнал попыток (новые сверху) ": "Attempt log (newest first) ",
      "Отправить повторно": "Replay",
      "Снова отправить недоставленные вебхуки этого адреса (за 7 дней)": "Send this URL's dead letters again (last 7 days)",
      "Недоставленные вебхуки (новые сверху) ": "Dead letters (newest first) ",
      "Попыток": "Attempts",
      "Причина": "Reason",
      "Подробности": "Details",
      "метод ": "method ",
      "ключи: ": "keys: ",
      "параметры: ": "params: ",
      "заголовки: ": "headers: ",
      "не чаще ": "at most ",
      "/с": "/s",
      "включена": "enabled",
      "отключена": "disabled",
      "Включить": "Enable",
      "Отправляем тестовый звонок…": "Sending a test call…",
      "Тестовый звонок ": "Test call ",
      " отправлен": " sent",
      ". Счётчик «Отправлено» и журнал попыток обновятся сами.": ". The Sent counter and the attempt log update by themselves.",
      "Скрыть секрет": "Hide secret",
      "Секрет подписи (Standard Webhooks, проверяйте им заголовок webhook-signature): ": "Signing secret (Standard Webhooks: verify the webhook-signature header with it): ",
      "загрузка…": "loading…",
      " Прежний секрет действует до ": " The previous secret is valid until ",
      "Скрыть попытки": "Hide attempts",
      "— попыток пока не было": "— no attempts yet",
      "тест": "test",
      " мс": " ms",
      "Удалить подписку ": "Delete subscription ",
      "?\nВебхуки на этот адрес больше не будут отправляться.": "?\nNo more webhooks will be sent to this URL.",
      "Не изменять": "Cancel edit",
      "без ограничения": "no limit",
      "начало и окончание": "start and end",
      "форма (application/x-www-form-urlencoded)": "form (application/x-www-form-urlencoded)",
      "GET (данные в строке запроса)": "GET (data in the query string)",
      "Сохранить изменения": "Save changes",
      "Событие": "Event",
      "Тип содержимого": "Content type",
      "Метод": "Method",
      "Не чаще, запросов в секунду": "At most, requests per second",
      "Переименованные ключи — по одному на строку: путь=новое_имя": "Renamed keys — one per line: path=new_name",
      "Дополнительные параметры — name=value": "Extra parameters — name=value",
      "Заголовки запроса — Имя=значение": "Request headers — Name=value",
      "rateLimit: целое число больше 0, или пусто — без ограничения": "rateLimit: a whole number above 0, or empty for no limit",
      "Имя=значение": "Name=value",
      "Изменений нет.": "Nothing changed.",
      "Сохранено: ": "Saved: ",
      "Подписка включена. Недоставленные за время отключения вебхуки можно отправить повторно («Недоставленные»).": "Subscription enabled. Webhooks kept while it was disabled can be replayed (“Dead letters”).",
      "Подписка отключена: вебхуки на этот адрес не отправляются, пока её не включат.": "Subscription disabled: no webhooks go to this URL until it is enabled again.",
      "сразу": "at once",
      "через 1 час": "in 1 hour",
      "через 24 часа": "in 24 hours",
      "через 7 дней": "in 7 days",
      "Выпустить новый секрет": "Issue a new secret",
      "Новый секрет подписывает вебхуки сразу. Прежний перестаёт подписывать ": "The new secret signs webhooks at once. The previous one stops signing ",
      ": до тех пор каждый вебхук несёт обе подписи, и получатель успевает перейти на новый. ": ": until then every webhook carries both signatures, so the receiver has time to switch. ",
      "Новый секрет выпущен": "New secret issued",
      "; прежний подписывает вебхуки до ": "; the previous one signs webhooks until ",
      "— недоставленных нет": "— no dead letters",
      "отправлено повторно: ": "replayed: ",
      ", уже отправлялись раньше: ": ", replayed before: ",
      "Повтор идёт; ": "Replay running; ",
      "Повтор закончен; ": "Replay done; ",
      ". Остались ещё: нажмите снова.": ". More are left: press again.",
      ": строка ": ": line ",
      "ожидается ": "expected ",
      "ключ ": "key ",
      " уже указан": " is given already",
      "Сначала сохраните токен вверху страницы.": "Save a token at the top of the page first.",
      "Подписка добавлена: ": "Subscription added: ",
      "Callhook — вебхуки звонков": "Callhook — call webhooks",
      "вебхуки звонков": "call webhooks",
      "Токен (Bearer)": "Token (Bearer)",
      "ak_42_… или токен администратора": "ak_42_… or the admin token",
      "Аккаунт": "Account",
      "Нужен для токена администратора; для токена аккаунта берётся из токена": "Needed with the admin token; an account token carries it",
      "Сохранить": "Save",
      "Забыть": "Forget",
      "WebhookCall — адреса для вебхуков": "WebhookCall — webhook URLs",
      "обновлено:": "updated:",
      "«Отправлено» — сколько вебхуков адрес принял (ответ 2xx). Список обновляется сам каждые 2 секунды. Проверить подписку: «Тестовый вебхук» отправляет синтетический звонок через весь конвейер.": "“Sent” is how many webhooks the URL accepted (a 2xx answer). The list updates itself every 2 seconds. To check a subscription, “Test webhook” sends a synthetic call through the whole pipeline.",
      "Продукт": "Product",
      "События": "Events",
      "Отправлено": "Sent",
      "Ошибок": "Failed",
      "Последний статус": "Last status",
      "Состояние": "State",
      "Действия": "Actions",
      "Добавить": "Add",
      "CallKeeper (начало и конец звонка, JSON)": "CallKeeper (call start and end, JSON)",
      "Calltracking (настраиваемый)": "Calltracking (configurable)",
      "Переименованные ключи": "Renamed keys",
      "— по одному на строку:": "— one per line:",
      "Дополнительные параметры": "Extra parameters",
      "— необязательно, по одному на строку:": "— optional, one per line:",
      "Русский": "Русский",
      "English": "English",
      "Запрос": "Request",
      "Скрыть": "Hide",
      "Показать": "Show",
      "все итоги": "all outcomes",
      "id звонка": "call id",
      "← Новее": "← Newer",
      "Старее →": "Older →",
      "страница ": "page ",
      "— нет попыток с такими условиями": "— no attempts match",
      "id звонка — целое число": "the call id is a whole number",
      "Отправить снова": "Send again",
      "Запрос недоступен: он не был записан или Kafka его уже не хранит.": "The request is not available: it was not recorded, or Kafka no longer keeps it.",
      "статус ": "status ",
      "Отправлен снова: ": "Sent again: ",
      ". Его попытки появятся в журнале.": ". Its attempts will appear in the log.",
      "Этот вебхук нельзя отправить снова: его запрос недоступен.": "This webhook cannot be sent again: its request is not available.",
      "Слишком часто (429): ": "Too many requests (429): "
    };

  const state = {
    lang: 'ru',            // 'ru' or 'en'
    token: '',
    admin: false,
    accountId: null,       // number, once a token is saved
    views: new Map(),      // subscription id -> row view
    listSeq: 0,            // the newest list request; older answers are dropped
    listInFlight: false,
    timer: null,
  };

  const $ = (id) => document.getElementById(id);

  function t(text) {
    return state.lang === 'en' && typeof text === 'string' && Object.prototype.hasOwnProperty.call(EN, text) ? EN[text] : text;
  }

  // ---------------------------------------------------------------- DOM helpers

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
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function setText(node, text) {
    const value = String(text);
    if (node.textContent !== value) node.textContent = value;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function formatTime(iso) {
    if (typeof iso !== 'string' || iso === '') return '—';
    // ISO-8601 UTC from the API, shown as UTC whatever the browser's zone.
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(iso);
    return m ? m[1] + ' ' + m[2] + ' UTC' : iso;
  }

  function orDash(value) {
    return value === null || value === undefined || value === '' ? '—' : String(value);
  }

  function truncate(text, max) {
    const s = String(text);
    return s.length > max ? s.slice(0, max) + '…' : s;
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, error, problems) {
      super(error);
      this.status = status;
      this.problems = problems || [];
    }

    describe() {
      const what = this.message || '';
      switch (this.status) {
        case 0: return t('Сервер недоступен: ') + what;
        case 400: return t('Запрос не принят (400): ') + what;
        case 401: return t('Токен не принят (401): ') + what + t('. Проверьте токен вверху страницы.');
        case 404: return t('Не найдено (404): ') + what;
        case 413: return t('Слишком большой запрос (413): ') + what;
        case 415: return t('Неверный тип содержимого (415): ') + what;
        case 429: return t('Слишком часто (429): ') + what;
        default: return (this.status >= 500 ? t('Ошибка сервера (') : t('Ошибка (')) + this.status + '): ' + what;
      }
    }
  }

  async function api(method, path, body) {
    // The API words its problems in the page's language (Russian, or English as it is).
    const headers = { 'Accept': 'application/json', 'Accept-Language': state.lang, 'Authorization': 'Bearer ' + state.token };
    const init = { method, headers, cache: 'no-store', credentials: 'same-origin' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(API + path, init);
    } catch (e) {
      throw new ApiError(0, e && e.message ? e.message : String(e));
    }
    const text = response.status === 204 ? '' : await response.text();
    let json = null;
    if (text !== '') {
      try { json = JSON.parse(text); } catch (ignored) { json = null; }
    }
    if (!response.ok) {
      const error = json && typeof json.error === 'string'
        ? json.error
        : (truncate(text, 200) || response.statusText || 'HTTP ' + response.status);
      const problems = json && Array.isArray(json.problems) ? json.problems.map(String) : [];
      throw new ApiError(response.status, error, problems);
    }
    return json;
  }

  function describe(e) {
    return e instanceof ApiError ? e.describe() : t('Ошибка страницы: ') + (e && e.message ? e.message : String(e));
  }

  function subscriptionPath(id, suffix) {
    return '/subscriptions/' + encodeURIComponent(id) + (suffix || '');
  }

  function listPath() {
    // An account token may omit accountId; the admin token must name the account.
    return state.admin ? '/subscriptions?accountId=' + encodeURIComponent(state.accountId) : '/subscriptions';
  }

  // ---------------------------------------------------------------- errors

  function showError(message) {
    const box = $('error');
    setText(box, message);
    show(box, true);
  }

  function clearError() {
    const box = $('error');
    if (!box.hidden) {
      box.textContent = '';
      show(box, false);
    }
  }

  // ---------------------------------------------------------------- token

  function parseToken(token) {
    const m = ACCOUNT_TOKEN.exec(token);
    return m ? { admin: false, accountId: m[1] } : { admin: true, accountId: null };
  }

  function syncAccountField() {
    const token = $('token').value.trim();
    const account = $('account-id');
    const parsed = parseToken(token);
    if (!parsed.admin) {
      account.value = parsed.accountId;
      account.readOnly = true;
      account.title = t('Номер аккаунта из токена');
    } else {
      account.readOnly = false;
      account.title = t('Нужен для токена администратора');
    }
  }

  // Applies a token: returns an error message, or null when the page now works with it.
  function useToken(token, accountText) {
    if (token === '') return t('Введите токен.');
    const parsed = parseToken(token);
    const idText = parsed.admin ? accountText.trim() : parsed.accountId;
    if (!/^\d+$/.test(idText) || !Number.isSafeInteger(Number(idText))) {
      return parsed.admin
        ? t('Для токена администратора укажите номер аккаунта (число).')
        : t('Номер аккаунта в токене слишком велик.');
    }
    const changed = state.token !== token || state.accountId !== Number(idText);
    state.token = token;
    state.admin = parsed.admin;
    state.accountId = Number(idText);
    if (changed) resetTable();
    renderSession();
    return null;
  }

  function renderSession() {
    setText($('session'), state.token
      ? t('Аккаунт ') + state.accountId + ' · ' + (state.admin ? t('администратор') : t('токен аккаунта')) : '');
  }

  function saveToken(ev) {
    if (ev) ev.preventDefault();
    syncAccountField();
    const token = $('token').value.trim();
    const problem = useToken(token, $('account-id').value);
    if (problem) {
      showError(problem);
      return;
    }
    try {
      localStorage.setItem(STORE_TOKEN, token);
      if (state.admin) localStorage.setItem(STORE_ACCOUNT, String(state.accountId));
      else localStorage.removeItem(STORE_ACCOUNT);
    } catch (e) {
      showError(t('Не удалось сохранить токен в браузере: ') + e.message);
    }
    clearError();
    startPolling();
    refresh(true);
  }

  function forgetToken() {
    try {
      localStorage.removeItem(STORE_TOKEN);
      localStorage.removeItem(STORE_ACCOUNT);
    } catch (ignored) { /* storage unavailable: nothing to forget */ }
    stopPolling();
    state.token = '';
    state.admin = false;
    state.accountId = null;
    state.listSeq++;
    resetTable();
    $('token').value = '';
    $('account-id').value = '';
    syncAccountField();
    setText($('session'), '');
    setText($('refreshed-at'), '—');
    clearError();
  }

  function restoreToken() {
    let token = null;
    let account = null;
    try {
      token = localStorage.getItem(STORE_TOKEN);
      account = localStorage.getItem(STORE_ACCOUNT);
    } catch (ignored) { /* storage unavailable */ }
    if (!token) return;
    $('token').value = token;
    $('account-id').value = account || '';
    syncAccountField();
    if (useToken(token, $('account-id').value) === null) {
      startPolling();
      refresh(true);
    }
  }

  // ---------------------------------------------------------------- polling

  function startPolling() {
    if (state.timer === null) state.timer = setInterval(tick, POLL_MS);
  }

  function stopPolling() {
    if (state.timer !== null) clearInterval(state.timer);
    state.timer = null;
  }

  function tick() {
    refresh(false);
    for (const view of state.views.values()) {
      if (view.attemptsOpen) loadAttempts(view);
      if (view.deadOpen) loadDeadLetters(view);
    }
  }

  // ---------------------------------------------------------------- the table

  async function refresh(force) {
    if (!state.token) return;
    if (state.listInFlight && !force) return;
    const seq = ++state.listSeq;
    state.listInFlight = true;
    try {
      const body = await api('GET', listPath());
      if (seq !== state.listSeq) return;
      const subscriptions = body && Array.isArray(body.subscriptions) ? body.subscriptions : [];
      renderList(subscriptions);
      setText($('refreshed-at'), new Date().toLocaleTimeString('ru-RU'));
      clearError();
    } catch (e) {
      if (seq === state.listSeq) showError(describe(e));
    } finally {
      if (seq === state.listSeq) state.listInFlight = false;
    }
  }

  function resetTable() {
    state.listSeq++;
    state.listInFlight = false;
    for (const view of state.views.values()) view.tbody.remove();
    state.views.clear();
    setText($('no-subscriptions-text'), state.token ? t('Загрузка…') : t('Введите токен, чтобы увидеть подписки.'));
    show($('no-subscriptions'), true);
  }

  function renderList(subscriptions) {
    const table = $('subscriptions');
    const seen = new Set();
    let anchor = $('no-subscriptions');
    for (const sub of subscriptions) {
      if (!sub || typeof sub.id !== 'string' || seen.has(sub.id)) continue;
      seen.add(sub.id);
      let view = state.views.get(sub.id);
      if (!view) {
        view = createView(sub.id);
        state.views.set(sub.id, view);
      }
      view.data = sub;
      updateView(view);
      if (anchor.nextElementSibling !== view.tbody) table.insertBefore(view.tbody, anchor.nextElementSibling);
      anchor = view.tbody;
    }
    for (const [id, view] of state.views) {
      if (!seen.has(id)) removeView(id);
    }
    setText($('no-subscriptions-text'), t('Подписок пока нет. Добавьте адрес ниже.'));
    show($('no-subscriptions'), seen.size === 0);
  }

  function removeView(id) {
    const view = state.views.get(id);
    if (!view) return;
    view.tbody.remove();
    state.views.delete(id);
    if (state.views.size === 0) {
      setText($('no-subscriptions-text'), t('Подписок пока нет. Добавьте адрес ниже.'));
      show($('no-subscriptions'), true);
    }
  }

  // One <tbody> per subscription: its main row and a details row (messages, secret, attempt log),
  // so everything about a subscription is inside [data-testid=subscription-row].
  function createView(id) {
    const view = { id, data: null, secret: null, secretShown: false, attemptsOpen: false, attemptsInFlight: false,
      attemptsSeq: 0, attemptsSignature: null, attempts: [], attemptsFilter: { outcome: '', callId: '' },
      attemptsCursors: [], attemptsNext: null, requests: {}, editOpen: false, rotateOpen: false, deadOpen: false, deadSeq: 0, deadSignature: null, cells: {} };
    const c = view.cells;
    c.url = el('div', { testid: 'url', className: 'url' });
    c.extra = el('div', { testid: 'details', className: 'muted small' });
    c.product = el('td', { testid: 'product' });
    c.events = el('td', { testid: 'events' });
    c.contentType = el('td', { testid: 'content-type' });
    c.sent = el('td', { testid: 'sent', className: 'num counter' });
    c.failed = el('td', { testid: 'failed', className: 'num' });
    c.lastStatus = el('span', { testid: 'last-status', className: 'status' });
    c.lastOutcome = el('span', { testid: 'last-outcome', className: 'outcome' });
    c.lastAt = el('div', { testid: 'last-attempt-at', className: 'muted small' });
    c.enabled = el('td', { testid: 'enabled' });

    c.sendTest = el('button', { type: 'button', testid: 'send-test', text: t('Тестовый вебхук'),
      title: t('Отправить синтетический звонок на этот адрес'), onclick: () => sendTest(view) });
    c.showAttempts = el('button', { type: 'button', testid: 'show-attempts', className: 'secondary',
      text: t('Попытки'), 'aria-expanded': 'false', onclick: () => toggleAttempts(view) });
    c.showSecret = el('button', { type: 'button', testid: 'show-secret', className: 'secondary',
      text: t('Секрет'), 'aria-expanded': 'false', onclick: () => toggleSecret(view) });
    c.edit = el('button', { type: 'button', testid: 'edit', className: 'secondary', text: t('Изменить'),
      'aria-expanded': 'false', onclick: () => toggleEdit(view) });
    c.toggle = el('button', { type: 'button', testid: 'toggle-enabled', className: 'secondary', text: t('Отключить'),
      onclick: () => toggleEnabled(view) });
    c.rotate = el('button', { type: 'button', testid: 'rotate', className: 'secondary', text: t('Новый секрет'),
      'aria-expanded': 'false', onclick: () => toggleRotate(view) });
    c.showDead = el('button', { type: 'button', testid: 'show-dead-letters', className: 'secondary', text: t('Недоставленные'),
      'aria-expanded': 'false', onclick: () => toggleDeadLetters(view) });
    c.del = el('button', { type: 'button', testid: 'delete', className: 'danger', text: t('Удалить'),
      onclick: () => deleteSubscription(view) });

    const main = el('tr', { className: 'main' },
      el('td', null, c.url, c.extra),
      c.product, c.events, c.contentType, c.sent, c.failed,
      el('td', null, c.lastStatus, ' ', c.lastOutcome, c.lastAt),
      c.enabled,
      el('td', { className: 'row-actions' }, c.sendTest, c.showAttempts, c.showSecret, c.edit, c.toggle, c.rotate,
        c.showDead, c.del));

    c.message = el('div', { testid: 'row-message', className: 'row-message', role: 'status' });
    c.secretBox = el('div', { testid: 'secret-box', className: 'secret-box', hidden: true });
    c.attemptsStatus = el('span', { testid: 'attempts-status', className: 'muted small' });
    c.attemptsBody = el('tbody');
    c.attemptsTable = el('table', { testid: 'attempts', className: 'attempts' },
      el('thead', null, el('tr', null,
        el('th', { text: t('Время') }), el('th', { text: t('Звонок') }), el('th', { text: '№' }),
        el('th', { text: t('Статус') }), el('th', { text: t('Задержка') }), el('th', { text: t('Итог') }),
        el('th', { text: t('Ошибка') }), el('th', { text: t('Ответ') }), el('th', { text: t('Запрос') }))),
      c.attemptsBody);
    c.attemptsOutcome = el('select', { testid: 'attempts-outcome', 'aria-label': t('Итог') },
      el('option', { value: '', text: t('все итоги') }), ...OUTCOMES.map((o) => el('option', { value: o, text: o })));
    c.attemptsCall = el('input', { testid: 'attempts-call', type: 'text', inputmode: 'numeric', size: '14',
      placeholder: t('id звонка'), 'aria-label': t('id звонка') });
    c.attemptsApply = el('button', { type: 'button', testid: 'attempts-apply', className: 'secondary', text: t('Показать'),
      onclick: () => filterAttempts(view) });
    c.attemptsNewer = el('button', { type: 'button', testid: 'attempts-newer', className: 'secondary', text: t('← Новее'),
      disabled: true, onclick: () => pageAttempts(view, -1) });
    c.attemptsOlder = el('button', { type: 'button', testid: 'attempts-older', className: 'secondary', text: t('Старее →'),
      disabled: true, onclick: () => pageAttempts(view, 1) });
    c.attemptsPage = el('span', { testid: 'attempts-page', className: 'muted small', text: t('страница ') + '1' });
    c.attemptsBox = el('div', { testid: 'attempts-box', className: 'attempts-box', hidden: true },
      el('h4', null, t('Журнал попыток (новые сверху) '), c.attemptsStatus),
      el('div', { className: 'attempts-filters' }, c.attemptsOutcome, c.attemptsCall, c.attemptsApply, ' ',
        c.attemptsNewer, c.attemptsPage, c.attemptsOlder),
      c.attemptsTable);
    c.editBox = el('div', { testid: 'edit-box', className: 'edit-box', hidden: true });
    c.rotateBox = el('div', { testid: 'rotate-box', className: 'rotate-box', hidden: true });
    c.deadStatus = el('span', { testid: 'dead-letters-status', className: 'muted small' });
    c.deadBody = el('tbody');
    c.replay = el('button', { type: 'button', testid: 'replay', text: t('Отправить повторно'),
      title: t('Снова отправить недоставленные вебхуки этого адреса (за 7 дней)'), onclick: () => replayDeadLetters(view) });
    c.deadBox = el('div', { testid: 'dead-letters-box', className: 'attempts-box', hidden: true },
      el('h4', null, t('Недоставленные вебхуки (новые сверху) '), c.deadStatus),
      el('table', { testid: 'dead-letters', className: 'attempts' },
        el('thead', null, el('tr', null,
          el('th', { text: t('Время') }), el('th', { text: t('Звонок') }), el('th', { text: t('Попыток') }),
          el('th', { text: t('Причина') }), el('th', { text: t('Подробности') }))),
        c.deadBody),
      el('div', { className: 'actions' }, c.replay));
    c.detailsCell = el('td', { colspan: '9' }, c.message, c.editBox, c.rotateBox, c.secretBox, c.attemptsBox, c.deadBox);
    c.detailsRow = el('tr', { className: 'details', hidden: true }, c.detailsCell);

    view.tbody = el('tbody', { testid: 'subscription-row', 'data-id': id, className: 'sub' }, main, c.detailsRow);
    return view;
  }

  function updateView(view) {
    const sub = view.data;
    const c = view.cells;
    const counters = sub.counters && typeof sub.counters === 'object' ? sub.counters : {};

    setText(c.url, orDash(sub.url));
    c.url.title = String(sub.url || '');
    const extra = [];
    if (sub.method && sub.method !== 'POST') extra.push(t('метод ') + sub.method);
    const renames = sub.renames && typeof sub.renames === 'object' ? Object.entries(sub.renames) : [];
    if (renames.length) extra.push(t('ключи: ') + renames.map(([from, to]) => from + ' → ' + to).join(', '));
    const params = sub.params && typeof sub.params === 'object' ? Object.keys(sub.params) : [];
    if (params.length) extra.push(t('параметры: ') + params.join(', '));
    const headers = sub.headers && typeof sub.headers === 'object' ? Object.keys(sub.headers) : [];
    if (headers.length) extra.push(t('заголовки: ') + headers.join(', '));
    if (sub.rateLimit) extra.push(t('не чаще ') + sub.rateLimit + t('/с'));
    setText(c.extra, extra.join(' · '));

    setText(c.product, PRODUCTS[sub.product] || orDash(sub.product));
    c.product.dataset.value = String(sub.product || '');
    const events = Array.isArray(sub.events) ? sub.events : [];
    setText(c.events, events.length ? events.map((e) => t(EVENTS[e]) || String(e)).join(', ') : '—');
    c.events.dataset.value = events.join(',');
    setText(c.contentType, t(CONTENT_TYPES[sub.contentType]) || orDash(sub.contentType));
    c.contentType.dataset.value = String(sub.contentType || '');

    setText(c.sent, orDash(counters.sent));
    setText(c.failed, orDash(counters.failed));
    c.failed.classList.toggle('bad', Number(counters.failed) > 0);
    setText(c.lastStatus, orDash(counters.lastStatus));
    setText(c.lastOutcome, counters.lastOutcome ? String(counters.lastOutcome) : '');
    c.lastOutcome.className = 'outcome ' + outcomeClass(counters.lastOutcome);
    setText(c.lastAt, counters.lastAttemptAt ? formatTime(counters.lastAttemptAt) : '');

    const enabled = sub.enabled !== false;
    setText(c.enabled, enabled ? t('включена') : t('отключена') + (sub.disabledReason ? ': ' + sub.disabledReason : ''));
    c.enabled.className = enabled ? 'ok' : 'bad';
    c.enabled.dataset.value = String(enabled);
    setText(c.toggle, enabled ? t('Отключить') : t('Включить'));

    if (view.secretShown) renderSecret(view);
  }

  function outcomeClass(outcome) {
    switch (outcome) {
      case 'DELIVERED': return 'ok';
      case 'RETRYING': return 'warn';
      case undefined: case null: case '': return '';
      default: return 'bad';
    }
  }

  function refreshDetailsRow(view) {
    const c = view.cells;
    show(c.detailsRow, c.message.textContent !== '' || view.secretShown || view.attemptsOpen || view.editOpen
      || view.rotateOpen || view.deadOpen);
  }

  function setRowMessage(view, text, isError) {
    const c = view.cells;
    setText(c.message, text);
    c.message.className = 'row-message ' + (isError ? 'bad' : 'ok');
    refreshDetailsRow(view);
  }

  // ---------------------------------------------------------------- row actions

  async function sendTest(view) {
    const button = view.cells.sendTest;
    button.disabled = true;
    setRowMessage(view, t('Отправляем тестовый звонок…'), false);
    try {
      const answer = await api('POST', subscriptionPath(view.id, '/test'));
      const events = answer && Array.isArray(answer.events) ? answer.events.map((e) => t(EVENTS[e]) || String(e)) : [];
      setRowMessage(view, t('Тестовый звонок ') + orDash(answer && answer.testCallId) + t(' отправлен')
        + (events.length ? ' (' + events.join(', ') + ')' : '')
        + t('. Счётчик «Отправлено» и журнал попыток обновятся сами.'), false);
    } catch (e) {
      setRowMessage(view, describe(e), true);
    } finally {
      button.disabled = false;
    }
  }

  // Opens or closes one of a row's panels: its flag in the view, its button's state, its box.
  function setPanel(view, flag, button, box, open) {
    view[flag] = open;
    button.setAttribute('aria-expanded', String(open));
    show(box, open);
    refreshDetailsRow(view);
  }

  function showSecret(view, shown) {
    setText(view.cells.showSecret, shown ? t('Скрыть секрет') : t('Секрет'));
    if (!shown) {
      view.secret = null;   // not kept once hidden
      view.cells.secretBox.replaceChildren();
    }
    setPanel(view, 'secretShown', view.cells.showSecret, view.cells.secretBox, shown);
    if (shown) renderSecret(view);
  }

  function toggleSecret(view) {
    showSecret(view, !view.secretShown);
    if (view.secretShown) loadSecret(view);
  }

  // The secret is never in the list: it is asked for on each press of the button, and only then.
  async function loadSecret(view) {
    try {
      const answer = await api('GET', subscriptionPath(view.id, '/secret'));
      if (answer && typeof answer.secret === 'string' && state.views.get(view.id) === view && view.secretShown) {
        view.secret = answer.secret;
        renderSecret(view);
      }
    } catch (e) {
      setRowMessage(view, describe(e), true);
    }
  }

  function renderSecret(view) {
    const box = view.cells.secretBox;
    const secret = typeof view.secret === 'string' ? view.secret : '';
    let code = box.querySelector('[data-testid="secret"]');
    if (!code) {
      code = el('code', { testid: 'secret', className: 'secret' });
      box.replaceChildren(
        el('span', { text: t('Секрет подписи (Standard Webhooks, проверяйте им заголовок webhook-signature): ') }),
        code,
        el('span', { testid: 'secret-note', className: 'muted small' }));
    }
    setText(code, secret === '' ? t('загрузка…') : secret);
    const note = box.querySelector('[data-testid="secret-note"]');
    setText(note, view.data.previousSecretExpiresAt
      ? t(' Прежний секрет действует до ') + formatTime(view.data.previousSecretExpiresAt) + '.' : '');
    show(box, true);
  }

  function toggleAttempts(view) {
    const c = view.cells;
    const open = !view.attemptsOpen;
    setText(c.showAttempts, open ? t('Скрыть попытки') : t('Попытки'));
    setPanel(view, 'attemptsOpen', c.showAttempts, c.attemptsBox, open);
    if (open) {
      view.attemptsNotice = false;
      setText(c.attemptsStatus, t('загрузка…'));
      loadAttempts(view, true);
    } else {
      view.attemptsSeq++;
      view.attemptsInFlight = false;
    }
  }

  async function loadAttempts(view, force) {
    if (view.attemptsInFlight && !force) return;
    const seq = ++view.attemptsSeq;
    view.attemptsInFlight = true;
    const c = view.cells;
    try {
      const body = await api('GET', subscriptionPath(view.id, '/attempts' + attemptsQuery(view)));
      if (seq !== view.attemptsSeq || !view.attemptsOpen) return;
      const attempts = body && Array.isArray(body.attempts) ? body.attempts.filter((a) => a && typeof a === 'object') : [];
      view.attemptsNext = body && typeof body.next === 'string' ? body.next : null;
      c.attemptsOlder.disabled = view.attemptsNext === null;
      c.attemptsNewer.disabled = view.attemptsCursors.length === 0;
      setText(c.attemptsPage, t('страница ') + (view.attemptsCursors.length + 1));
      renderAttempts(view, attempts);
      if (!view.attemptsNotice) {
        const filtered = view.attemptsFilter.outcome !== '' || view.attemptsFilter.callId !== '';
        setText(c.attemptsStatus, attempts.length ? '' : filtered ? t('— нет попыток с такими условиями') : t('— попыток пока не было'));
        c.attemptsStatus.className = 'muted small';
      }
    } catch (e) {
      if (seq !== view.attemptsSeq) return;
      setText(c.attemptsStatus, describe(e));
      c.attemptsStatus.className = 'bad small';
    } finally {
      if (seq === view.attemptsSeq) view.attemptsInFlight = false;
    }
  }

  // The page asked for: its cursor (the previous page's "next"), the filters, 50 at a time.
  function attemptsQuery(view) {
    const parts = ['limit=' + ATTEMPTS_LIMIT];
    const before = view.attemptsCursors[view.attemptsCursors.length - 1];
    if (before) parts.push('before=' + encodeURIComponent(before));
    if (view.attemptsFilter.outcome) parts.push('outcome=' + encodeURIComponent(view.attemptsFilter.outcome));
    if (view.attemptsFilter.callId) parts.push('callId=' + encodeURIComponent(view.attemptsFilter.callId));
    return '?' + parts.join('&');
  }

  function filterAttempts(view) {
    const c = view.cells;
    const callId = c.attemptsCall.value.trim();
    if (callId !== '' && !/^\d{1,18}$/.test(callId)) {
      setText(c.attemptsStatus, t('id звонка — целое число'));
      c.attemptsStatus.className = 'bad small';
      return;
    }
    view.attemptsFilter = { outcome: c.attemptsOutcome.value, callId };
    view.attemptsCursors = [];
    view.attemptsNotice = false;
    loadAttempts(view, true);
  }

  function pageAttempts(view, direction) {
    if (direction > 0 && view.attemptsNext) view.attemptsCursors.push(view.attemptsNext);
    else if (direction < 0) view.attemptsCursors.pop();
    else return;
    view.attemptsNotice = false;
    loadAttempts(view, true);
  }

  function renderAttempts(view, attempts) {
    // Newest first, as the API promises; sorted again so an odd order never shows.
    const sorted = attempts.slice().sort((a, b) => {
      const ta = Date.parse(a.startedAt);
      const tb = Date.parse(b.startedAt);
      return (Number.isNaN(tb) ? 0 : tb) - (Number.isNaN(ta) ? 0 : ta);
    });
    view.attempts = sorted;
    const signature = JSON.stringify([sorted, view.requests]);
    if (signature === view.attemptsSignature) return;   // unchanged: keep the rows (and any selection)
    view.attemptsSignature = signature;
    const rows = [];
    for (const a of sorted) {
      rows.push(attemptRow(view, a));
      const shown = view.requests[a.attemptId];
      if (shown) rows.push(requestRow(a, shown));
    }
    view.cells.attemptsBody.replaceChildren(...rows);
  }

  // An attempt's request, read back on demand: {loading}, {error} or {data} (the API's answer).
  async function toggleRequest(view, a) {
    if (view.requests[a.attemptId]) {
      delete view.requests[a.attemptId];
      renderAttempts(view, view.attempts);
      return;
    }
    view.requests[a.attemptId] = { loading: true };
    renderAttempts(view, view.attempts);
    let entry;
    try {
      entry = { data: await api('GET', subscriptionPath(view.id, '/attempts/' + encodeURIComponent(a.attemptId))) };
    } catch (e) {
      entry = { error: describe(e) };
    }
    if (view.requests[a.attemptId]) {
      view.requests[a.attemptId] = entry;
      renderAttempts(view, view.attempts);
    }
  }

  function requestRow(a, entry) {
    const cell = el('td', { colspan: '9' });
    if (entry.loading) {
      cell.append(el('span', { className: 'muted small', text: t('загрузка…') }));
    } else if (entry.error) {
      cell.append(el('span', { className: 'bad small', text: entry.error }));
    } else if (!entry.data || !entry.data.request) {
      cell.append(el('span', { testid: 'request-unavailable', className: 'muted small',
        title: entry.data && entry.data.requestUnavailable ? String(entry.data.requestUnavailable) : null,
        text: t('Запрос недоступен: он не был записан или Kafka его уже не хранит.') }));
    } else {
      const r = entry.data.request;
      const headers = r.headers && typeof r.headers === 'object'
        ? Object.entries(r.headers).map(([name, value]) => name + ': ' + value).join('\n') : '';
      const excerpt = a.responseExcerpt === null || a.responseExcerpt === undefined ? '' : String(a.responseExcerpt);
      cell.append(el('div', { className: 'request-view' },
        el('div', null,
          el('h5', { text: t('Запрос') }),
          el('div', { testid: 'request-line' }, el('code', { text: orDash(r.method) + ' ' + orDash(r.url) })),
          el('pre', { testid: 'request-headers', text: headers }),
          el('pre', { testid: 'request-body', text: orDash(r.body) })),
        el('div', null,
          el('h5', { text: t('Ответ') }),
          el('div', { testid: 'response-status' }, el('code', { text: t('статус ') + orDash(a.status) })),
          el('pre', { testid: 'response-excerpt', text: excerpt || '—' }))));
    }
    return el('tr', { testid: 'attempt-request-row', 'data-attempt-id': a.attemptId || null, className: 'request-row' }, cell);
  }

  async function resendAttempt(view, a, button) {
    const c = view.cells;
    button.disabled = true;
    try {
      const body = await api('POST', subscriptionPath(view.id, '/attempts/' + encodeURIComponent(a.attemptId) + '/resend'));
      view.attemptsNotice = true;
      setText(c.attemptsStatus, t('Отправлен снова: ') + orDash(body && body.webhookId) + t('. Его попытки появятся в журнале.'));
      c.attemptsStatus.className = 'ok small';
      loadAttempts(view, true);
    } catch (e) {
      view.attemptsNotice = true;
      setText(c.attemptsStatus, e instanceof ApiError && e.status === 409
        ? t('Этот вебхук нельзя отправить снова: его запрос недоступен.') : describe(e));
      c.attemptsStatus.className = 'bad small';
    } finally {
      button.disabled = false;
    }
  }

  function attemptRow(view, a) {
    const call = [orDash(a.callId)];
    if (a.phase) call.push(t(EVENTS[a.phase]) || String(a.phase));
    const error = [a.errorType, a.errorMessage].filter((x) => x !== null && x !== undefined && x !== '').join(': ');
    const excerpt = a.responseExcerpt === null || a.responseExcerpt === undefined ? '' : String(a.responseExcerpt);
    return el('tr', { testid: 'attempt-row', 'data-attempt-id': a.attemptId || null },
      el('td', { testid: 'attempt-time', text: formatTime(a.startedAt) }),
      el('td', { testid: 'attempt-call' }, call.join(' · '),
        a.test ? el('span', { testid: 'attempt-test', className: 'badge', text: t('тест') }) : null),
      el('td', { testid: 'attempt-number', className: 'num', text: orDash(a.attemptNumber) }),
      el('td', { testid: 'attempt-status', className: 'num', text: orDash(a.status) }),
      el('td', { testid: 'attempt-latency', className: 'num',
        text: a.latencyMs === null || a.latencyMs === undefined ? '—' : a.latencyMs + t(' мс') }),
      el('td', { testid: 'attempt-outcome', className: outcomeClass(a.outcome), text: orDash(a.outcome) }),
      el('td', { testid: 'attempt-error', text: error }),
      el('td', { testid: 'attempt-response', className: 'excerpt', title: excerpt || null },
        el('code', { text: truncate(excerpt, 300) })),
      el('td', { className: 'attempt-actions' }, a.requestKnown ? [
        el('button', { type: 'button', testid: 'attempt-show-request', className: 'secondary small-button',
          'aria-expanded': String(Boolean(view.requests[a.attemptId])),
          text: view.requests[a.attemptId] ? t('Скрыть') : t('Запрос'), onclick: () => toggleRequest(view, a) }),
        ' ',
        el('button', { type: 'button', testid: 'attempt-resend', className: 'secondary small-button',
          text: t('Отправить снова'), onclick: (event) => resendAttempt(view, a, event.currentTarget) })] : '—'));
  }

  async function deleteSubscription(view) {
    const url = view.data && view.data.url ? view.data.url : view.id;
    if (!window.confirm(t('Удалить подписку ') + url + t('?\nВебхуки на этот адрес больше не будут отправляться.'))) return;
    view.cells.del.disabled = true;
    try {
      await api('DELETE', subscriptionPath(view.id));
      removeView(view.id);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) removeView(view.id);   // already gone
      else setRowMessage(view, describe(e), true);
    } finally {
      view.cells.del.disabled = false;
    }
    refresh(true);
  }

  // ---------------------------------------------------------------- edit, enable/disable, rotate

  function pairsText(map) {
    return map && typeof map === 'object' ? Object.entries(map).map(([key, value]) => key + '=' + value).join('\n') : '';
  }

  function sameMap(a, b) {
    const entries = (map) => JSON.stringify(Object.entries(map && typeof map === 'object' ? map : {}).sort());
    return entries(a) === entries(b);
  }

  function labeled(text, field, wide) {
    return el('label', { className: wide ? 'wide' : null }, text, field);
  }

  function choice(testid, options, chosen) {
    return el('select', { testid }, ...Object.entries(options).map(([value, text]) =>
      el('option', { value, selected: value === chosen, text })));
  }

  function textArea(testid, value) {
    const area = el('textarea', { testid, rows: '3', spellcheck: 'false' });
    area.value = value;
    return area;
  }

  function updated(view, answer) {
    if (answer && typeof answer === 'object') {
      const { secret, ...subscription } = answer;   // the secret is kept only while it is shown
      view.data = subscription;
      updateView(view);
    }
  }

  // The form starts from the subscription as it is; only what differs is sent (PATCH), so a
  // change made meanwhile elsewhere to another field is not undone.
  function toggleEdit(view) {
    const c = view.cells;
    const open = !view.editOpen;
    setText(c.edit, open ? t('Не изменять') : t('Изменить'));
    c.editBox.replaceChildren(...(open ? [editForm(view)] : []));
    setPanel(view, 'editOpen', c.edit, c.editBox, open);
  }

  function editForm(view) {
    const sub = view.data;
    const events = Array.isArray(sub.events) ? sub.events : [];
    const f = {
      url: el('input', { testid: 'edit-url', type: 'text', inputmode: 'url', spellcheck: 'false', value: sub.url || '' }),
      rateLimit: el('input', { testid: 'edit-rate-limit', type: 'text', inputmode: 'numeric', size: '8',
        value: sub.rateLimit === null || sub.rateLimit === undefined ? '' : String(sub.rateLimit), placeholder: t('без ограничения') }),
      headers: textArea('edit-headers', pairsText(sub.headers)),
    };
    // CallKeeper webhooks are fixed (both events, JSON by POST, documented keys): only where they go.
    if (sub.product === 'CALLTRACKING') {
      f.events = choice('edit-events', { STARTED: t('начало звонка'), ENDED: t('окончание звонка'), BOTH: t('начало и окончание') },
        events.length > 1 ? 'BOTH' : events[0]);
      f.contentType = choice('edit-content-type', { 'application/json': 'JSON (application/json)',
        'application/x-www-form-urlencoded': t('форма (application/x-www-form-urlencoded)') }, sub.contentType);
      f.method = choice('edit-method', { POST: 'POST', GET: t('GET (данные в строке запроса)'), PUT: 'PUT', PATCH: 'PATCH' },
        sub.method);
      f.renames = textArea('edit-renames', pairsText(sub.renames));
      f.params = textArea('edit-params', pairsText(sub.params));
    }
    const problems = el('ul', { testid: 'edit-errors', className: 'problems', role: 'alert', hidden: true });
    const save = el('button', { type: 'submit', testid: 'edit-save', text: t('Сохранить изменения') });
    const form = el('form', { testid: 'edit-form', className: 'add-form edit-form', novalidate: true, autocomplete: 'off' },
      labeled('URL', f.url, true),
      f.events ? labeled(t('Событие'), f.events) : null,
      f.contentType ? labeled(t('Тип содержимого'), f.contentType) : null,
      f.method ? labeled(t('Метод'), f.method) : null,
      labeled(t('Не чаще, запросов в секунду'), f.rateLimit),
      f.renames ? labeled(t('Переименованные ключи — по одному на строку: путь=новое_имя'), f.renames, true) : null,
      f.params ? labeled(t('Дополнительные параметры — name=value'), f.params, true) : null,
      labeled(t('Заголовки запроса — Имя=значение'), f.headers, true),
      el('div', { className: 'actions' }, save),
      problems);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      saveEdit(view, f, problems, save);
    });
    return form;
  }

  function changesOf(sub, f, problems) {
    const changes = {};
    const url = f.url.value.trim();
    if (url !== sub.url) changes.url = url;
    const rateText = f.rateLimit.value.trim();
    const rate = rateText === '' ? null : Number(rateText);
    if (rateText !== '' && !(Number.isInteger(rate) && rate > 0)) {
      problems.push(t('rateLimit: целое число больше 0, или пусто — без ограничения'));
    } else if (rate !== (sub.rateLimit === undefined ? null : sub.rateLimit)) {
      changes.rateLimit = rate;
    }
    const headers = parsePairs(f.headers.value, 'headers', t('Имя=значение'), problems, false);
    if (!sameMap(headers, sub.headers)) changes.headers = headers;
    if (f.events) {
      const events = f.events.value === 'BOTH' ? ['STARTED', 'ENDED'] : [f.events.value];
      if (events.join(',') !== (Array.isArray(sub.events) ? sub.events.join(',') : '')) changes.events = events;
      if (f.contentType.value !== sub.contentType) changes.contentType = f.contentType.value;
      if (f.method.value !== sub.method) changes.method = f.method.value;
      const renames = parsePairs(f.renames.value, 'renames', 'documented.path=new_name', problems, true);
      if (!sameMap(renames, sub.renames)) changes.renames = renames;
      const params = parsePairs(f.params.value, 'params', 'name=value', problems, false);
      if (!sameMap(params, sub.params)) changes.params = params;
    }
    return changes;
  }

  async function saveEdit(view, f, problemsList, button) {
    const problems = [];
    const changes = changesOf(view.data, f, problems);
    listProblems(problemsList, problems);
    if (problems.length) return;
    if (!Object.keys(changes).length) {
      setRowMessage(view, t('Изменений нет.'), false);
      return;
    }
    button.disabled = true;
    try {
      updated(view, await api('PATCH', subscriptionPath(view.id), changes));
      toggleEdit(view);
      setRowMessage(view, t('Сохранено: ') + Object.keys(changes).join(', ') + '.', false);
      refresh(true);
    } catch (e) {
      listProblems(problemsList, e instanceof ApiError && e.problems.length ? e.problems : [describe(e)]);
    } finally {
      button.disabled = false;
    }
  }

  async function toggleEnabled(view) {
    const enable = view.data.enabled === false;
    const button = view.cells.toggle;
    button.disabled = true;
    try {
      updated(view, await api('PATCH', subscriptionPath(view.id), { enabled: enable }));
      setRowMessage(view, enable
        ? t('Подписка включена. Недоставленные за время отключения вебхуки можно отправить повторно («Недоставленные»).')
        : t('Подписка отключена: вебхуки на этот адрес не отправляются, пока её не включат.'), false);
      refresh(true);
    } catch (e) {
      setRowMessage(view, describe(e), true);
    } finally {
      button.disabled = false;
    }
  }

  const GRACE_CHOICES = { 0: 'сразу', 3600: 'через 1 час', 86400: 'через 24 часа', 604800: 'через 7 дней' };

  function toggleRotate(view) {
    const c = view.cells;
    const open = !view.rotateOpen;
    if (open) {
      const graceChoices = Object.fromEntries(Object.entries(GRACE_CHOICES).map(([seconds, text]) => [seconds, t(text)]));
      const grace = choice('rotate-grace', graceChoices, '86400');
      const confirm = el('button', { type: 'button', testid: 'rotate-confirm', text: t('Выпустить новый секрет') });
      confirm.addEventListener('click', () => rotateSecret(view, Number(grace.value), confirm));
      c.rotateBox.replaceChildren(
        el('span', { text: t('Новый секрет подписывает вебхуки сразу. Прежний перестаёт подписывать ') }), grace,
        el('span', { text: t(': до тех пор каждый вебхук несёт обе подписи, и получатель успевает перейти на новый. ') }),
        confirm);
    } else {
      c.rotateBox.replaceChildren();
    }
    setPanel(view, 'rotateOpen', c.rotate, c.rotateBox, open);
  }

  async function rotateSecret(view, graceSeconds, button) {
    button.disabled = true;
    try {
      const answer = await api('POST', subscriptionPath(view.id, '/rotate-secret'), { graceSeconds });
      updated(view, answer);
      toggleRotate(view);
      // The answer carries the new secret: shown from it, not asked for again.
      view.secret = answer && typeof answer.secret === 'string' ? answer.secret : null;
      showSecret(view, true);
      setRowMessage(view, t('Новый секрет выпущен') + (view.data.previousSecretExpiresAt
        ? t('; прежний подписывает вебхуки до ') + formatTime(view.data.previousSecretExpiresAt) : '') + '.', false);
    } catch (e) {
      setRowMessage(view, describe(e), true);
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- dead letters

  function toggleDeadLetters(view) {
    const c = view.cells;
    const open = !view.deadOpen;
    setPanel(view, 'deadOpen', c.showDead, c.deadBox, open);
    if (open) {
      setText(c.deadStatus, t('загрузка…'));
      loadDeadLetters(view);
    } else {
      view.deadSeq++;
    }
  }

  async function loadDeadLetters(view) {
    const seq = ++view.deadSeq;
    const c = view.cells;
    try {
      const body = await api('GET', '/dead-letters?subscriptionId=' + encodeURIComponent(view.id));
      if (seq !== view.deadSeq || !view.deadOpen) return;
      const letters = body && Array.isArray(body.deadLetters) ? body.deadLetters.filter((d) => d && typeof d === 'object') : [];
      const signature = JSON.stringify(letters);
      if (signature !== view.deadSignature) {   // unchanged at the 2 s poll: keep the rows
        view.deadSignature = signature;
        c.deadBody.replaceChildren(...letters.map(deadLetterRow));
      }
      setText(c.deadStatus, letters.length ? '' : t('— недоставленных нет'));
      c.deadStatus.className = 'muted small';
      c.replay.disabled = letters.length === 0;
    } catch (e) {
      if (seq !== view.deadSeq) return;
      setText(c.deadStatus, describe(e));
      c.deadStatus.className = 'bad small';
    }
  }

  function deadLetterRow(d) {
    const call = [orDash(d.callId)];
    if (d.phase) call.push(t(EVENTS[d.phase]) || String(d.phase));
    return el('tr', { testid: 'dead-letter-row', 'data-webhook-id': d.webhookId || null },
      el('td', { testid: 'dead-letter-time', text: formatTime(d.deadAt) }),
      el('td', { testid: 'dead-letter-call', text: call.join(' · ') }),
      el('td', { className: 'num', text: orDash(d.attempts) }),
      el('td', { testid: 'dead-letter-reason', className: 'bad', text: orDash(d.reasonCode) }),
      el('td', { className: 'excerpt' }, el('code', { text: truncate(orDash(d.reason), 300) })));
  }

  async function replayDeadLetters(view) {
    const button = view.cells.replay;
    button.disabled = true;
    try {
      const replay = await api('POST', '/dead-letters/replay', { subscriptionId: view.id });
      const r = replay && typeof replay === 'object' ? replay : {};
      const sent = t('отправлено повторно: ') + orDash(r.replayed) + t(', уже отправлялись раньше: ') + orDash(r.alreadyReplayed);
      setRowMessage(view, (r.state === 'RUNNING' ? t('Повтор идёт; ') : t('Повтор закончен; ')) + sent
        + (r.complete === false ? t('. Остались ещё: нажмите снова.') : '.'), false);
      loadDeadLetters(view);
    } catch (e) {
      setRowMessage(view, describe(e), true);
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- add form

  // "key=value" lines: blank lines and lines starting with # are skipped; a key may appear once.
  function parsePairs(text, field, format, problems, valueRequired) {
    const pairs = new Map();
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const at = line.indexOf('=');
      const where = field + t(': строка ') + (index + 1) + ' «' + truncate(line, 80) + '»: ';
      if (at <= 0) {
        problems.push(where + t('ожидается ') + format);
        return;
      }
      const key = line.slice(0, at).trim();
      const value = line.slice(at + 1).trim();
      if (key === '' || (valueRequired && value === '')) {
        problems.push(where + t('ожидается ') + format);
      } else if (pairs.has(key)) {
        problems.push(where + t('ключ ') + key + t(' уже указан'));
      } else {
        pairs.set(key, value);
      }
    });
    return Object.fromEntries(pairs);
  }

  function listProblems(list, lines) {
    list.replaceChildren(...lines.map((line) => el('li', { text: line })));
    show(list, lines.length > 0);
  }

  function showProblems(lines) {
    listProblems($('add-errors'), lines);
  }

  function syncProductFields() {
    const calltracking = $('new-product').value === 'CALLTRACKING';
    const fieldset = $('calltracking-options');
    show(fieldset, calltracking);
    fieldset.disabled = !calltracking;
  }

  async function addSubscription(ev) {
    ev.preventDefault();
    setText($('add-result'), '');
    if (!state.token) {
      showProblems([t('Сначала сохраните токен вверху страницы.')]);
      return;
    }
    const problems = [];
    const product = $('new-product').value;
    const body = { accountId: state.accountId, product, url: $('new-url').value.trim() };
    if (product === 'CALLTRACKING') {
      const events = $('new-events').value;
      body.events = events === 'BOTH' ? ['STARTED', 'ENDED'] : [events];
      body.contentType = $('new-content-type').value;
      const renames = parsePairs($('new-renames').value, 'renames', 'documented.path=new_name', problems, true);
      if (Object.keys(renames).length) body.renames = renames;
      const params = parsePairs($('new-params').value, 'params', 'name=value', problems, false);
      if (Object.keys(params).length) body.params = params;
    }
    if (problems.length) {
      showProblems(problems);
      return;
    }
    const button = $('add');
    button.disabled = true;
    try {
      const created = await api('POST', '/subscriptions', body);
      showProblems([]);
      $('new-url').value = '';
      $('new-renames').value = '';
      $('new-params').value = '';
      setText($('add-result'), t('Подписка добавлена: ') + orDash(created && created.url));
      refresh(true);
    } catch (e) {
      if (e instanceof ApiError && e.problems.length) showProblems(e.problems);
      else showProblems([describe(e)]);
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- language

  // The page's own Russian text, as written in index.html: text nodes and the placeholder and
  // title attributes, remembered once so that either language can be put back. Text the script
  // writes (these elements, and the table's rows) is written again in the chosen language.
  const SCRIPT_WRITTEN = new Set(['no-subscriptions-text', 'session', 'refreshed-at', 'add-result', 'error', 'lang-switch']);
  const staticTexts = [];

  function collectStaticTexts() {
    const cyrillic = /[\u0400-\u04FF]/;
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (cyrillic.test(node.nodeValue) && node.parentElement && !SCRIPT_WRITTEN.has(node.parentElement.id)) {
        const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(node.nodeValue);
        staticTexts.push({ node, ru: m[2].replace(/\s+/g, ' '), before: m[1], after: m[3] });
      }
    }
    for (const element of document.querySelectorAll('[placeholder], [title]')) {
      for (const attribute of ['placeholder', 'title']) {
        const value = element.getAttribute(attribute);
        if (value && cyrillic.test(value)) staticTexts.push({ element, attribute, ru: value });
      }
    }
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    for (const item of staticTexts) {
      if (item.node) item.node.nodeValue = item.before + t(item.ru) + item.after;
      else item.element.setAttribute(item.attribute, t(item.ru));
    }
    // Each button names the language it switches to, in that language.
    setText($('lang-switch'), state.lang === 'ru' ? 'English' : 'Русский');
    $('lang-switch').setAttribute('lang', state.lang === 'ru' ? 'en' : 'ru');
    syncAccountField();
    renderSession();
  }

  function switchLanguage() {
    state.lang = state.lang === 'ru' ? 'en' : 'ru';
    try {
      localStorage.setItem(STORE_LANG, state.lang);
    } catch (ignored) {
      // Private mode: the choice lasts until the page is left.
    }
    applyLanguage();
    setText($('add-result'), '');
    showProblems([]);
    // The rows are built in the chosen language: built again, with what the API says now.
    resetTable();
    refresh(true);
  }

  function restoreLanguage() {
    let saved = null;
    try {
      saved = localStorage.getItem(STORE_LANG);
    } catch (ignored) {
      saved = null;
    }
    state.lang = saved === 'en' ? 'en' : 'ru';
    applyLanguage();
  }

  // ---------------------------------------------------------------- start

  function init() {
    $('token-form').addEventListener('submit', saveToken);
    $('token').addEventListener('input', syncAccountField);
    $('clear-token').addEventListener('click', forgetToken);
    $('new-product').addEventListener('change', syncProductFields);
    $('add-form').addEventListener('submit', addSubscription);
    $('lang-switch').addEventListener('click', switchLanguage);
    collectStaticTexts();
    restoreLanguage();
    syncProductFields();
    syncAccountField();
    restoreToken();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
