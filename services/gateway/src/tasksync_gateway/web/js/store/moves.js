// Moving tasks between columns: a move shows at once and is sent after the previous move of the
// same task. Dispatches "change" with what "tasks" when the tasks as shown change.

import { Store } from './store.js';

export class MovesStore extends Store {
	constructor(tasks) {
		super();
		this.tasks = tasks;
		this.clear();
	}

	clear() {
		/** Task id to the status it is being moved to. */
		this.pendingStatus = new Map();
		/** Task id to its last move, which the next one waits for. */
		this.queue = new Map();
	}

	/** The tasks as shown: with the status of moves not yet confirmed by the server. */
	visibleTasks() {
		const { items } = this.tasks;
		if (this.pendingStatus.size === 0) return items;
		return items.map((task) =>
			this.pendingStatus.has(task.id) ? { ...task, status: this.pendingStatus.get(task.id) } : task,
		);
	}

	/**
	 * Moves a task at once on screen, then on the server. Moves of one task are sent one after
	 * another, each from the version the previous one left; a move overtaken by a later one before
	 * its turn is not sent at all. Resolves to the saved task, or null when overtaken.
	 */
	move(taskId, status) {
		this.pendingStatus.set(taskId, status);
		this.emit('tasks');
		const previous = this.queue.get(taskId) ?? Promise.resolve();
		const run = previous.catch(() => null).then(() => this.send(taskId, status));
		this.queue.set(taskId, run);
		const forget = () => {
			if (this.queue.get(taskId) === run) this.queue.delete(taskId);
		};
		run.then(forget, forget);
		return run;
	}

	async send(taskId, status) {
		if (this.pendingStatus.get(taskId) !== status) return null;
		const settle = () => {
			if (this.pendingStatus.get(taskId) !== status) return;
			this.pendingStatus.delete(taskId);
			this.emit('tasks');
		};
		const task = this.tasks.get(taskId);
		try {
			const saved = !task || task.status === status ? task : await this.tasks.save(taskId, { status }, task.version);
			settle();
			return saved;
		} catch (error) {
			settle();
			throw error;
		}
	}
}
