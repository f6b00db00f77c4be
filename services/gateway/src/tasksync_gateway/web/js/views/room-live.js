// The room's live stream (GET /rooms/{id}/events) while its view is shown: the "live" indicator and
// the avatars of the other members who have the room open, in the room's header. Events this tab
// caused (their request_id is one of its own) are dropped here: it has what they say already.

import { $, reconcile } from '../dom.js';
import { setText, t } from '../i18n.js';
import { EventStream } from '../event-stream.js';

/** Avatars shown at most; the others are "+N". */
const AVATARS = 5;

/** One or two letters of a username: its first, and the first of its last word that starts with a letter. */
export function initials(username) {
	const [first, ...others] = String(username).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
	const last = others.filter((word) => /^\p{L}/u.test(word)).at(-1) ?? '';
	return (Array.from(first ?? '?')[0] + (Array.from(last)[0] ?? '')).toLocaleUpperCase();
}

/**
 * `el` holds [data-live-status] and [data-presence]. The room view hears, through the hooks:
 * `onEvent(type, data)` for each event it did not cause itself (presence excepted, which is shown
 * here), `onOpen()` when events flow (polling may stop) and `onDown()` when they stop (polling
 * must run), also when the stream gives up for good. Until the first of these, the room polls.
 */
export function createRoomLive(ctx, el, roomId, { onEvent, onOpen, onDown }) {
	const { api, openRoom, session } = ctx;
	const status = $(el, 'live-status');
	const list = $(el, 'presence');
	/** Who else has the room open, by user id, as the last presence event said (null: unknown). */
	let present = null;
	let started = false;

	const stream = new EventStream((lastEventId, signal) => api.roomEvents(roomId, { lastEventId, signal }), {
		onEvent: heard,
		onState: (state) => {
			status.dataset.state = state === 'open' ? 'open' : 'down';
			renderStatus();
			if (state === 'open') return onOpen();
			// Down, someone here is no longer known: nobody is shown rather than who was.
			present = null;
			renderPresence();
			return onDown();
		},
	});

	function heard({ type, data: text }) {
		let data;
		try {
			data = JSON.parse(text);
		} catch {
			data = {};
		}
		if (type === 'presence') {
			present = Array.isArray(data?.user_ids) ? data.user_ids : [];
			renderPresence();
			return;
		}
		if (api.ownRequest(data?.request_id)) return;
		onEvent(type, data ?? {});
	}

	function renderStatus() {
		const live = status.dataset.state === 'open';
		status.title = t(live ? 'room.live.onTitle' : 'room.live.offTitle');
	}

	function avatar(member) {
		const li = document.createElement('li');
		li.className = 'avatar';
		li.title = member.username;
		const letters = document.createElement('span');
		letters.setAttribute('aria-hidden', 'true');
		letters.textContent = initials(member.username);
		const name = document.createElement('span');
		name.className = 'visually-hidden';
		name.textContent = member.username;
		li.append(letters, name);
		return li;
	}

	function more(members) {
		const li = document.createElement('li');
		li.className = 'avatar avatar-more';
		li.title = members.map((member) => member.username).join(', ');
		const count = document.createElement('span');
		count.setAttribute('aria-hidden', 'true');
		count.textContent = `+${members.length}`;
		const words = document.createElement('span');
		words.className = 'visually-hidden';
		setText(words, 'room.presence.more', { count: members.length });
		li.append(count, words);
		return li;
	}

	/** The others here, as members of the room (someone not among the members loaded yet waits for them). */
	function others() {
		const me = session.user?.id;
		const ids = new Set((present ?? []).filter((id) => id !== me));
		return openRoom.members.filter((member) => ids.has(member.user_id));
	}

	function renderPresence() {
		const here = others();
		const shown = here.length > AVATARS ? here.slice(0, AVATARS - 1) : here;
		const items = shown.map(avatar);
		if (here.length > shown.length) items.push(more(here.slice(shown.length)));
		reconcile(list, items);
		// An empty list keeps its place (no shift when someone comes) but is no list (ARIA).
		list.toggleAttribute('data-empty', here.length === 0);
		if (here.length) list.setAttribute('aria-label', t('room.presence.label', { names: here.map((m) => m.username).join(', ') }));
		else list.removeAttribute('aria-label');
	}

	/** The token changed (signed in again, here or in another tab): connect with the new one. */
	let token = session.token;
	const onSession = () => {
		if (!session.signedIn || session.token === token) return;
		token = session.token;
		if (started) stream.restart();
	};
	/** A view opened in a hidden tab connects once it is seen; a tab hidden later keeps its stream. */
	const onVisibility = () => {
		if (!document.hidden) start();
	};

	function start() {
		if (started || document.hidden) return;
		started = true;
		document.removeEventListener('visibilitychange', onVisibility);
		stream.start();
	}

	return {
		/** Connects (once the tab is visible); until events flow, the room polls. */
		start() {
			session.addEventListener('change', onSession);
			renderStatus();
			if (document.hidden) document.addEventListener('visibilitychange', onVisibility);
			start();
		},
		/** Members or the language changed: names and words anew. */
		render() {
			renderStatus();
			renderPresence();
		},
		stop() {
			session.removeEventListener('change', onSession);
			document.removeEventListener('visibilitychange', onVisibility);
			stream.stop();
		},
	};
}
