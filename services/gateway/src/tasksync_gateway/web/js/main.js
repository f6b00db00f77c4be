// Wires the client together: the store, the header, the language switch and the hash routes.

import { Api } from './api.js';
import { $ } from './dom.js';
import { describeError } from './errors.js';
import { applyLanguage, language, setLanguage, setText, showMessage, t } from './i18n.js';
import { parseRoute } from './router.js';
import { Store } from './store.js';
import { createAccountView } from './views/account.js';
import { createAuthView } from './views/auth.js';
import { createNotFoundView } from './views/not-found.js';
import { createRoomView } from './views/room.js';
import { createRoomsView } from './views/rooms.js';

const store = new Store(new Api());
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

const ctx = { store, navigate, announce, signedIn };

function signedIn() {
	const { name } = parseRoute(location.hash);
	if (name === 'login' || name === 'home') navigate('#/rooms', { replace: true });
	else route();
}

function createView(route) {
	if (!store.signedIn) return createAuthView(ctx);
	switch (route.name) {
		case 'rooms':
			return createRoomsView(ctx);
		case 'room':
			return createRoomView(ctx, route.roomId);
		case 'account':
			return createAccountView(ctx);
		default:
			return createNotFoundView(ctx);
	}
}

function route() {
	const current = parseRoute(location.hash);
	if (current.name === 'home' || (current.name === 'login' && store.signedIn)) {
		location.replace(store.signedIn ? '#/rooms' : '#/login');
		return;
	}
	routedHash = location.hash;
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
	if (view?.heading && view.title === 'room.title' && store.room) return;
	document.title = `${t(view?.title ?? 'auth.title')} — TaskSync`;
}

function renderHeader(current = parseRoute(location.hash)) {
	const signed = store.signedIn;
	$(document, 'nav').hidden = !signed;
	$(document, 'logout').hidden = !signed;
	const user = $(document, 'current-user');
	user.hidden = !signed || !store.user;
	if (store.user) setText(user, 'session.user', { name: store.user.username });
	for (const link of document.querySelectorAll('[data-nav] a')) {
		const active = link.getAttribute('href') === `#/${current.name}` || (current.name === 'room' && link.getAttribute('href') === '#/rooms');
		if (active) link.setAttribute('aria-current', 'page');
		else link.removeAttribute('aria-current');
	}
}

store.addEventListener('change', (event) => {
	const { what, reason } = event.detail;
	if (what !== 'session') return;
	if (reason === 'restore') return renderHeader();
	if (reason === 'logout') return navigate('#/login', { flash: { key: 'session.loggedOut' } });
	if (reason === 'expired' || reason === 'elsewhere') {
		pending = { flash: null, alert: reason === 'expired' ? { key: 'session.expired' } : null };
		return route();
	}
	return renderHeader();
});

$(document, 'logout').addEventListener('click', () => store.logOut());

languageSelect.value = language();
languageSelect.addEventListener('change', () => {
	setLanguage(languageSelect.value);
	view?.render?.('language');
	renderHeader();
	setTitle();
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
	if (event.key === 'tasksync.session') store.syncSession();
});

applyLanguage(document);
route();
store.restoreSession().catch((failure) => {
	// Offline at start: keep the token, and say so where the person looks.
	if (failure.status !== 401) showMessage(flashAlert, describeError(failure));
});
