// The room's board: filters, the new-task form, three columns of tasks. Cards are kept by task id
// and only refilled when their task changed; every card event is handled by delegation.

import { confirmAction } from '../dialogs.js';
import { $, busy, delegate, fromTemplate, reconcile } from '../dom.js';
import { describeError } from '../errors.js';
import { language, setText, showMessage, t, translate } from '../i18n.js';
import { fillMemberOptions } from './member-options.js';
import { STATUSES } from '../store/tasks.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';
import { createTaskDialog } from './task-dialog.js';

export function createBoard(ctx, el) {
	const { session, openRoom, tasks, moves } = ctx;
	const columns = $(el, 'columns');
	const boardError = $(el, 'board-error');
	const syncError = $(el, 'sync-error');
	const addForm = $(el, 'add-form');
	const assigneeFilter = $(el, 'filter-assignee');
	const textFilter = $(el, 'filter-text');
	const cards = new Map();
	const lists = Object.fromEntries(
		STATUSES.map((status) => [status, $(columns.querySelector(`[data-column="${status}"]`), 'task-list')]),
	);
	const dialog = createTaskDialog(ctx, $(el, 'task-dialog'));
	let membersRevision = 0;
	let dragged = null;

	// Filters.
	assigneeFilter.addEventListener('change', () => renderTasks());
	textFilter.addEventListener('input', () => renderTasks());
	$(el, 'filter-clear').addEventListener('click', () => {
		assigneeFilter.value = '';
		textFilter.value = '';
		renderTasks();
		textFilter.focus();
	});

	function matches(task) {
		if (assigneeFilter.value && task.user_id !== Number(assigneeFilter.value)) return false;
		const text = textFilter.value.trim().toLocaleLowerCase();
		if (!text) return true;
		return `${task.title}\n${task.description ?? ''}`.toLocaleLowerCase().includes(text);
	}

	// Adding a task.
	addForm.addEventListener('submit', (event) => {
		event.preventDefault();
		const error = $(el, 'add-error');
		busy(addForm, async () => {
			clearInvalid(addForm);
			const invalid = validate(addForm, ['title', 'description']);
			showMessage(error, invalid);
			if (invalid) return;
			const fields = {
				title: addForm.elements.title.value.trim(),
				user_id: Number(addForm.elements.user_id.value) || undefined,
			};
			if (addForm.elements.description.value.trim()) fields.description = addForm.elements.description.value;
			try {
				const task = await tasks.add(fields);
				addForm.elements.title.value = '';
				addForm.elements.description.value = '';
				addForm.elements.title.focus();
				ctx.announce({ key: 'task.added', params: { title: task.title } });
			} catch (failure) {
				markInvalid(addForm, failure);
				if (failure.status === 404) ctx.roomGone();
				else showMessage(error, describeError(failure));
			}
		});
	});

	// Card controls, by delegation.
	const taskOf = (element) => tasks.get(Number(element.closest('[data-task]').dataset.taskId));

	delegate(columns, 'change', '[data-task-status]', (event, select) => {
		const task = taskOf(select);
		if (task) move(task, select.value);
	});
	delegate(columns, 'click', '[data-task-edit]', (event, button) => {
		const task = taskOf(button);
		if (task) dialog.open(task, button);
	});
	delegate(columns, 'click', '[data-task-delete]', async (event, button) => {
		const task = taskOf(button);
		if (!task) return;
		const confirmed = await confirmAction({
			title: { key: 'task.delete.title' },
			message: { key: 'task.delete.message', params: { title: task.title } },
			ok: 'task.delete.ok',
		});
		if (!confirmed) return;
		try {
			await tasks.delete(task.id);
			ctx.announce({ key: 'task.deleted', params: { title: task.title } });
			$(el, 'add-form').elements.title.focus();
		} catch (failure) {
			taskFailed(failure, task);
		}
	});

	async function move(task, status) {
		showMessage(boardError, null);
		try {
			const saved = await moves.move(task.id, status);
			if (saved) {
				ctx.announce({ key: 'task.moved', params: { title: saved.title, status: { key: `status.${saved.status}` } } });
			}
		} catch (failure) {
			taskFailed(failure, task);
		}
	}

	/** Shows why a change to `task` failed, where the board is. */
	function taskFailed(failure, task) {
		if (failure.status === 412) {
			showMessage(boardError, { key: 'task.conflict', params: { title: (failure.fresh ?? task).title } });
		} else {
			showMessage(boardError, describeError(failure, 'task'));
			if (failure.status === 404) ctx.checkRoom();
		}
	}

	// Dragging a card to another column.
	delegate(columns, 'dragstart', '[data-task]', (event, card) => {
		dragged = Number(card.dataset.taskId);
		event.dataTransfer.setData('text/plain', String(dragged));
		event.dataTransfer.effectAllowed = 'move';
		card.classList.add('dragging');
	});
	columns.addEventListener('dragend', endDrag);
	for (const type of ['dragenter', 'dragover']) {
		delegate(columns, type, '[data-column]', (event, column) => {
			if (dragged === null) return;
			event.preventDefault();
			event.dataTransfer.dropEffect = 'move';
			for (const other of columns.querySelectorAll('.drop-target')) if (other !== column) other.classList.remove('drop-target');
			column.classList.add('drop-target');
		});
	}
	delegate(columns, 'dragleave', '[data-column]', (event, column) => {
		if (!column.contains(event.relatedTarget)) column.classList.remove('drop-target');
	});
	delegate(columns, 'drop', '[data-column]', (event, column) => {
		event.preventDefault();
		const task = tasks.get(dragged ?? Number(event.dataTransfer.getData('text/plain')));
		endDrag();
		if (task) move(task, column.dataset.column);
	});

	function endDrag() {
		dragged = null;
		for (const element of columns.querySelectorAll('.dragging, .drop-target')) {
			element.classList.remove('dragging', 'drop-target');
		}
	}

	// Rendering.
	function newCard(task) {
		const card = fromTemplate('tpl-task');
		card.dataset.taskId = task.id;
		const titleId = `task-${task.id}-title`;
		$(card, 'task-title').id = titleId;
		$(card, 'task-article').setAttribute('aria-labelledby', titleId);
		for (const button of card.querySelectorAll('button')) button.setAttribute('aria-describedby', titleId);
		translate(card);
		return card;
	}

	function fillCard(card, task) {
		$(card, 'task-title').textContent = task.title;
		const description = $(card, 'task-description');
		description.textContent = task.description ?? '';
		description.hidden = !task.description;
		const name = openRoom.memberName(task.user_id);
		setText($(card, 'task-assignee'), 'task.assignee', { name: name ?? { key: 'task.formerMember' } });
		const updated = $(card, 'task-updated');
		updated.dateTime = task.updated_at;
		setText(updated, 'task.updated', { date: { date: task.updated_at } });
		$(card, 'task-status').value = task.status;
		card.classList.toggle('is-completed', task.status === 'completed');
	}

	function cardFor(task) {
		let element = cards.get(task.id);
		if (!element) {
			element = newCard(task);
			cards.set(task.id, element);
		}
		const signature = `${task.version}|${task.status}|${task.user_id}|${language()}|${membersRevision}`;
		if (element.dataset.signature !== signature) {
			fillCard(element, task);
			element.dataset.signature = signature;
		}
		return element;
	}

	function renderTasks() {
		const onBoard = moves.visibleTasks();
		const known = new Set(onBoard.map((task) => task.id));
		for (const id of cards.keys()) if (!known.has(id)) cards.delete(id);
		const shown = Object.fromEntries(STATUSES.map((status) => [status, []]));
		for (const task of onBoard) if (matches(task)) shown[task.status]?.push(cardFor(task));
		const focused = document.activeElement;
		for (const status of STATUSES) {
			reconcile(lists[status], shown[status]);
			const column = columns.querySelector(`[data-column="${status}"]`);
			setText($(column, 'column-count'), 'board.column.count', { count: shown[status].length });
			const empty = $(column, 'column-empty');
			empty.hidden = shown[status].length > 0;
			setText(empty, filtering() ? 'board.column.emptyFiltered' : 'board.column.empty');
		}
		if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
		const visible = Object.values(shown).reduce((sum, list) => sum + list.length, 0);
		const summary = $(el, 'filter-shown');
		summary.hidden = !filtering();
		setText(summary, 'board.filter.shown', { shown: visible, total: onBoard.length });
	}

	const filtering = () => Boolean(assigneeFilter.value || textFilter.value.trim());

	function renderMembers() {
		membersRevision += 1;
		const everyone = new Option(t('board.filter.everyone'), '');
		fillMemberOptions(assigneeFilter, openRoom.members, { first: everyone });
		const select = addForm.elements.user_id;
		const mine = select.value || String(session.user?.id ?? '');
		fillMemberOptions(select, openRoom.members, { keep: Number(mine) || null });
		dialog.renderMembers();
	}

	return {
		render(what) {
			if (what === 'all' || what === 'members' || what === 'language' || what === 'room') renderMembers();
			if (what === 'all' || what === 'members' || what === 'language' || what === 'tasks') renderTasks();
		},
		/** Shows, or with null clears, why the board could not be refreshed. */
		showSync(failure) {
			if (!failure) return showMessage(syncError, null);
			if (failure.kind === 'offline') return showMessage(syncError, { key: 'board.offline' });
			if (failure.status >= 502) return showMessage(syncError, { key: 'board.unavailable' });
			return showMessage(syncError, describeError(failure));
		},
		destroy() {
			dialog.close();
		},
	};
}
