// Runs a task every few seconds (start to start) while the page is visible; never two at once. And
// a task run on demand, never two at once (coalesced).

export class Poller {
	constructor(task, intervalMs) {
		this.task = task;
		this.intervalMs = intervalMs;
		this.timer = null;
		this.running = false;
		this.busy = false;
		this.startedAt = 0;
		this.onVisibility = () => (document.hidden ? this.pause() : this.tick());
	}

	start() {
		this.running = true;
		this.startedAt = performance.now();
		document.addEventListener('visibilitychange', this.onVisibility);
		this.schedule();
	}

	stop() {
		this.running = false;
		this.pause();
		document.removeEventListener('visibilitychange', this.onVisibility);
	}

	pause() {
		clearTimeout(this.timer);
		this.timer = null;
	}

	/** The next run comes one interval after this one started, so slow answers do not add up. */
	schedule() {
		this.pause();
		if (!this.running || document.hidden) return;
		const wait = Math.max(this.intervalMs / 4, this.startedAt + this.intervalMs - performance.now());
		this.timer = setTimeout(() => this.tick(), wait);
	}

	/** Runs the task now, then schedules the next run. */
	async tick() {
		if (!this.running || this.busy) return;
		this.pause();
		this.busy = true;
		this.startedAt = performance.now();
		try {
			await this.task();
		} finally {
			this.busy = false;
			this.schedule();
		}
	}
}

/**
 * `task` behind a function that never runs it twice at once: calls while it runs make one more
 * run after it (however many they were), so a burst of live events costs at most two runs.
 */
export function coalesced(task) {
	let running = null;
	let again = false;
	const run = async () => {
		do {
			again = false;
			try {
				await task();
			} catch {
				// The task says its own failures; the next call runs it anew.
			}
		} while (again);
		running = null;
	};
	return () => {
		if (running) again = true;
		else running = run();
		return running;
	};
}
