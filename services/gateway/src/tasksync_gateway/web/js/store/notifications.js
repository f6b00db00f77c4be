// The signed-in person's notifications: the newest page (more on asking), the unread count, marking
// read. Read again on each event of the person's live stream (GET /users/me/events) while it is
// open; while it is down, on navigation and when a view polls, at most once per POLL_MS unless asked
// to (no timer of its own). Dispatches "change" with what "notifications". `available` is false
// until the server answered once (a server without notifications shows no bell).

import { EventStream } from '../event-stream.js';
import { coalesced } from '../poller.js';
import { Store } from './store.js';

const POLL_MS = 15000;

export class NotificationsStore extends Store {
	constructor(api, session) {
		super();
		this.api = api;
		this.session = session;
		/** Whether the live stream is open: then its events say when to read, not polls. */
		this.live = false;
		this.clear();
		const reread = coalesced(() => this.refresh());
		this.stream = new EventStream((lastEventId, signal) => api.myEvents({ lastEventId, signal }), {
			onEvent: (event) => {
				// `reset`: more was missed than the stream replays; the newest page says what is new.
				if (event.type === 'notification' || event.type === 'reset') reread();
			},
			onState: (state) => {
				this.live = state === 'open';
				// Opened: what came before it (or while it was down) is read once.
				if (this.live) reread();
			},
		});
		/** The token the stream was opened with: another one is another session, or person. */
		let streaming = null;
		const follow = () => {
			if (!session.signedIn) {
				streaming = null;
				this.live = false;
				this.stream.stop();
			} else if (session.token !== streaming) {
				this.stream.restart({ resume: streaming !== null && session.user?.id === this.userId });
				streaming = session.token;
				this.userId = session.user?.id;
			}
		};
		session.addEventListener('change', () => {
			if (!session.signedIn) this.clear();
			follow();
		});
		follow();
	}

	clear() {
		this.items = [];
		this.unread = 0;
		this.next = null;
		this.available = false;
		this.readAt = 0;
		/** Counts the reads begun: a session's answer arriving after it ended is dropped. */
		this.generation = (this.generation ?? 0) + 1;
		this.emit('notifications');
	}

	/** Reads the newest page and the count; older pages already shown stay below it. */
	async refresh() {
		if (!this.session.signedIn) return;
		const asked = this.generation;
		this.readAt = Date.now();
		let page;
		try {
			page = await this.api.notifications();
		} catch {
			return; // the bell keeps what it showed; the next poll tries again
		}
		if (asked !== this.generation) return;
		const oldest = page.items.at(-1)?.id ?? Infinity;
		const older = this.items.filter((item) => item.id < oldest);
		const gap = page.next_cursor && !this.items.some((item) => item.id >= oldest);
		this.items = gap || older.length === 0 ? page.items : [...page.items, ...older];
		if (gap || older.length === 0) this.next = page.next_cursor;
		this.unread = page.unread_count;
		this.available = true;
		this.emit('notifications');
	}

	/** A view's poll: reads again when the last read is older than POLL_MS (never while live). */
	poll() {
		if (!this.live && Date.now() - this.readAt >= POLL_MS) this.refresh();
	}

	/** A room the person is in changed (a comment may mention them): read now, unless live. */
	roomChanged() {
		if (!this.live) this.refresh();
	}

	async more() {
		if (!this.next) return;
		const asked = this.generation;
		const page = await this.api.notifications({ cursor: this.next });
		if (asked !== this.generation) return;
		const known = new Set(this.items.map((item) => item.id));
		this.items = [...this.items, ...page.items.filter((item) => !known.has(item.id))];
		this.next = page.next_cursor;
		this.emit('notifications');
	}

	/** Marks notifications read: at once on screen, then on the server, then reads the count. */
	async markRead(ids) {
		const unread = new Set(this.items.filter((item) => !item.read && ids.includes(item.id)).map((item) => item.id));
		if (unread.size === 0) return;
		this.items = this.items.map((item) => (unread.has(item.id) ? { ...item, read: true } : item));
		this.unread = Math.max(0, this.unread - unread.size);
		this.emit('notifications');
		try {
			await this.api.markNotificationsRead({ ids: [...unread] });
		} finally {
			await this.refresh();
		}
	}

	async markAllRead() {
		this.items = this.items.map((item) => ({ ...item, read: true }));
		this.unread = 0;
		this.emit('notifications');
		try {
			await this.api.markNotificationsRead({ all: true });
		} finally {
			await this.refresh();
		}
	}

	/** A task was opened: what told of it is read. */
	readTask(roomId, taskId) {
		const about = (item) => item.room_id === roomId && item.task_id === taskId && !item.read;
		const ids = this.items.filter(about).map((item) => item.id);
		if (ids.length) this.markRead(ids).catch(() => {});
	}
}
