// The TaskSync HTTP API (see docs/api.md). The only module that calls fetch.

const BASE = '/api/v1';
const PAGE_SIZE = 200;
const TIMEOUT_MS = 15000;

/** A failed request: an HTTP problem document, or no answer at all (kind "offline"). */
export class ApiError extends Error {
	constructor({ status = 0, kind = 'http', title = '', detail = '', errors = [], retryAfter = null }) {
		super(detail || title || (kind === 'offline' ? 'offline' : `HTTP ${status}`));
		this.name = 'ApiError';
		this.status = status;
		this.kind = kind;
		this.title = title;
		this.detail = detail;
		this.errors = Array.isArray(errors) ? errors : [];
		this.retryAfter = retryAfter;
	}
}

/** Seconds to wait from a Retry-After header, which is either seconds or an HTTP date. */
export function parseRetryAfter(value) {
	if (!value) return null;
	if (/^\s*\d+\s*$/.test(value)) return Number(value);
	const when = Date.parse(value);
	return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

async function readJson(response) {
	const text = await response.text();
	if (!text) return null;
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

/** How many of this tab's request ids are remembered: events they caused arrive within seconds. */
const OWN_REQUESTS = 500;

/** A fresh X-Request-ID (crypto.randomUUID needs a secure context; the fallback does not). */
function newRequestId() {
	if (crypto.randomUUID) return crypto.randomUUID();
	return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const quoted = (version) => `"${version}"`;
const HISTORY_PAGE = 30;
const NOTIFICATIONS_PAGE = 20;

/** `path` with a query of `params`: a list repeats its parameter, null and empty are left out. */
function pagePath(path, params) {
	const query = new URLSearchParams();
	for (const [name, value] of Object.entries(params)) {
		for (const one of Array.isArray(value) ? value : [value]) {
			if (one !== null && one !== undefined && one !== '') query.append(name, String(one));
		}
	}
	const text = query.toString();
	return text ? `${path}?${text}` : path;
}

export class Api {
	constructor() {
		/** Returns the bearer token to send, or null. */
		this.getToken = () => null;
		/** Called when a request that carried a token is answered 401. */
		this.onUnauthorized = () => {};
		/** The X-Request-IDs of this tab's recent requests, oldest first (a Set keeps its order). */
		this.sent = new Set();
	}

	/** Whether this tab sent the request `requestId` names: a live event it caused is no news here. */
	ownRequest(requestId) {
		return typeof requestId === 'string' && this.sent.has(requestId);
	}

	/** The headers of a request: its own X-Request-ID, remembered, and the token unless `auth` is false. */
	outgoing(headers, auth) {
		const requestId = newRequestId();
		this.sent.add(requestId);
		if (this.sent.size > OWN_REQUESTS) this.sent.delete(this.sent.values().next().value);
		const sent = { ...headers, 'X-Request-ID': requestId };
		const token = auth ? this.getToken() : null;
		if (token) sent.Authorization = `Bearer ${token}`;
		return { sent, requestId, token };
	}

	/** The ApiError of a failed answer (its problem document read); a 401 to a token says so. */
	async failure(response, token) {
		const problem = (await readJson(response)) || {};
		const error = new ApiError({
			status: response.status,
			title: problem.title,
			detail: problem.detail,
			errors: problem.errors,
			retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
		});
		if (response.status === 401 && token) this.onUnauthorized(error);
		return error;
	}

	/** One request; resolves to {status, etag, data}, rejects with ApiError. */
	async request(method, path, { body, headers = {}, auth = true } = {}) {
		const { sent, requestId, token } = this.outgoing({ Accept: 'application/json, application/problem+json', ...headers }, auth);
		if (body !== undefined) sent['Content-Type'] = 'application/json';
		let response;
		try {
			response = await fetch(BASE + path, {
				method,
				headers: sent,
				body: body === undefined ? undefined : JSON.stringify(body),
				cache: 'no-store',
				credentials: 'same-origin',
				// A request that never ends would hold back everything waiting on it.
				signal: AbortSignal.timeout(TIMEOUT_MS),
			});
		} catch {
			// No answer: if it changed something after all, its event is news to this tab.
			this.sent.delete(requestId);
			throw new ApiError({ kind: 'offline' });
		}
		const etag = response.headers.get('ETag');
		if (response.status === 304) return { status: 304, etag, data: null };
		if (!response.ok) throw await this.failure(response, token);
		const data = response.status === 204 ? null : await readJson(response);
		return { status: response.status, etag, data };
	}

	/**
	 * Opens an event stream (docs/api.md, "Live events"), resuming after `lastEventId` when given;
	 * resolves to the Response of its 200 answer, whose body the caller reads until it ends or
	 * `signal` aborts it. Rejects with ApiError as `request` does.
	 */
	async stream(path, { lastEventId = '', signal } = {}) {
		const { sent, token } = this.outgoing({ Accept: 'text/event-stream' }, true);
		if (lastEventId) sent['Last-Event-ID'] = lastEventId;
		let response;
		try {
			response = await fetch(BASE + path, { headers: sent, cache: 'no-store', credentials: 'same-origin', signal });
		} catch {
			throw new ApiError({ kind: 'offline' });
		}
		if (!response.ok) throw await this.failure(response, token);
		return response;
	}

	/** The room's live events: its changes, who has it open (docs/api.md, "Live events"). */
	roomEvents(roomId, options) {
		return this.stream(`/rooms/${roomId}/events`, options);
	}

	/** The caller's own notifications, live. */
	myEvents(options) {
		return this.stream('/users/me/events', options);
	}

	async data(method, path, options) {
		return (await this.request(method, path, options)).data;
	}

	// Accounts and sessions

	register(username, password) {
		return this.data('POST', '/auth/register', { body: { username, password }, auth: false });
	}

	login(username, password) {
		return this.data('POST', '/auth/login', { body: { username, password }, auth: false });
	}

	logout() {
		return this.data('POST', '/auth/logout');
	}

	me() {
		return this.data('GET', '/users/me');
	}

	changePassword(currentPassword, newPassword) {
		return this.data('PUT', '/users/me/password', {
			body: { current_password: currentPassword, new_password: newPassword },
		});
	}

	/** Changes the caller's `language` and/or `email` (null removes it); resolves to the user. */
	updateMe(changes) {
		return this.data('PATCH', '/users/me', { body: changes });
	}

	verifyEmail(code) {
		return this.data('POST', '/users/me/email/verify', { body: { code } });
	}

	reminders() {
		return this.data('GET', '/users/me/reminders');
	}

	saveReminders(settings) {
		return this.data('PUT', '/users/me/reminders', { body: settings });
	}

	/** The calendar feed: {url: null, created_at} when on, null when off (its 404). */
	async calendar() {
		try {
			return await this.data('GET', '/users/me/calendar');
		} catch (failure) {
			if (failure.status === 404) return null;
			throw failure;
		}
	}

	/** A new feed address {url, created_at}, replacing the old one: the only time it is shown. */
	createCalendar() {
		return this.data('POST', '/users/me/calendar');
	}

	deleteCalendar() {
		return this.data('DELETE', '/users/me/calendar');
	}

	// Rooms

	async rooms() {
		return (await this.data('GET', '/rooms')).items;
	}

	room(roomId) {
		return this.data('GET', `/rooms/${roomId}`);
	}

	createRoom(name) {
		return this.data('POST', '/rooms', { body: { name } });
	}

	renameRoom(roomId, name) {
		return this.data('PATCH', `/rooms/${roomId}`, { body: { name } });
	}

	deleteRoom(roomId) {
		return this.data('DELETE', `/rooms/${roomId}`);
	}

	joinRoom(code) {
		return this.data('POST', '/rooms/join', { body: { code } });
	}

	newCode(roomId) {
		return this.data('POST', `/rooms/${roomId}/code`);
	}

	async members(roomId) {
		return (await this.data('GET', `/rooms/${roomId}/members`)).items;
	}

	removeMember(roomId, userId) {
		return this.data('DELETE', `/rooms/${roomId}/members/${userId}`);
	}

	summary(roomId) {
		return this.data('GET', `/rooms/${roomId}/tasks/summary`);
	}

	// Tasks

	/**
	 * Every task of a room, following next_cursor. With `etag` the first page is conditional:
	 * resolves to {notModified: true} when nothing changed, else {items, etag}.
	 */
	async tasks(roomId, { etag = null } = {}) {
		const path = `/rooms/${roomId}/tasks?limit=${PAGE_SIZE}`;
		const first = await this.request('GET', path, { headers: etag ? { 'If-None-Match': etag } : {} });
		if (first.status === 304) return { notModified: true, etag: first.etag || etag };
		const items = [...first.data.items];
		let cursor = first.data.next_cursor;
		while (cursor) {
			const page = await this.data('GET', `${path}&cursor=${encodeURIComponent(cursor)}`);
			items.push(...page.items);
			cursor = page.next_cursor;
		}
		return { notModified: false, items, etag: first.etag };
	}

	task(roomId, taskId) {
		return this.data('GET', `/rooms/${roomId}/tasks/${taskId}`);
	}

	createTask(roomId, fields) {
		return this.data('POST', `/rooms/${roomId}/tasks`, { body: fields });
	}

	/** Changes a task only if it is still at `version` (412 otherwise). */
	updateTask(roomId, taskId, changes, version) {
		return this.data('PATCH', `/rooms/${roomId}/tasks/${taskId}`, {
			body: changes,
			headers: { 'If-Match': quoted(version) },
		});
	}

	deleteTask(roomId, taskId) {
		return this.data('DELETE', `/rooms/${roomId}/tasks/${taskId}`);
	}

	/** Puts a task into `status` right after task `afterId` (first in the column for null). */
	moveTask(roomId, taskId, { status, afterId }, version) {
		return this.data('POST', `/rooms/${roomId}/tasks/${taskId}/move`, {
			body: { status, after_id: afterId },
			headers: { 'If-Match': quoted(version) },
		});
	}

	// Checklists: each change answers the whole task, and is made only to `version` of it.

	addChecklistItem(roomId, taskId, text, version) {
		return this.data('POST', `/rooms/${roomId}/tasks/${taskId}/checklist`, {
			body: { text },
			headers: { 'If-Match': quoted(version) },
		});
	}

	changeChecklistItem(roomId, taskId, itemId, changes, version) {
		return this.data('PATCH', `/rooms/${roomId}/tasks/${taskId}/checklist/${itemId}`, {
			body: changes,
			headers: { 'If-Match': quoted(version) },
		});
	}

	removeChecklistItem(roomId, taskId, itemId, version) {
		return this.data('DELETE', `/rooms/${roomId}/tasks/${taskId}/checklist/${itemId}`, {
			headers: { 'If-Match': quoted(version) },
		});
	}

	// Labels

	async labels(roomId) {
		return (await this.data('GET', `/rooms/${roomId}/labels`)).items;
	}

	createLabel(roomId, name, color) {
		return this.data('POST', `/rooms/${roomId}/labels`, { body: { name, color } });
	}

	// Histories, comments and notifications: one page each, newest or oldest first as the route
	// gives them; `cursor` is the previous page's next_cursor.

	/** A page of the room's history, newest first; `kinds` narrows it to those kinds. */
	activity(roomId, { kinds = [], cursor = null, limit = HISTORY_PAGE } = {}) {
		return this.data('GET', pagePath(`/rooms/${roomId}/activity`, { kind: kinds, cursor, limit }));
	}

	/** A page of one task's history, newest first. */
	taskActivity(roomId, taskId, { cursor = null, limit = HISTORY_PAGE } = {}) {
		return this.data('GET', pagePath(`/rooms/${roomId}/tasks/${taskId}/activity`, { cursor, limit }));
	}

	/** A page of a task's comments, oldest first. */
	comments(roomId, taskId, { cursor = null, limit = HISTORY_PAGE } = {}) {
		return this.data('GET', pagePath(`/rooms/${roomId}/tasks/${taskId}/comments`, { cursor, limit }));
	}

	createComment(roomId, taskId, body) {
		return this.data('POST', `/rooms/${roomId}/tasks/${taskId}/comments`, { body: { body } });
	}

	updateComment(roomId, taskId, commentId, body) {
		return this.data('PATCH', `/rooms/${roomId}/tasks/${taskId}/comments/${commentId}`, { body: { body } });
	}

	deleteComment(roomId, taskId, commentId) {
		return this.data('DELETE', `/rooms/${roomId}/tasks/${taskId}/comments/${commentId}`);
	}

	/** A page of the caller's notifications, newest first, with `unread_count`. */
	notifications({ cursor = null, limit = NOTIFICATIONS_PAGE } = {}) {
		return this.data('GET', pagePath('/notifications', { cursor, limit }));
	}

	/** Marks the notifications `ids` read, or every one of the caller's with `all`. */
	markNotificationsRead({ ids = null, all = false } = {}) {
		return this.data('POST', '/notifications/read', { body: all ? { all: true } : { ids } });
	}

	/** Every task assigned to the caller, in every room of theirs, soonest due first. */
	async myTasks() {
		const path = `/users/me/tasks?sort=due&limit=${PAGE_SIZE}`;
		const items = [];
		let cursor = null;
		do {
			const page = await this.data('GET', cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path);
			items.push(...page.items);
			cursor = page.next_cursor;
		} while (cursor);
		return items;
	}
}
