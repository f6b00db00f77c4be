// The client's state and the actions that change it. Every change dispatches a "change" event
// whose detail.what names the part that changed: session, rooms, summaries, room, members, tasks.

import { ApiError } from './api.js';

const SESSION_KEY = 'tasksync.session';

export const STATUSES = ['pending', 'in progress', 'completed'];

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

/** Code as a person may type it: any case, with spaces or dashes. */
export function normalizeCode(code) {
	return code.replace(/[\s-]+/g, '').toUpperCase();
}

export class Store extends EventTarget {
	constructor(api, storage = window.localStorage) {
		super();
		this.api = api;
		this.storage = storage;
		const saved = readSession(storage);
		this.token = saved?.token ?? null;
		this.user = saved?.user ?? null;
		this.rooms = null;
		this.summaries = new Map();
		this.clearRoom();
		api.getToken = () => this.token;
		api.onUnauthorized = () => this.endSession('expired');
	}

	emit(what, detail = {}) {
		this.dispatchEvent(new CustomEvent('change', { detail: { what, ...detail } }));
	}

	get signedIn() {
		return this.token !== null;
	}

	// Session

	startSession({ access_token: token, expires_in: expiresIn, user }) {
		this.token = token;
		this.user = user;
		const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : null;
		this.storage.setItem(SESSION_KEY, JSON.stringify({ token, user, expiresAt }));
		this.emit('session', { reason: 'login' });
	}

	/** Forgets the token and everything seen with it. */
	endSession(reason) {
		if (!this.signedIn) return;
		this.token = null;
		this.user = null;
		this.rooms = null;
		this.summaries = new Map();
		this.clearRoom();
		this.storage.removeItem(SESSION_KEY);
		this.emit('session', { reason });
	}

	/** Checks a token kept from before; a 401 ends the session through onUnauthorized. */
	async restoreSession() {
		if (!this.signedIn) return;
		this.user = await this.api.me();
		this.emit('session', { reason: 'restore' });
	}

	/** Another tab logged out or in: follow it. */
	syncSession() {
		const saved = readSession(this.storage);
		if (!saved) this.endSession('elsewhere');
		else if (saved.token !== this.token) {
			this.token = saved.token;
			this.user = saved.user;
			this.emit('session', { reason: 'login' });
		}
	}

	async logIn(username, password) {
		this.startSession(await this.api.login(username, password));
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
		this.endSession('logout');
	}

	/** Every earlier token stops working, this one included, so log in again with the new one. */
	async changePassword(currentPassword, newPassword) {
		const username = this.user.username;
		await this.api.changePassword(currentPassword, newPassword);
		await this.logIn(username, newPassword);
	}

	// Rooms list

	async loadRooms() {
		this.rooms = await this.api.rooms();
		this.emit('rooms');
		await Promise.all(this.rooms.map((room) => this.loadSummary(room.id)));
		this.emit('summaries');
	}

	async loadSummary(roomId) {
		try {
			this.summaries.set(roomId, await this.api.summary(roomId));
		} catch (error) {
			if (error.kind === 'offline' || error.status === 401) throw error;
			this.summaries.set(roomId, await this.countTasks(roomId).catch(() => null));
		}
	}

	/** The summary from the task list itself, for a server without the summary route. */
	async countTasks(roomId) {
		const { items } = await this.api.tasks(roomId);
		const count = (status) => items.filter((task) => task.status === status).length;
		return {
			total: items.length,
			pending: count('pending'),
			in_progress: count('in progress'),
			completed: count('completed'),
		};
	}

	async createRoom(name) {
		const room = await this.api.createRoom(name);
		this.rooms = [...(this.rooms ?? []), room];
		this.summaries.set(room.id, { total: 0, pending: 0, in_progress: 0, completed: 0 });
		this.emit('rooms');
		return room;
	}

	async joinRoom(code) {
		return this.api.joinRoom(normalizeCode(code));
	}

	// The open room

	clearRoom() {
		this.roomId = null;
		this.room = null;
		this.members = [];
		this.tasks = [];
		this.tasksEtag = null;
		this.pendingWrites = 0;
		this.pendingStatus = new Map();
		this.moveQueue = new Map();
	}

	async openRoom(roomId) {
		this.clearRoom();
		this.roomId = roomId;
		this.emit('room');
		await Promise.all([this.refreshRoom(), this.refreshTasks()]);
	}

	closeRoom() {
		this.clearRoom();
	}

	/** The room and its members; answers from a room closed meanwhile are dropped. */
	async refreshRoom() {
		const roomId = this.roomId;
		const [room, members] = await Promise.all([this.api.room(roomId), this.api.members(roomId)]);
		if (roomId !== this.roomId) return;
		this.room = room;
		this.members = members;
		this.emit('room');
		this.emit('members');
	}

	/** Reloads the tasks unless unchanged (ETag); returns whether anything changed. */
	async refreshTasks() {
		const roomId = this.roomId;
		if (this.pendingWrites > 0) return false;
		const result = await this.api.tasks(roomId, { etag: this.tasksEtag });
		if (roomId !== this.roomId || this.pendingWrites > 0 || result.notModified) return false;
		this.tasks = result.items;
		this.tasksEtag = result.etag;
		this.emit('tasks');
		return true;
	}

	setRoom(room) {
		this.room = room;
		this.emit('room');
	}

	async renameRoom(name) {
		this.setRoom(await this.api.renameRoom(this.roomId, name));
	}

	async newCode() {
		this.setRoom(await this.api.newCode(this.roomId));
	}

	async deleteRoom() {
		await this.api.deleteRoom(this.roomId);
		this.forgetRoom(this.roomId);
	}

	async leaveRoom() {
		await this.api.removeMember(this.roomId, this.user.id);
		this.forgetRoom(this.roomId);
	}

	forgetRoom(roomId) {
		if (this.rooms) this.rooms = this.rooms.filter((room) => room.id !== roomId);
		this.summaries.delete(roomId);
		if (this.roomId === roomId) this.clearRoom();
	}

	async removeMember(userId) {
		await this.api.removeMember(this.roomId, userId);
		this.members = this.members.filter((member) => member.user_id !== userId);
		this.emit('members');
	}

	memberName(userId) {
		return this.members.find((member) => member.user_id === userId)?.username ?? null;
	}

	// Tasks of the open room

	task(taskId) {
		return this.tasks.find((task) => task.id === taskId) ?? null;
	}

	putTask(task) {
		const at = this.tasks.findIndex((known) => known.id === task.id);
		if (at === -1) this.tasks = [...this.tasks, task];
		else this.tasks = this.tasks.map((known, index) => (index === at ? task : known));
		this.emit('tasks');
	}

	dropTask(taskId) {
		this.tasks = this.tasks.filter((task) => task.id !== taskId);
		this.emit('tasks');
	}

	/** Runs a write while holding back the poll, whose answer could predate the write. */
	async writing(action) {
		this.pendingWrites += 1;
		try {
			return await action();
		} finally {
			this.pendingWrites -= 1;
		}
	}

	async addTask(fields) {
		const task = await this.writing(() => this.api.createTask(this.roomId, fields));
		this.putTask(task);
		return task;
	}

	/**
	 * Saves changes made to `version` of a task. When someone else changed it first (412), loads
	 * the fresh task, shows it, and rejects with the error carrying it as `error.fresh`.
	 */
	async saveTask(taskId, changes, version) {
		const roomId = this.roomId;
		try {
			const task = await this.writing(() => this.api.updateTask(roomId, taskId, changes, version));
			if (roomId === this.roomId) this.putTask(task);
			return task;
		} catch (error) {
			if (roomId !== this.roomId) throw error;
			if (error.status === 412) {
				error.fresh = await this.reloadTask(taskId);
			} else if (error.status === 404) {
				this.dropTask(taskId);
			}
			throw error;
		}
	}

	async reloadTask(taskId) {
		try {
			const task = await this.api.task(this.roomId, taskId);
			this.putTask(task);
			return task;
		} catch (error) {
			if (error.status === 404) this.dropTask(taskId);
			return null;
		}
	}

	/** The tasks as shown: with the status of moves not yet confirmed by the server. */
	visibleTasks() {
		if (this.pendingStatus.size === 0) return this.tasks;
		return this.tasks.map((task) =>
			this.pendingStatus.has(task.id) ? { ...task, status: this.pendingStatus.get(task.id) } : task,
		);
	}

	/**
	 * Moves a task at once on screen, then on the server. Moves of one task are sent one after
	 * another, each from the version the previous one left; a move overtaken by a later one before
	 * its turn is not sent at all. Resolves to the saved task, or null when overtaken.
	 */
	moveTask(taskId, status) {
		this.pendingStatus.set(taskId, status);
		this.emit('tasks');
		const previous = this.moveQueue.get(taskId) ?? Promise.resolve();
		const run = previous.catch(() => null).then(() => this.sendMove(taskId, status));
		this.moveQueue.set(taskId, run);
		const forget = () => {
			if (this.moveQueue.get(taskId) === run) this.moveQueue.delete(taskId);
		};
		run.then(forget, forget);
		return run;
	}

	async sendMove(taskId, status) {
		if (this.pendingStatus.get(taskId) !== status) return null;
		const settle = () => {
			if (this.pendingStatus.get(taskId) !== status) return;
			this.pendingStatus.delete(taskId);
			this.emit('tasks');
		};
		const task = this.task(taskId);
		try {
			const saved = !task || task.status === status ? task : await this.saveTask(taskId, { status }, task.version);
			settle();
			return saved;
		} catch (error) {
			settle();
			throw error;
		}
	}

	async deleteTask(taskId) {
		try {
			await this.writing(() => this.api.deleteTask(this.roomId, taskId));
		} catch (error) {
			// Already deleted by someone else: the outcome asked for.
			if (!(error instanceof ApiError && error.status === 404)) throw error;
		}
		this.dropTask(taskId);
	}
}
