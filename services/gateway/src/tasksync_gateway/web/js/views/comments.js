// The comments of the task in the panel: oldest first, "show more" following next_cursor, a box to
// write one (Ctrl/Cmd+Enter sends), editing one's own and deleting one's own (or any, for the
// room's owner). A comment's text is shown as text: links and mentions are made as elements.

import { fillCommentText } from '../comment-text.js';
import { confirmAction } from '../dialogs.js';
import { $, busy, delegate, fromTemplate, reconcile } from '../dom.js';
import { describeError } from '../errors.js';
import { formatDate, language, setText, showMessage, t, translate } from '../i18n.js';
import { showTimeAgo, timeAgo } from '../planning.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';

/** Ctrl+Enter, or Cmd+Enter on a Mac. */
const sends = (event) => event.key === 'Enter' && (event.ctrlKey || event.metaKey);

export function createComments(ctx, root, { changed }) {
	const { api, openRoom, session } = ctx;
	const list = $(root, 'comment-list');
	const error = $(root, 'comments-error');
	const empty = $(root, 'comments-empty');
	const more = $(root, 'comments-more');
	const form = $(root, 'comment-form');
	/** Comment id to comment, and to its list item (kept, so that an edit under way survives a refresh). */
	let comments = new Map();
	const items = new Map();
	/** Comments edited here: an edit within the second it was written has the same updated_at. */
	const editedHere = new Set();
	let next = null;
	let pages = 0;
	let taskId = null;
	let loaded = false;
	let generation = 0;

	const roomId = () => openRoom.id;
	const mine = (comment) => comment.author_id === session.user?.id;
	const mayDelete = (comment) => mine(comment) || openRoom.room?.role === 'owner';

	/** Loads `count` pages from the first (the ones shown), keeping what an answer for another task would drop. */
	async function loadPages(count) {
		const asked = ++generation;
		const found = new Map();
		let cursor = null;
		let read = 0;
		try {
			do {
				const page = await api.comments(roomId(), taskId, { cursor });
				if (asked !== generation) return;
				for (const comment of page.items) found.set(comment.id, comment);
				cursor = page.next_cursor;
				read += 1;
			} while (cursor && read < count);
		} catch (failure) {
			if (asked === generation) showMessage(error, describeError(failure, 'task'));
			return;
		}
		comments = found;
		next = cursor;
		pages = read;
		loaded = true;
		showMessage(error, null);
		render();
	}

	more.addEventListener('click', async () => {
		if (!next || more.getAttribute('aria-busy') === 'true') return;
		more.setAttribute('aria-busy', 'true');
		const asked = generation;
		try {
			const page = await api.comments(roomId(), taskId, { cursor: next });
			if (asked !== generation) return;
			for (const comment of page.items) comments.set(comment.id, comment);
			next = page.next_cursor;
			pages += 1;
			render();
		} catch (failure) {
			showMessage(error, describeError(failure, 'task'));
		} finally {
			more.removeAttribute('aria-busy');
		}
	});

	// Writing one.
	form.elements.body.addEventListener('keydown', (event) => {
		if (!sends(event)) return;
		event.preventDefault();
		form.requestSubmit();
	});
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		busy(form, send);
	});

	async function send() {
		clearInvalid(form);
		const invalid = validate(form, ['body']);
		showMessage(error, invalid);
		if (invalid || taskId === null) return;
		const input = form.elements.body;
		try {
			const comment = await api.createComment(roomId(), taskId, input.value.trim());
			if (comment.task_id !== taskId) return;
			comments.set(comment.id, comment);
			input.value = '';
			render();
			input.focus();
			ctx.announce({ key: 'comments.sent' });
			changed();
		} catch (failure) {
			markInvalid(form, failure);
			failed(failure, 'task');
		}
	}

	/** What a refused comment write says; a comment found gone leaves the list. */
	function failed(failure, doing, commentId = null) {
		showMessage(error, describeError(failure, doing));
		if (failure.status === 404 && commentId !== null) {
			comments.delete(commentId);
			render();
		} else if (failure.status === 404) {
			ctx.checkRoom();
		} else if (failure.status === 403) {
			loadPages(Math.max(pages, 1)); // the room's owner may have changed: show what is allowed now
		}
	}

	// Editing and deleting, by delegation from the list.
	const commentOf = (element) => comments.get(Number(element.closest('[data-comment-id]').dataset.commentId));

	function editing(li, on) {
		$(li, 'comment-edit-form').hidden = !on;
		$(li, 'comment-body').hidden = on;
		$(li, 'comment-actions').hidden = on;
		li.toggleAttribute('data-editing', on);
	}

	delegate(list, 'click', '[data-comment-edit]', (event, button) => {
		const comment = commentOf(button);
		if (!comment) return;
		const li = items.get(comment.id);
		const input = $(li, 'comment-edit-body');
		input.value = comment.body;
		editing(li, true);
		input.focus();
	});
	delegate(list, 'click', '[data-comment-cancel]', (event, button) => cancelEdit(button.closest('[data-comment-id]')));
	delegate(list, 'keydown', '[data-comment-edit-body]', (event, input) => {
		if (sends(event)) {
			event.preventDefault();
			input.form.requestSubmit();
		} else if (event.key === 'Escape') {
			event.preventDefault(); // cancels the edit, not the task panel
			cancelEdit(input.closest('[data-comment-id]'));
		}
	});

	function cancelEdit(li) {
		editing(li, false);
		$(li, 'comment-edit')?.focus();
		const comment = comments.get(Number(li.dataset.commentId));
		if (comment) fill(li, comment);
	}

	delegate(list, 'submit', '[data-comment-edit-form]', (event, editForm) => {
		event.preventDefault();
		busy(editForm, () => saveEdit(editForm));
	});

	async function saveEdit(editForm) {
		const comment = commentOf(editForm);
		if (!comment) return;
		clearInvalid(editForm);
		const invalid = validate(editForm, ['body']);
		showMessage(error, invalid);
		if (invalid) return;
		try {
			const saved = await api.updateComment(roomId(), taskId, comment.id, editForm.elements.body.value.trim());
			comments.set(saved.id, saved);
			if (saved.body !== comment.body) editedHere.add(saved.id);
			const li = items.get(saved.id);
			editing(li, false);
			fill(li, saved);
			$(li, 'comment-edit').focus();
			ctx.announce({ key: 'comments.saved' });
		} catch (failure) {
			markInvalid(editForm, failure);
			failed(failure, 'comment', comment.id);
		}
	}

	delegate(list, 'click', '[data-comment-delete]', async (event, button) => {
		const comment = commentOf(button);
		if (!comment) return;
		const confirmed = await confirmAction({
			title: { key: 'comments.delete.title' },
			message: { key: 'comments.delete.message', params: { name: comment.author_username } },
			ok: 'comments.delete.ok',
		});
		if (!confirmed) return;
		try {
			await api.deleteComment(roomId(), taskId, comment.id);
			comments.delete(comment.id);
			render();
			form.elements.body.focus();
			ctx.announce({ key: 'comments.deleted' });
			changed();
		} catch (failure) {
			failed(failure, 'commentDelete', failure.status === 404 ? comment.id : null);
		}
	});

	// Rendering.
	function fill(li, comment) {
		$(li, 'comment-author').textContent = comment.author_username;
		const imported = $(li, 'comment-imported');
		imported.hidden = !comment.original_author;
		if (comment.original_author) setText(imported, 'comments.imported', { name: comment.original_author });
		const time = $(li, 'comment-time');
		showTimeAgo(time, comment.created_at);
		$(li, 'comment-edited').hidden = comment.updated_at === comment.created_at && !editedHere.has(comment.id);
		fillCommentText(
			$(li, 'comment-body'),
			comment.body,
			openRoom.members.map((member) => member.username),
		);
		const date = formatDate(comment.created_at);
		const edit = $(li, 'comment-edit');
		edit.hidden = !mine(comment);
		edit.setAttribute('aria-label', t('comments.editLabel', { date }));
		const remove = $(li, 'comment-delete');
		remove.hidden = !mayDelete(comment);
		remove.setAttribute('aria-label', t('comments.deleteLabel', { name: comment.author_username, date }));
		translate(li);
		li.dataset.signature = signature(comment);
	}

	const signature = (comment) =>
		`${comment.updated_at}|${editedHere.has(comment.id)}|${language()}|${timeAgo(comment.created_at)}|${mayDelete(comment)}|${openRoom.members.length}`;

	function item(comment) {
		let li = items.get(comment.id);
		if (!li) {
			li = fromTemplate('tpl-comment');
			li.dataset.commentId = comment.id;
			const input = $(li, 'comment-edit-body');
			input.id = `comment-edit-${comment.id}`;
			$(li, 'comment-edit-label').htmlFor = input.id;
			items.set(comment.id, li);
		}
		if (!li.hasAttribute('data-editing') && li.dataset.signature !== signature(comment)) fill(li, comment);
		return li;
	}

	function render() {
		const shown = [...comments.values()].sort((a, b) => a.id - b.id);
		for (const id of items.keys()) if (!comments.has(id)) items.delete(id);
		const focused = document.activeElement;
		reconcile(list, shown.map(item));
		if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
		list.setAttribute('aria-busy', String(!loaded));
		list.hidden = shown.length === 0; // a list without items is none (ARIA)
		empty.hidden = !loaded || shown.length > 0;
		setText(empty, 'comments.empty');
		more.hidden = !next;
	}

	return {
		open(id) {
			taskId = id;
			comments = new Map();
			items.clear();
			next = null;
			loaded = false;
			form.elements.body.value = '';
			clearInvalid(form);
			showMessage(error, null);
			render();
			loadPages(1);
		},
		/** Something changed in the room (its revision): the comments shown are read again. */
		refresh() {
			if (taskId !== null && loaded) loadPages(Math.max(pages, 1));
		},
		render,
		close() {
			generation += 1;
			taskId = null;
		},
	};
}
