// The tasks of the open room, reloaded only when their ETag changed. A write holds back the poll,
// whose answer could predate it. Dispatches "change" with what "tasks". Each column is in the
// order of the tasks' `position` (docs/api.md, "Planning fields on tasks"), changed by `move`.

import { ApiError } from '../api.js';
import { Store } from './store.js';

export const STATUSES = ['pending', 'in progress', 'completed'];

/** Tasks of one column in the board's order: by position, then id. */
export function columnOrder(tasks) {
	return [...tasks].sort((a, b) => a.position - b.position || a.id - b.id);
}

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
		/** Whether the tasks were loaded once since the room opened. */
		this.loaded = false;
		/** The writes under way in this room; a write that outlives the room leaves the next alone. */
		this.writes = new Set();
		/** Who waits for the writes under way to end (settled). */
		this.waiting = [];
		/** Counts the writes begun in this room. */
		this.writesBegun = 0;
	}

	open(roomId) {
		this.clear();
		this.roomId = roomId;
	}

	/**
	 * Reloads the tasks unless unchanged (ETag); returns whether anything changed. An answer is
	 * dropped when a write began after it was asked for (it may predate the write, even one that
	 * has ended since): `writesBegun` tells a caller that must read again.
	 */
	async refresh() {
		const roomId = this.roomId;
		const begun = this.writesBegun;
		if (this.writes.size > 0) return false;
		const result = await this.api.tasks(roomId, { etag: this.etag });
		if (roomId !== this.roomId || this.writesBegun !== begun || result.notModified) return false;
		this.items = result.items;
		this.etag = result.etag;
		this.loaded = true;
		this.emit('tasks');
		return true;
	}

	/**
	 * The room's revision the tasks shown are at, from the list's ETag ("r<revision>-…", docs/api.md,
	 * "Live events"), or null when unknown: an event at or below it is already on the board.
	 */
	revision() {
		const match = /^"r(\d+)-/.exec(this.etag ?? '');
		return match ? Number(match[1]) : null;
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
		const { writes, waiting } = this;
		const write = Symbol('write');
		writes.add(write);
		this.writesBegun += 1;
		try {
			return await action();
		} finally {
			writes.delete(write);
			if (writes.size === 0) for (const resolve of waiting.splice(0)) resolve();
		}
	}

	/** Resolves once no write is under way (at once when none is): a refresh then is not held back. */
	settled() {
		if (this.writes.size === 0) return Promise.resolve();
		return new Promise((resolve) => this.waiting.push(resolve));
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
	save(taskId, changes, version) {
		return this.change(taskId, () => this.api.updateTask(this.roomId, taskId, changes, version));
	}

	/**
	 * Moves a task to `status` right after `afterId` (null: first). The server may renumber the
	 * other tasks' positions, so the list is reloaded afterwards.
	 */
	async move(taskId, place, version) {
		const task = await this.change(taskId, () => this.api.moveTask(this.roomId, taskId, place, version));
		this.refresh().catch(() => false);
		return task;
	}

	// Checklist changes, each made to `version` of the task and answering the whole task.

	addChecklistItem(taskId, text, version) {
		return this.change(taskId, () => this.api.addChecklistItem(this.roomId, taskId, text, version));
	}

	changeChecklistItem(taskId, itemId, changes, version) {
		return this.change(taskId, () => this.api.changeChecklistItem(this.roomId, taskId, itemId, changes, version));
	}

	removeChecklistItem(taskId, itemId, version) {
		return this.change(taskId, () => this.api.removeChecklistItem(this.roomId, taskId, itemId, version));
	}

	/** Runs a write that answers the whole task; on 412 and 404 as `save` does. */
	async change(taskId, write) {
		const roomId = this.roomId;
		try {
			const task = await this.writing(write);
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
