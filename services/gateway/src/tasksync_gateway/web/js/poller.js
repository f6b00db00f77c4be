// Runs a task every few seconds while the page is visible; never two runs at once.

export class Poller {
	constructor(task, intervalMs) {
		this.task = task;
		this.intervalMs = intervalMs;
		this.timer = null;
		this.running = false;
		this.busy = false;
		this.onVisibility = () => (document.hidden ? this.pause() : this.tick());
	}

	start() {
		this.running = true;
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

	schedule() {
		this.pause();
		if (this.running && !document.hidden) this.timer = setTimeout(() => this.tick(), this.intervalMs);
	}

	/** Runs the task now, then waits a full interval before the next run. */
	async tick() {
		if (!this.running || this.busy) return;
		this.pause();
		this.busy = true;
		try {
			await this.task();
		} finally {
			this.busy = false;
			this.schedule();
		}
	}
}
