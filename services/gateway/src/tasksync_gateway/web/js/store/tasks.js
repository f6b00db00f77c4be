// The tasks of the open room, reloaded only when their ETag changed. A write holds back the poll,
// whose answer could predate it. Dispatches "change" with what "tasks".

import { ApiError } from '../api.js';
import { Store } from './store.js';

export const STATUSES = ['pending', 'in progress', 'completed'];

export class TasksStore extends Store {
	constructor(api) {
		super();
		this.api = api;
		this.clear();
	}

	clear() {
		this.roomId = null;
		this.items = [];
		this.etag = null;
		/** The writes under way in this room; a write that outlives the room leaves the next alone. */
		this.writes = new Set();
	}

	open(roomId) {
		this.clear();
		this.roomId = roomId;
	}

	/** Reloads the tasks unless unchanged (ETag); returns whether anything changed. */
	async refresh() {
		const roomId = this.roomId;
		if (this.writes.size > 0) return false;
		const result = await this.api.tasks(roomId, { etag: this.etag });
		if (roomId !== this.roomId || this.writes.size > 0 || result.notModified) return false;
		this.items = result.items;
		this.etag = result.etag;
		this.emit('tasks');
		return true;
	}

	get(taskId) {
		return this.items.find((task) => task.id === taskId) ?? null;
	}

	put(task) {
		const at = this.items.findIndex((known) => known.id === task.id);
		if (at === -1) this.items = [...this.items, task];
		else this.items = this.items.map((known, index) => (index === at ? task : known));
		this.emit('tasks');
	}

	drop(taskId) {
		this.items = this.items.filter((task) => task.id !== taskId);
		this.emit('tasks');
	}

	/** Runs a write while holding back the poll, whose answer could predate the write. */
	async writing(action) {
		const { writes } = this;
		const write = Symbol('write');
		writes.add(write);
		try {
			return await action();
		} finally {
			writes.delete(write);
		}
	}

	async add(fields) {
		const task = await this.writing(() => this.api.createTask(this.roomId, fields));
		this.put(task);
		return task;
	}

	/**
	 * Saves changes made to `version` of a task. When someone else changed it first (412), loads
	 * the fresh task, shows it, and rejects with the error carrying it as `error.fresh`.
	 */
	async save(taskId, changes, version) {
		const roomId = this.roomId;
		try {
			const task = await this.writing(() => this.api.updateTask(roomId, taskId, changes, version));
			if (roomId === this.roomId) this.put(task);
			return task;
		} catch (error) {
			if (roomId !== this.roomId) throw error;
			if (error.status === 412) {
				error.fresh = await this.reload(taskId);
			} else if (error.status === 404) {
				this.drop(taskId);
			}
			throw error;
		}
	}

	async reload(taskId) {
		try {
			const task = await this.api.task(this.roomId, taskId);
			this.put(task);
			return task;
		} catch (error) {
			if (error.status === 404) this.drop(taskId);
			return null;
		}
	}

	async delete(taskId) {
		try {
			await this.writing(() => this.api.deleteTask(this.roomId, taskId));
		} catch (error) {
			// Already deleted by someone else: the outcome asked for.
			if (!(error instanceof ApiError && error.status === 404)) throw error;
		}
		this.drop(taskId);
	}
}
