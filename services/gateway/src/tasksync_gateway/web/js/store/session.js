// Who is signed in: the token and the person, kept in localStorage so that a reload stays signed
// in. Dispatches "change" with what "session" and a reason: login, restore, user (the account
// changed), logout, expired or elsewhere (another tab). The other stores forget what they saw
// when the session ends.

import { Store } from './store.js';

export const SESSION_KEY = 'tasksync.session';

function readSession(storage) {
	try {
		const saved = JSON.parse(storage.getItem(SESSION_KEY) || 'null');
		if (saved && typeof saved.token === 'string' && (!saved.expiresAt || saved.expiresAt > Date.now())) {
			return saved;
		}
	} catch {
		// A damaged entry is the same as none.
	}
	storage.removeItem(SESSION_KEY);
	return null;
}

export class SessionStore extends Store {
	constructor(api, storage = window.localStorage) {
		super();
		this.api = api;
		this.storage = storage;
		const saved = readSession(storage);
		this.token = saved?.token ?? null;
		this.user = saved?.user ?? null;
		api.getToken = () => this.token;
		api.onUnauthorized = () => this.end('expired');
	}

	get signedIn() {
		return this.token !== null;
	}

	start({ access_token: token, expires_in: expiresIn, user }) {
		this.token = token;
		this.user = user;
		const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : null;
		this.storage.setItem(SESSION_KEY, JSON.stringify({ token, user, expiresAt }));
		this.emit('session', { reason: 'login' });
	}

	/** Forgets the token; the stores listening forget everything seen with it. */
	end(reason) {
		if (!this.signedIn) return;
		this.token = null;
		this.user = null;
		this.storage.removeItem(SESSION_KEY);
		this.emit('session', { reason });
	}

	/** Checks a token kept from before; a 401 ends the session through onUnauthorized. */
	async restore() {
		if (!this.signedIn) return;
		this.user = await this.api.me();
		this.emit('session', { reason: 'restore' });
	}

	/** Another tab logged out or in: follow it. */
	sync() {
		const saved = readSession(this.storage);
		if (!saved) this.end('elsewhere');
		else if (saved.token !== this.token) {
			this.token = saved.token;
			this.user = saved.user;
			this.emit('session', { reason: 'login' });
		}
	}

	async logIn(username, password) {
		this.start(await this.api.login(username, password));
	}

	async signUp(username, password) {
		await this.api.register(username, password);
		await this.logIn(username, password);
	}

	async logOut() {
		try {
			await this.api.logout();
		} catch {
			// The token is dropped here whatever the server says.
		}
		this.end('logout');
	}

	/** Changes the account (language, e-mail) and keeps the user the server answers. */
	async updateMe(changes) {
		const user = await this.api.updateMe(changes);
		this.keepUser(user);
		return user;
	}

	/** The user as the server now has it, kept beside the token for the next reload. */
	keepUser(user) {
		if (!this.signedIn) return;
		this.user = user;
		const saved = readSession(this.storage);
		if (saved) this.storage.setItem(SESSION_KEY, JSON.stringify({ ...saved, user }));
		this.emit('session', { reason: 'user' });
	}

	/** Every earlier token stops working, this one included, so log in again with the new one. */
	async changePassword(currentPassword, newPassword) {
		const username = this.user.username;
		await this.api.changePassword(currentPassword, newPassword);
		await this.logIn(username, newPassword);
	}
}
