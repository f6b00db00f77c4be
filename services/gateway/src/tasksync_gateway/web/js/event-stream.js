// A server-sent event stream (docs/api.md, "Live events") read with fetch rather than EventSource,
// so that the token travels in a header, never in the URL. It reconnects with backoff, resumes
// with Last-Event-ID, takes a stream that stays silent past two heartbeats for dead, and gives up
// for good when the server says this reader may not go on.

/** Reconnection time until the stream says otherwise with `retry:` (the server sends 3000). */
const RETRY_MS = 3000;
/** The longest wait between two attempts, however many failed. */
const MAX_DELAY_MS = 30000;
/** The server sends at least a comment every 15 s: no byte for longer than two of them is a dead line. */
const DEAD_MS = 45000;

/**
 * The text/event-stream format (WHATWG HTML, "Server-sent events"): fed the stream's text piece by
 * piece as it arrives (lines may end in CRLF, LF or CR, split anywhere), it calls `onEvent` with
 * {type, data, id} for each event and `onRetry(ms)` for each valid `retry:` field.
 */
export class EventParser {
	constructor({ onEvent, onRetry = () => {}, lastEventId = '' }) {
		this.onEvent = onEvent;
		this.onRetry = onRetry;
		/** What an `id:` field set last: it carries over events, and becomes lastEventId at each dispatch. */
		this.idBuffer = lastEventId;
		/** The id to resume after (Last-Event-ID). */
		this.lastEventId = lastEventId;
		this.type = '';
		this.data = [];
		/** The start of a line whose end has not arrived yet. */
		this.rest = '';
		this.started = false;
		/** The last piece ended in CR: an LF opening the next one ends no second line. */
		this.afterCr = false;
	}

	feed(piece) {
		let text = piece;
		if (!text) return;
		if (this.afterCr && text[0] === '\n') text = text.slice(1);
		this.afterCr = false;
		if (!this.started) {
			this.started = true;
			if (text[0] === '\uFEFF') text = text.slice(1); // one byte order mark may open the stream
		}
		const all = this.rest + text;
		const ends = /\r\n|\r|\n/g;
		let from = 0;
		for (let end = ends.exec(all); end !== null; end = ends.exec(all)) {
			this.line(all.slice(from, end.index));
			from = ends.lastIndex;
			if (end[0] === '\r' && from === all.length) this.afterCr = true;
		}
		this.rest = all.slice(from);
	}

	line(line) {
		if (line === '') return this.dispatch();
		if (line[0] === ':') return undefined; // a comment: the heartbeat
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value[0] === ' ') value = value.slice(1);
		if (field === 'event') this.type = value;
		else if (field === 'data') this.data.push(value);
		else if (field === 'id' && !value.includes('\0')) this.idBuffer = value;
		else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
		return undefined; // other fields are ignored
	}

	/** A blank line ends an event; one without data is none, but its id still counts. */
	dispatch() {
		this.lastEventId = this.idBuffer;
		const event = { type: this.type || 'message', data: this.data.join('\n'), id: this.lastEventId };
		const hasData = this.data.length > 0;
		this.type = '';
		this.data = [];
		if (hasData) this.onEvent(event);
	}
}

/** Why a stream stops for good: a status that asking again would only repeat. */
function final(status) {
	return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * One stream, reconnecting until stopped. `connect(lastEventId, signal)` resolves to the fetch
 * Response of a 200 answer or rejects with an error carrying `status` (0 or none: no answer) and
 * `retryAfter` (seconds, or null), as Api.stream does. `onEvent({type, data, id})` hears each
 * event; `onState(state, why)` hears "open" (events flow), "down" (reconnecting) and "closed" (for
 * good: `why` is "revoked" or the HTTP status).
 */
export class EventStream {
	constructor(
		connect,
		{ onEvent, onState = () => {}, retryMs = RETRY_MS, maxDelayMs = MAX_DELAY_MS, deadMs = DEAD_MS, random = Math.random },
	) {
		this.connect = connect;
		this.onEvent = onEvent;
		this.onState = onState;
		this.retryMs = retryMs;
		this.maxDelayMs = maxDelayMs;
		this.deadMs = deadMs;
		this.random = random;
		this.lastEventId = '';
		this.state = 'idle';
		/** Attempts failed in a row: the next wait doubles with each, up to maxDelayMs. */
		this.failures = 0;
		/** Each run of the loop has its own; a stale one ends without touching this stream. */
		this.run = null;
		// The browser knows the network went away long before a silent line is taken for dead:
		// the stream is down at once (and its reader polls); back online, it connects at once.
		this.onOffline = () => this.run?.controller?.abort();
		this.onOnline = () => {
			this.failures = 0;
			this.run?.wake?.();
		};
	}

	/** Connects, and keeps connecting, until stopped. */
	start() {
		if (this.run) return;
		const run = { controller: null, wake: null, dead: null, stopped: false, revoked: false };
		this.run = run;
		window.addEventListener('offline', this.onOffline);
		window.addEventListener('online', this.onOnline);
		this.loop(run);
	}

	/** Closes the stream; no more events or states are heard from it. */
	stop() {
		const { run } = this;
		if (!run) return;
		this.run = null;
		run.stopped = true;
		clearTimeout(run.dead);
		run.controller?.abort();
		run.wake?.();
		this.state = 'idle';
		window.removeEventListener('offline', this.onOffline);
		window.removeEventListener('online', this.onOnline);
	}

	/**
	 * Connects anew at once (the token changed), also after the stream closed for good; `resume`
	 * false starts from now instead of after the last event heard (someone else signed in).
	 */
	restart({ resume = true } = {}) {
		this.stop();
		this.failures = 0;
		if (!resume) this.lastEventId = '';
		this.start();
	}

	setState(state, why) {
		if (state === this.state && state !== 'closed') return;
		this.state = state;
		this.onState(state, why);
	}

	async loop(run) {
		while (!run.stopped) {
			let wait;
			try {
				await this.read(run);
				// The server ended the stream (a worker restarting, a proxy's limit): come back soon.
				wait = this.delay();
			} catch (failure) {
				if (run.stopped) return;
				if (failure?.revoked || final(failure?.status)) {
					this.close(run, failure.revoked ? 'revoked' : failure.status);
					return;
				}
				const later = Number.isFinite(failure?.retryAfter) ? failure.retryAfter * 1000 : 0;
				wait = Math.max(later, this.delay());
			}
			if (run.stopped) return;
			this.setState('down');
			await new Promise((resolve) => {
				run.wake = resolve;
				setTimeout(resolve, wait);
			});
		}
	}

	close(run, why) {
		if (this.run === run) this.stop();
		run.stopped = true;
		this.setState('closed', why);
	}

	/** The wait before the next attempt: from half to all of retry × 2^failures, at most maxDelayMs. */
	delay() {
		const ceiling = Math.min(this.maxDelayMs, this.retryMs * 2 ** this.failures);
		this.failures += 1;
		return Math.round(ceiling * (0.5 + this.random() / 2));
	}

	/** One connection, from asking to its end; rejects when it failed, resolves when the server closed it. */
	async read(run) {
		const controller = new AbortController();
		run.controller = controller;
		const alive = () => {
			clearTimeout(run.dead);
			run.dead = setTimeout(() => controller.abort(), this.deadMs);
		};
		alive();
		try {
			const response = await this.connect(this.lastEventId, controller.signal);
			if (run.stopped) return; // answered just as it was stopped: this run says nothing more
			if (!/^text\/event-stream/i.test(response.headers.get('Content-Type') ?? '')) {
				throw Object.assign(new Error('not an event stream'), { status: 0 });
			}
			this.setState('open');
			const parser = new EventParser({
				lastEventId: this.lastEventId,
				onRetry: (ms) => {
					this.retryMs = ms;
				},
				onEvent: (event) => this.heard(run, event),
			});
			const reader = response.body.getReader();
			const decoder = new TextDecoder();
			for (;;) {
				const { done, value } = await reader.read();
				if (run.stopped) return;
				if (done) break;
				alive();
				this.failures = 0; // bytes arrived: this line works
				parser.feed(decoder.decode(value, { stream: true }));
				this.lastEventId = parser.lastEventId;
				if (run.revoked) {
					controller.abort();
					throw Object.assign(new Error('revoked'), { revoked: true });
				}
			}
			parser.feed(decoder.decode());
			this.lastEventId = parser.lastEventId;
		} finally {
			clearTimeout(run.dead);
		}
	}

	heard(run, event) {
		if (run.stopped || run.revoked) return;
		if (event.type === 'revoked') run.revoked = true;
		this.onEvent(event);
	}
}
