// The rooms the signed-in person belongs to, each with the summary of its tasks; creating and
// joining rooms. Dispatches "change" with what "rooms" (the list) or "summaries".

import { Store } from './store.js';

/** Code as a person may type it: any case, with spaces or dashes. */
export function normalizeCode(code) {
	return code.replace(/[\s-]+/g, '').toUpperCase();
}

export class RoomsStore extends Store {
	constructor(api, session) {
		super();
		this.api = api;
		this.clear();
		session.addEventListener('change', () => {
			if (!session.signedIn) this.clear();
		});
	}

	clear() {
		/** The rooms, or null before they are loaded. */
		this.list = null;
		/** Room id to its summary; null when it could not be had. */
		this.summaries = new Map();
	}

	async load() {
		this.list = await this.api.rooms();
		this.emit('rooms');
		await Promise.all(this.list.map((room) => this.loadSummary(room.id)));
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

	async create(name) {
		const room = await this.api.createRoom(name);
		this.list = [...(this.list ?? []), room];
		this.summaries.set(room.id, { total: 0, pending: 0, in_progress: 0, completed: 0 });
		this.emit('rooms');
		return room;
	}

	async join(code) {
		return this.api.joinRoom(normalizeCode(code));
	}

	/** A room deleted, left or found gone. */
	forget(roomId) {
		if (this.list) this.list = this.list.filter((room) => room.id !== roomId);
		this.summaries.delete(roomId);
	}
}
