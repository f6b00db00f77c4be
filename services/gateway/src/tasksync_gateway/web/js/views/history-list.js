// A history shown as a list, newest first, with "show older" following next_cursor: a task's in its
// panel, a room's in its Activity view. Entries are kept by id, so a refresh adds the new ones on top.

import { $, reconcile } from '../dom.js';
import { describeError } from '../errors.js';
import { language, setText, showMessage } from '../i18n.js';
import { describeEntry } from '../history.js';
import { showTimeAgo } from '../planning.js';

/**
 * `root` holds [data-history-list], [data-history-empty], [data-history-more] and
 * [data-history-error]. `load(cursor)` answers one page; `names` has member(id) and label(id);
 * `href(entry)` is where an entry links to, or null.
 */
export function createHistoryList(root, { scope, load, names, href = () => null, emptyKey = 'history.empty' }) {
	const list = $(root, 'history-list');
	const empty = $(root, 'history-empty');
	const more = $(root, 'history-more');
	const error = $(root, 'history-error');
	let entries = [];
	let next = null;
	let loaded = false;
	/** Counts the loads begun: an answer for an earlier one (another task, filter) is dropped. */
	let generation = 0;

	async function fetchPage(cursor) {
		const asked = generation;
		try {
			const page = await load(cursor);
			showMessage(error, null);
			return asked === generation ? page : null;
		} catch (failure) {
			if (asked === generation) showMessage(error, describeError(failure));
			return null;
		}
	}

	/** Forgets what was shown and loads the first page. */
	async function reload() {
		generation += 1;
		entries = [];
		next = null;
		loaded = false;
		render();
		const page = await fetchPage(null);
		if (!page) return;
		entries = page.items;
		next = page.next_cursor;
		loaded = true;
		render();
	}

	/** Adds the entries made since the first page was read (all anew when more than a page). */
	async function refresh() {
		if (!loaded) return reload();
		const page = await fetchPage(null);
		if (!page) return undefined;
		const oldest = page.items.at(-1)?.id ?? Infinity;
		const newest = entries[0]?.id ?? -Infinity;
		if (page.next_cursor && oldest > newest) {
			entries = page.items;
			next = page.next_cursor;
		} else {
			entries = [...page.items, ...entries.filter((entry) => entry.id < oldest)];
		}
		render();
		return undefined;
	}

	more.addEventListener('click', async () => {
		if (!next || more.getAttribute('aria-busy') === 'true') return;
		more.setAttribute('aria-busy', 'true');
		const page = await fetchPage(next);
		more.removeAttribute('aria-busy');
		if (!page) return;
		const known = new Set(entries.map((entry) => entry.id));
		entries = [...entries, ...page.items.filter((entry) => !known.has(entry.id))];
		next = page.next_cursor;
		render();
	});

	/** Each entry's item, kept so that focus on its link survives a refresh. */
	const items = new Map();

	function item(entry) {
		let li = items.get(entry.id);
		if (li && li.dataset.language === language()) {
			showTimeAgo(li.querySelector('time'), entry.created_at);
			return li;
		}
		li = newItem(entry);
		li.dataset.language = language();
		items.set(entry.id, li);
		return li;
	}

	function newItem(entry) {
		const li = document.createElement('li');
		li.className = 'history-item';
		li.dataset.entryId = entry.id;
		li.dataset.kind = entry.kind;
		const message = describeEntry(entry, scope, names);
		const target = href(entry);
		const text = document.createElement(target ? 'a' : 'span');
		if (target) text.href = target;
		text.dataset.historyText = '';
		setText(text, message.key, message.params);
		const time = document.createElement('time');
		time.className = 'muted';
		showTimeAgo(time, entry.created_at);
		const dot = document.createElement('span');
		dot.className = 'muted';
		dot.setAttribute('aria-hidden', 'true');
		dot.textContent = ' · ';
		li.append(text, dot, time);
		return li;
	}

	/** Shows the entries (anew: their words depend on the language, their times on the clock). */
	function render() {
		const shown = new Set(entries.map((entry) => entry.id));
		for (const id of items.keys()) if (!shown.has(id)) items.delete(id);
		reconcile(list, entries.map(item));
		list.setAttribute('aria-busy', String(!loaded));
		list.hidden = entries.length === 0; // a list without items is none (ARIA)
		empty.hidden = !loaded || entries.length > 0;
		if (!empty.hidden) setText(empty, emptyKey);
		more.hidden = !next;
	}

	return {
		reload,
		refresh,
		render,
		/** Stops showing anything: the answers still under way are dropped. */
		clear() {
			generation += 1;
			entries = [];
			next = null;
			loaded = false;
			showMessage(error, null);
			render();
		},
		setEmptyKey(key) {
			emptyKey = key;
		},
	};
}
