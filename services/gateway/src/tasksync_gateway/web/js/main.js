// Wires the client together: the stores, the header, the language and colour scheme switches, the
// hash routes and the service worker.

import { Api } from './api.js';
import { $ } from './dom.js';
import { describeError } from './errors.js';
import { applyLanguage, language, languageChosen, setLanguage, setText, showMessage, t } from './i18n.js';
import { parseRoute } from './router.js';
import { MovesStore } from './store/moves.js';
import { NotificationsStore } from './store/notifications.js';
import { OpenRoomStore } from './store/room.js';
import { RoomsStore } from './store/rooms.js';
import { SESSION_KEY, SessionStore } from './store/session.js';
import { TasksStore } from './store/tasks.js';
import { initTheme } from './theme.js';
import { createAccountView } from './views/account.js';
import { createActivityView } from './views/activity.js';
import { createAuthView } from './views/auth.js';
import { createMyTasksView } from './views/my-tasks.js';
import { createNotFoundView } from './views/not-found.js';
import { createNotificationsControl } from './views/notifications.js';
import { createRoomView } from './views/room.js';
import { createRoomsView } from './views/rooms.js';

const api = new Api();
const session = new SessionStore(api);
const rooms = new RoomsStore(api, session);
const tasks = new TasksStore(api);
const moves = new MovesStore(tasks);
const openRoom = new OpenRoomStore(api, { session, rooms, tasks, moves });
const notifications = new NotificationsStore(api, session);
const root = $(document, 'view-root');
const flashStatus = $(document, 'flash');
const flashAlert = $(document, 'flash-alert');
const announcer = $(document, 'announcer');
const languageSelect = $(document, 'language');
let view = null;
let routedHash = null;
let pending = { flash: null, alert: null };

/** Says something to screen readers without moving focus. */
function announce(message) {
	announcer.textContent = '';
	requestAnimationFrame(() => setText(announcer, message.key, message.params));
}

/** Goes to `hash`; `flash`/`alert` are messages to show on the view that opens there. */
function navigate(hash, { flash = null, alert = null, replace = false } = {}) {
	pending = { flash, alert };
	if (location.hash === hash) route();
	else if (replace) location.replace(hash);
	else location.hash = hash;
}

/** Changes the address without routing: the view already shows it (a board's filters). */
function replaceHash(hash) {
	if (location.hash === hash) return;
	history.replaceState(history.state, '', hash);
	routedHash = location.hash;
}

const ctx = { api, session, rooms, openRoom, tasks, moves, notifications, navigate, replaceHash, announce, signedIn };

/** What the sign-in just did that the next view should say (the language it adopted), or null. */
let signInNotice = null;

function signedIn() {
	const { name } = parseRoute(location.hash);
	const flash = signInNotice;
	signInNotice = null;
	if (name === 'login' || name === 'home') navigate('#/rooms', { replace: true, flash });
	else {
		pending = { flash, alert: null };
		route();
	}
}

function createView(current) {
	if (!session.signedIn) return createAuthView(ctx);
	switch (current.name) {
		case 'rooms':
			return createRoomsView(ctx);
		case 'room':
			return createRoomView(ctx, current);
		case 'activity':
			return createActivityView(ctx, current);
		case 'myTasks':
			return createMyTasksView(ctx);
		case 'account':
			return createAccountView(ctx);
		default:
			return createNotFoundView(ctx);
	}
}

function route() {
	const current = parseRoute(location.hash);
	if (current.name === 'home' || (current.name === 'login' && session.signedIn)) {
		location.replace(session.signedIn ? '#/rooms' : '#/login');
		return;
	}
	routedHash = location.hash;
	if (session.signedIn && view?.accepts?.(current)) {
		notifications.poll(); // within a view (a panel opening): the count is read if not just now
		view.update(current);
		// Only new messages: moving within a view (a panel opening) leaves what it says alone.
		if (pending.flash) showMessage(flashStatus, pending.flash);
		if (pending.alert) showMessage(flashAlert, pending.alert);
		pending = { flash: null, alert: null };
		return;
	}
	if (session.signedIn) notifications.refresh();
	view?.destroy?.();
	view = createView(current);
	root.replaceChildren(view.el);
	applyLanguage(view.el);
	view.render?.('all');
	showMessage(flashStatus, pending.flash);
	if (view.alert) {
		view.alert(pending.alert);
		showMessage(flashAlert, null);
	} else {
		showMessage(flashAlert, pending.alert);
	}
	pending = { flash: null, alert: null };
	renderHeader(current);
	setTitle();
	view.heading?.focus({ preventScroll: false });
}

function setTitle() {
	if (view?.heading && view.title === 'room.title' && openRoom.room) return;
	const own = view?.documentTitle?.();
	if (own) {
		document.title = `${own} — TaskSync`;
		return;
	}
	document.title = `${t(view?.title ?? 'auth.title')} — TaskSync`;
}

function renderHeader(current = parseRoute(location.hash)) {
	const signed = session.signedIn;
	$(document, 'nav').hidden = !signed;
	$(document, 'logout').hidden = !signed;
	const user = $(document, 'current-user');
	user.hidden = !signed || !session.user;
	if (session.user) setText(user, 'session.user', { name: session.user.username });
	for (const link of document.querySelectorAll('[data-nav] a')) {
		const path = { room: 'rooms', activity: 'rooms', myTasks: 'my-tasks' }[current.name] ?? current.name;
		const active = link.hash === `#/${path}`;
		if (active) link.setAttribute('aria-current', 'page');
		else link.removeAttribute('aria-current');
	}
}

/** Shows `lang` everywhere: the switch, the view, the bell, the header and the title. */
function showLanguage(lang) {
	setLanguage(lang);
	languageSelect.value = language();
	view?.render?.('language');
	bell.render();
	renderHeader();
	setTitle();
}

/**
 * At sign-in, a browser where nobody chose a language takes the account's (the language of its
 * mails), and says so; one where someone did keeps it and saves it on the account.
 */
function adoptAccountLanguage() {
	const lang = session.user?.language;
	if (!lang || lang === language()) return;
	if (languageChosen()) {
		session.updateMe({ language: language() }).catch(() => {});
		return;
	}
	showLanguage(lang);
	signInNotice = { key: `language.adopted.${lang}` };
}

session.addEventListener('change', (event) => {
	const { what, reason } = event.detail;
	if (what !== 'session') return;
	if (reason === 'login') adoptAccountLanguage();
	if (reason === 'user') return renderHeader();
	if (reason === 'restore') return renderHeader();
	if (reason === 'logout') return navigate('#/login', { flash: { key: 'session.loggedOut' } });
	if (reason === 'expired' || reason === 'elsewhere') {
		pending = { flash: null, alert: reason === 'expired' ? { key: 'session.expired' } : null };
		return route();
	}
	return renderHeader();
});

$(document, 'logout').addEventListener('click', () => session.logOut());

languageSelect.value = language();
// The choice is also the account's: mails come in it. Saving it may fail (offline): the client
// still switches, and the next switch saves again.
languageSelect.addEventListener('change', () => {
	showLanguage(languageSelect.value);
	if (session.signedIn && session.user?.language !== language()) {
		session.updateMe({ language: language() }).catch(() => {});
	}
});

$(document, 'skip-link').addEventListener('click', (event) => {
	event.preventDefault();
	(view?.heading ?? root).focus();
});

// A replace() followed at once by navigate() to the same hash routes before this event arrives;
// routing that hash again would drop the alert the first route showed.
window.addEventListener('hashchange', () => {
	if (location.hash !== routedHash) route();
});
window.addEventListener('storage', (event) => {
	if (event.key === SESSION_KEY) session.sync();
});

initTheme($(document, 'theme-switch'));
const bell = createNotificationsControl(ctx, $(document, 'notifications'));
applyLanguage(document);
route();
// The header and the view show once they are what the signed-in person sees: nothing moves then.
document.documentElement.dataset.booted = '';
// The client's own files, cached for when the network is gone (never API answers: see sw.js).
navigator.serviceWorker?.register('/sw.js').catch(() => {});
session.restore().catch((failure) => {
	// Offline at start: keep the token, and say so where the person looks.
	if (failure.status !== 401) showMessage(flashAlert, describeError(failure));
});
