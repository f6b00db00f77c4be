// Moving tasks on the board: a move shows at once and is sent after the previous move of the same
// task. Dispatches "change" with what "tasks" when the tasks as shown change. A move names a column
// and the task it goes after (null: first).

import { STATUSES, columnOrder } from './tasks.js';
import { Store } from './store.js';

export class MovesStore extends Store {
	constructor(tasks) {
		super();
		this.tasks = tasks;
		this.clear();
	}

	clear() {
		/** Task id to the place {status, afterId} it is being moved to, in the order asked. */
		this.pending = new Map();
		/** Task id to its last move, which the next one waits for. */
		this.queue = new Map();
	}

	/** The tasks as shown: with the status of moves not yet confirmed by the server. */
	visibleTasks() {
		const { items } = this.tasks;
		if (this.pending.size === 0) return items;
		return items.map((task) => (this.pending.has(task.id) ? { ...task, status: this.pending.get(task.id).status } : task));
	}

	/** Each column's tasks in order, as shown: moves not yet confirmed already in their place. */
	columns() {
		const visible = this.visibleTasks();
		const moving = new Set(this.pending.keys());
		const columns = Object.fromEntries(
			STATUSES.map((status) => [status, columnOrder(visible.filter((task) => task.status === status && !moving.has(task.id)))]),
		);
		for (const [taskId, { status, afterId }] of this.pending) {
			const task = visible.find((known) => known.id === taskId);
			const column = columns[status];
			if (!task || !column) continue;
			const after = afterId === null ? -1 : column.findIndex((known) => known.id === afterId);
			if (afterId === null) column.unshift(task);
			else if (after === -1) column.push(task);
			else column.splice(after + 1, 0, task);
		}
		return columns;
	}

	/**
	 * Moves a task at once on screen, then on the server. Moves of one task are sent one after
	 * another, each from the version the previous one left; a move overtaken by a later one before
	 * its turn is not sent at all. Resolves to the saved task, or null when overtaken.
	 */
	move(taskId, status, afterId = null) {
		const place = { status, afterId };
		this.pending.delete(taskId); // re-inserted last: the latest move is applied last
		this.pending.set(taskId, place);
		this.emit('tasks');
		const previous = this.queue.get(taskId) ?? Promise.resolve();
		const run = previous.catch(() => null).then(() => this.send(taskId, place));
		this.queue.set(taskId, run);
		const forget = () => {
			if (this.queue.get(taskId) === run) this.queue.delete(taskId);
		};
		run.then(forget, forget);
		return run;
	}

	async send(taskId, place) {
		if (this.pending.get(taskId) !== place) return null;
		const settle = () => {
			if (this.pending.get(taskId) !== place) return;
			this.pending.delete(taskId);
			this.emit('tasks');
		};
		const task = this.tasks.get(taskId);
		try {
			const saved = task ? await this.tasks.move(taskId, place, task.version) : null;
			settle();
			return saved;
		} catch (error) {
			settle();
			throw error;
		}
	}
}
