// One room: its name and code, the board, the task panel its URL names, members, the owner's
// settings or a member's way out. Routes within the room (a task, the board's filters) update the
// view in place instead of making a new one.

import { confirmAction } from '../dialogs.js';
import { $, busy, delegate, fromTemplate, reconcile } from '../dom.js';
import { describeError } from '../errors.js';
import { setText, showMessage, t, translate } from '../i18n.js';
import { Poller, coalesced } from '../poller.js';
import { activityHash, roomHash, routeHref, withQuery } from '../router.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';
import { createBoard } from './board.js';
import { createRoomLive } from './room-live.js';
import { createTaskPanel } from './task-panel.js';

const TASKS_MS = 3000;
const MEMBERS_MS = 15000;
const COPIED_MS = 4000;
const CLOCK_MS = 60000;

export function createRoomView(ctx, route) {
	const { roomId } = route;
	const { session, openRoom, tasks, moves } = ctx;
	const el = fromTemplate('tpl-room');
	const heading = $(el, 'heading');
	const roomError = $(el, 'room-error');
	const copyStatus = $(el, 'copy-status');
	const codeEl = $(el, 'room-code');
	const membersList = $(el, 'member-list');
	const renameForm = $(el, 'rename-form');
	$(el, 'tab-board').href = routeHref(roomHash(roomId));
	$(el, 'tab-activity').href = routeHref(activityHash(roomId));
	let copiedTimer = null;
	let left = false;
	let loadFailed = false;
	/** This tab is deleting or leaving the room: the stream saying it is gone is no news. */
	let leaving = false;

	/** Any failure of a room-wide action: gone rooms send the person back to the list. */
	function fail(failure, where = roomError, doing = '') {
		if (failure.status === 404 && doing !== 'task') return roomGone();
		if (failure.status === 403) refreshRoom();
		showMessage(where, describeError(failure, doing));
		return undefined;
	}

	function roomGone() {
		// Both pollers can learn it at once, or after this view was closed: navigate only once.
		if (left) return;
		left = true;
		openRoom.forget(roomId);
		ctx.navigate('#/rooms', { replace: true, alert: { key: 'room.gone' } });
	}

	async function refreshRoom() {
		try {
			await openRoom.refresh();
		} catch (failure) {
			if (failure.status === 404) roomGone();
		}
	}

	async function syncTasks() {
		try {
			if (!openRoom.room) await openRoom.refresh();
			if (await tasks.refresh()) {
				// The room's revision moved: a comment (even on another's task) may have told me of something.
				ctx.notifications.roomChanged();
				panel.roomChanged();
				await openRoom.refreshLabels();
			} else {
				ctx.notifications.poll();
			}
			board.showSync(null);
		} catch (failure) {
			if (failure.status === 404) return roomGone();
			if (failure.status === 403) return refreshRoom();
			board.showSync(failure);
		}
		return undefined;
	}

	// Code: copy, and a new one for the owner.
	$(el, 'copy-code').addEventListener('click', copyCode);

	async function copyCode() {
		const code = openRoom.room?.code;
		if (!code) return;
		clearTimeout(copiedTimer);
		try {
			await navigator.clipboard.writeText(code);
			showCopied('room.copied');
		} catch {
			const range = document.createRange();
			range.selectNodeContents(codeEl);
			getSelection().removeAllRanges();
			getSelection().addRange(range);
			let copied;
			try {
				copied = document.execCommand('copy');
			} catch {
				copied = false;
			}
			showCopied(copied ? 'room.copied' : 'room.copyFallback');
		}
	}

	function showCopied(key) {
		showMessage(copyStatus, { key });
		if (key === 'room.copied') copiedTimer = setTimeout(() => showMessage(copyStatus, null), COPIED_MS);
	}

	$(el, 'new-code').addEventListener('click', async () => {
		try {
			await openRoom.newCode();
			showMessage(copyStatus, { key: 'room.newCode.done' });
		} catch (failure) {
			fail(failure);
		}
	});

	// Owner's settings.
	renameForm.addEventListener('submit', (event) => {
		event.preventDefault();
		const error = $(el, 'rename-error');
		busy(renameForm, async () => {
			clearInvalid(renameForm);
			const invalid = validate(renameForm, ['name']);
			showMessage(error, invalid);
			if (invalid) return;
			try {
				await openRoom.rename(renameForm.elements.name.value.trim());
				ctx.announce({ key: 'room.renamed' });
			} catch (failure) {
				markInvalid(renameForm, failure);
				fail(failure, error);
			}
		});
	});

	$(el, 'delete-room').addEventListener('click', async () => {
		const room = openRoom.room;
		const confirmed = await confirmAction({
			title: { key: 'room.delete.title' },
			message: { key: 'room.delete.message', params: { room: room.name } },
			ok: 'room.delete.ok',
		});
		if (!confirmed) return;
		leaving = true;
		try {
			await openRoom.delete();
			ctx.navigate('#/rooms', { flash: { key: 'room.deleted', params: { room: room.name } } });
		} catch (failure) {
			leaving = false;
			fail(failure);
		}
	});

	$(el, 'leave-room').addEventListener('click', async () => {
		const room = openRoom.room;
		const confirmed = await confirmAction({
			title: { key: 'room.leave.title' },
			message: { key: 'room.leave.message', params: { room: room.name } },
			ok: 'room.leave.ok',
		});
		if (!confirmed) return;
		leaving = true;
		try {
			await openRoom.leave();
			ctx.navigate('#/rooms', { flash: { key: 'room.left', params: { room: room.name } } });
		} catch (failure) {
			leaving = false;
			fail(failure, roomError, 'leave');
		}
	});

	delegate(membersList, 'click', '[data-remove-member]', async (event, button) => {
		const userId = Number(button.closest('[data-user-id]').dataset.userId);
		const name = openRoom.memberName(userId);
		const confirmed = await confirmAction({
			title: { key: 'room.member.remove.title' },
			message: { key: 'room.member.remove.message', params: { name, room: openRoom.room.name } },
			ok: 'room.member.remove.ok',
		});
		if (!confirmed) return;
		try {
			await openRoom.removeMember(userId);
			ctx.announce({ key: 'room.member.removed', params: { name } });
			heading.focus();
		} catch (failure) {
			fail(failure, $(el, 'members-error'));
		}
	});

	// Rendering.
	function renderRoom() {
		const room = openRoom.room;
		if (!room) return;
		delete heading.dataset.i18n;
		heading.textContent = room.name;
		document.title = `${room.name} — TaskSync`;
		codeEl.textContent = room.code;
		const owner = room.role === 'owner';
		for (const part of el.querySelectorAll('[data-owner-only]')) part.hidden = !owner;
		for (const part of el.querySelectorAll('[data-member-only]')) part.hidden = owner;
		const nameInput = renameForm.elements.name;
		if (document.activeElement !== nameInput && !nameInput.hasAttribute('aria-invalid')) nameInput.value = room.name;
	}

	const memberItems = new Map();

	/** The member's list item, kept across refreshes so that focus inside it survives. */
	function memberItem(member) {
		let li = memberItems.get(member.user_id);
		if (!li) {
			li = fromTemplate('tpl-member');
			li.dataset.userId = member.user_id;
			memberItems.set(member.user_id, li);
		}
		$(li, 'member-name').textContent = member.username;
		$(li, 'member-you').hidden = member.user_id !== session.user?.id;
		setText($(li, 'member-role'), `role.${member.role}`);
		const joined = $(li, 'member-joined');
		joined.dateTime = member.joined_at;
		setText(joined, 'room.members.joined', { date: { date: member.joined_at } });
		const remove = $(li, 'remove-member');
		remove.hidden = openRoom.room?.role !== 'owner' || member.role === 'owner';
		remove.setAttribute('aria-label', t('room.member.removeLabel', { name: member.username }));
		translate(li);
		return li;
	}

	function renderMembers() {
		reconcile(membersList, openRoom.members.map(memberItem));
	}

	function render(what = 'all') {
		if (what === 'all' || what === 'language' || what === 'room') {
			renderRoom();
			renderMembers();
		}
		if (what === 'members') renderMembers();
		if (['all', 'language', 'room', 'members'].includes(what)) live.render();
		board.render(what);
		if (what === 'members' || what === 'labels') panel.renderMembers();
		if (what === 'language') panel.renderWords();
		if (what === 'all' || what === 'tasks') showTask();
		// Shown whole once the room and its tasks are in (or failed): no part moves as they arrive.
		el.toggleAttribute('data-loading', !loadFailed && !(openRoom.room && tasks.loaded));
	}

	const boardCtx = {
		...ctx,
		checkRoom: refreshRoom,
		roomGone,
		showFilters: (query) => ctx.replaceHash(withQuery(roomHash(roomId), query)),
	};
	const board = createBoard(boardCtx, $(el, 'board-area'), route);

	// The task panel follows the route: #/rooms/{id}/tasks/{task_id} opens it, the board closes it.
	let wantedTask = route.taskId;
	let openedFromBoard = false;
	const panel = createTaskPanel(boardCtx, $(el, 'task-panel'), { onClose: panelClosed });

	function showTask() {
		if (wantedTask === null) return panel.close();
		const task = tasks.get(wantedTask);
		if (panel.taskId === wantedTask) return task ? panel.refresh(task) : undefined;
		if (!tasks.loaded) return undefined; // opens when the tasks arrive
		if (task) return panel.open(task);
		wantedTask = null;
		return ctx.navigate(roomHash(roomId), { replace: true, alert: { key: 'error.taskGone' } });
	}

	function panelClosed(task) {
		if (wantedTask === null) return;
		wantedTask = null;
		// Back to the board: a new history entry after the card's own (so Back opens it again, as
		// history.back() would race a card opened at once), or in place of a link that opened it.
		ctx.navigate(withQuery(roomHash(roomId), board.filterQuery()), { replace: !openedFromBoard });
		openedFromBoard = false;
		if (task) board.focusTask(task.id, tasks.get(task.id)?.status ?? task.status);
	}
	const onChange = (event) => render(event.detail.what);
	const sources = [openRoom, tasks, moves];
	for (const source of sources) source.addEventListener('change', onChange);
	const tasksPoller = new Poller(syncTasks, TASKS_MS);
	// Due dates read relative to now ("in 5 minutes", "overdue"), as do the times of comments and
	// history: they age without any change.
	const clock = setInterval(() => {
		board.render('tasks');
		panel.renderWords();
	}, CLOCK_MS);
	const membersPoller = new Poller(refreshRoom, MEMBERS_MS);

	// Live: while the room's stream is open its events say what to read again, and nothing polls;
	// while it is down (and before it first opens), the pollers above run as they always have.
	const stale = { tasks: false, room: false, labels: false, panel: false };

	/** What an event makes the board read again (docs/api.md, "Live events"); `reset`: everything. */
	function applyEvent(type, data) {
		// Closing (left, leaving, signed out: the route away comes a moment later), nothing is news.
		if (left || leaving || openRoom.id !== roomId) return undefined;
		if (type === 'room.deleted') return roomGone();
		if (type === 'revoked') {
			if (data.reason === 'not_member' || data.reason === 'room_deleted') return roomGone();
			return refreshRoom(); // the token's end: the 401 signs out as any request's would
		}
		const [kind] = type.split('.');
		if (type === 'reset') Object.assign(stale, { tasks: true, room: true, panel: true });
		else if (kind === 'member' || kind === 'room') stale.room = true;
		else if (kind === 'label') Object.assign(stale, { tasks: true, labels: true });
		// A comment changes no task (only the list's ETag): its task's panel reads its comments.
		else if (kind === 'comment') stale.panel ||= data.task_id === panel.taskId;
		// Tasks and checklists, and kinds this client does not know yet; unless the board has it already.
		else stale.tasks ||= !onBoard(data);
		ctx.notifications.roomChanged();
		return catchUp();
	}

	/** Whether the task list shown is at the event's revision or later (read after it happened). */
	function onBoard(data) {
		const shown = tasks.revision();
		return shown !== null && Number.isInteger(data.revision) && data.revision <= shown;
	}

	const catchUp = coalesced(async () => {
		const wanted = { ...stale };
		Object.assign(stale, { tasks: false, room: false, labels: false, panel: false });
		try {
			if (wanted.room) await openRoom.refresh();
			else if (wanted.labels) await openRoom.refreshLabels();
			if (wanted.tasks) await refreshTasks();
			if (wanted.panel) panel.roomChanged();
			board.showSync(null);
		} catch (failure) {
			if (left) return;
			if (failure.status === 404) roomGone();
			else if (failure.status === 403) refreshRoom();
			else board.showSync(failure);
		}
	});

	/** The task list again (If-None-Match) once no write of this tab is under way, and again if
	 * one began meanwhile (its answer is dropped): an event is not lost to a write of this tab. */
	async function refreshTasks() {
		for (;;) {
			await tasks.settled();
			if (left) return;
			const begun = tasks.writesBegun;
			await tasks.refresh();
			if (tasks.writesBegun === begun) return;
		}
	}

	const live = createRoomLive(ctx, $(el, 'room-live'), roomId, {
		onEvent: applyEvent,
		onOpen() {
			tasksPoller.stop();
			membersPoller.stop();
			// What changed before the stream opened (or while it was down) is read once.
			stale.tasks = true;
			catchUp();
		},
		onDown() {
			if (left) return;
			tasksPoller.start();
			membersPoller.start();
		},
	});

	/** Once the room is in: the pollers until the stream opens, and the stream. */
	function follow() {
		tasksPoller.start();
		membersPoller.start();
		live.start();
	}

	openRoom
		.open(roomId)
		.then(follow)
		.catch((failure) => {
			if (failure.status === 404) roomGone();
			else {
				loadFailed = true;
				render('all');
				showMessage(roomError, describeError(failure));
				follow();
			}
		});

	return {
		el,
		title: 'room.title',
		heading,
		render,
		/** Whether `next` is a place in this room, which this view shows without being made anew. */
		accepts(next) {
			return next.name === 'room' && next.roomId === roomId && !left;
		},
		update(next) {
			openedFromBoard = next.taskId !== null && wantedTask === null;
			wantedTask = next.taskId;
			board.update(next);
			showTask();
		},
		destroy() {
			left = true;
			live.stop();
			tasksPoller.stop();
			membersPoller.stop();
			clearTimeout(copiedTimer);
			clearInterval(clock);
			for (const source of sources) source.removeEventListener('change', onChange);
			wantedTask = null;
			panel.close();
			board.destroy();
			openRoom.close();
		},
	};
}
