// The room's board: filters (kept in the URL), three columns of cards, each with a quick "add a
// task" at its foot. Cards are kept by task id and only refilled when their task changed; every
// card event is handled by delegation. A card opens the task panel (a URL of its own).

import { $, busy, delegate, fromTemplate, reconcile } from '../dom.js';
import { describeError } from '../errors.js';
import { language, setText, showMessage, t, translate } from '../i18n.js';
import { absoluteTime, dueGroup, isOverdue, readableOn, relativeTime } from '../planning.js';
import { routeHref, taskHash } from '../router.js';
import { STATUSES } from '../store/tasks.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';
import { fillMemberOptions } from './member-options.js';

/** The filters a board link may carry, by query parameter. */
const FILTERS = ['assignee', 'label', 'priority', 'due', 'q'];

export function createBoard(ctx, el, { roomId, query }) {
	const { openRoom, tasks, moves } = ctx;
	const columns = $(el, 'columns');
	const boardError = $(el, 'board-error');
	const syncError = $(el, 'sync-error');
	const controls = {
		assignee: $(el, 'filter-assignee'),
		label: $(el, 'filter-label'),
		priority: $(el, 'filter-priority'),
		due: $(el, 'filter-due'),
		q: $(el, 'filter-text'),
	};
	const cards = new Map();
	const columnOf = (status) => columns.querySelector(`[data-column="${status}"]`);
	const lists = Object.fromEntries(STATUSES.map((status) => [status, $(columnOf(status), 'task-list')]));
	let filters = readFilters(query);
	let membersRevision = 0;
	let dragged = null;
	let shownColumns = {};

	// Filters: the controls show `filters`, which the URL carries.
	function readFilters(params) {
		return Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? '']));
	}

	function filterQuery() {
		const params = new URLSearchParams();
		for (const name of FILTERS) if (filters[name].trim()) params.set(name, filters[name].trim());
		return params;
	}

	function showFilters() {
		for (const name of FILTERS) if (controls[name].value !== filters[name]) controls[name].value = filters[name];
	}

	for (const name of FILTERS) {
		controls[name].addEventListener(name === 'q' ? 'input' : 'change', () => {
			filters = { ...filters, [name]: controls[name].value };
			ctx.showFilters(filterQuery());
			renderTasks();
		});
	}
	$(el, 'filter-clear').addEventListener('click', () => {
		filters = readFilters(new URLSearchParams());
		showFilters();
		ctx.showFilters(filterQuery());
		renderTasks();
		controls.q.focus();
	});

	const filtering = () => FILTERS.some((name) => filters[name].trim());

	function matches(task) {
		if (filters.assignee && task.user_id !== Number(filters.assignee)) return false;
		if (filters.label && !task.label_ids.includes(Number(filters.label))) return false;
		if (filters.priority && task.priority !== filters.priority) return false;
		if (filters.due === 'overdue' && !isOverdue(task)) return false;
		if (filters.due === 'week' && !['today', 'week'].includes(dueGroup(task))) return false;
		const text = filters.q.trim().toLocaleLowerCase();
		if (!text) return true;
		return `${task.title}\n${task.description ?? ''}`.toLocaleLowerCase().includes(text);
	}

	// Adding a task at the foot of a column: its title only.
	delegate(columns, 'submit', '[data-quick-add]', (event, form) => {
		event.preventDefault();
		const status = form.closest('[data-column]').dataset.column;
		const error = $(form, 'quick-add-error');
		busy(form, async () => {
			clearInvalid(form);
			const invalid = validate(form, ['title']);
			showMessage(error, invalid);
			if (invalid) return;
			try {
				const task = await tasks.add({ title: form.elements.title.value.trim(), status });
				form.elements.title.value = '';
				form.elements.title.focus();
				ctx.announce({ key: 'task.added', params: { title: task.title, status: { key: `status.${status}` } } });
			} catch (failure) {
				markInvalid(form, failure);
				if (failure.status === 404) ctx.roomGone();
				else showMessage(error, describeError(failure));
			}
		});
	});

	// Moving: Shift+arrows on a card, or dragging it, within and across columns.
	const taskOf = (element) => tasks.get(Number(element.closest('[data-task]').dataset.taskId));

	/** Moves `task` into `status` after `afterId`; says where it went. */
	async function move(task, status, afterId) {
		showMessage(boardError, null);
		try {
			const saved = await moves.move(task.id, status, afterId);
			if (saved) announcePlace(saved);
		} catch (failure) {
			taskFailed(failure, task);
		}
	}

	function announcePlace(task) {
		const column = shownColumns[task.status] ?? [];
		const at = column.findIndex((known) => known.id === task.id);
		const params = { title: task.title, status: { key: `status.${task.status}` } };
		if (at !== -1) {
			ctx.announce({ key: 'task.movedTo', params: { ...params, position: at + 1, count: column.length } });
		} else {
			ctx.announce({ key: 'task.moved', params });
		}
	}

	delegate(columns, 'keydown', '[data-task-open]', (event, link) => {
		if (!event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
		const task = taskOf(link);
		if (!task) return;
		const status = moves.visibleTasks().find((known) => known.id === task.id)?.status ?? task.status;
		const column = (shownColumns[status] ?? []).filter((known) => known.id !== task.id);
		const at = (shownColumns[status] ?? []).findIndex((known) => known.id === task.id);
		const step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
		if (step) {
			event.preventDefault();
			const target = STATUSES[STATUSES.indexOf(status) + step];
			if (!target) return;
			const into = shownColumns[target] ?? [];
			move(task, target, into.length ? into[into.length - 1].id : null);
			return;
		}
		const shift = { ArrowUp: -1, ArrowDown: 1 }[event.key];
		if (!shift) return;
		event.preventDefault();
		const wanted = at + shift;
		if (at === -1 || wanted < 0 || wanted > column.length) return undefined;
		return move(task, status, wanted === 0 ? null : column[wanted - 1].id);
	});

	/** Shows why a change to `task` failed, where the board is. */
	function taskFailed(failure, task) {
		if (failure.status === 412) {
			showMessage(boardError, { key: 'task.conflict', params: { title: (failure.fresh ?? task).title } });
		} else {
			showMessage(boardError, describeError(failure, 'task'));
			if (failure.status === 404) ctx.checkRoom();
		}
	}

	/** Where in `column` a drop at clientY goes: the id of the card it follows (null: first). */
	function dropPlace(column, clientY) {
		const others = [...$(column, 'task-list').children].filter((card) => Number(card.dataset.taskId) !== dragged);
		let before = null;
		for (const card of others) {
			const box = card.getBoundingClientRect();
			if (clientY < box.top + box.height / 2) {
				before = card;
				break;
			}
		}
		const index = before ? others.indexOf(before) : others.length;
		return { before, afterId: index === 0 ? null : Number(others[index - 1].dataset.taskId) };
	}

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
			clearMarks();
			column.classList.add('drop-target');
			const { before } = dropPlace(column, event.clientY);
			if (before) before.classList.add('drop-before');
			else column.classList.add('drop-end');
		});
	}
	delegate(columns, 'dragleave', '[data-column]', (event, column) => {
		if (!column.contains(event.relatedTarget)) column.classList.remove('drop-target', 'drop-end');
	});
	delegate(columns, 'drop', '[data-column]', (event, column) => {
		event.preventDefault();
		const task = tasks.get(dragged ?? Number(event.dataTransfer.getData('text/plain')));
		const { afterId } = dropPlace(column, event.clientY);
		endDrag();
		if (task) move(task, column.dataset.column, afterId);
	});

	function clearMarks() {
		for (const element of columns.querySelectorAll('.drop-target, .drop-before, .drop-end')) {
			element.classList.remove('drop-target', 'drop-before', 'drop-end');
		}
	}

	function endDrag() {
		dragged = null;
		for (const element of columns.querySelectorAll('.dragging')) element.classList.remove('dragging');
		clearMarks();
	}

	// Rendering.
	function newCard(task) {
		const card = fromTemplate('tpl-task');
		card.dataset.taskId = task.id;
		const titleId = `task-${task.id}-title`;
		$(card, 'task-title').id = titleId;
		$(card, 'task-article').setAttribute('aria-labelledby', titleId);
		$(card, 'task-open').href = routeHref(taskHash(roomId, task.id));
		translate(card);
		return card;
	}

	function fillDue(element, task) {
		element.hidden = !task.due_at;
		if (!task.due_at) return;
		const overdue = isOverdue(task);
		element.dateTime = task.due_at;
		element.title = absoluteTime(task.due_at);
		element.classList.toggle('is-overdue', overdue);
		$(element, 'due-icon').textContent = overdue ? '⚠' : '◷';
		setText($(element, 'due-text'), overdue ? 'task.due.overdue' : 'task.due', { when: relativeTime(task.due_at) });
	}

	function fillLabels(list, task) {
		const labels = task.label_ids.map((id) => openRoom.label(id)).filter(Boolean);
		list.hidden = labels.length === 0;
		list.replaceChildren(...labels.map(labelChip));
	}

	function fillCard(card, task) {
		$(card, 'task-open').textContent = task.title;
		const name = openRoom.memberName(task.user_id);
		setText($(card, 'task-assignee'), 'task.assignee', { name: name ?? { key: 'task.formerMember' } });
		const priority = $(card, 'task-priority');
		priority.hidden = task.priority === 'none';
		priority.dataset.priority = task.priority;
		setText($(priority, 'priority-text'), `priority.${task.priority}.card`);
		fillDue($(card, 'task-due'), task);
		fillLabels($(card, 'task-labels'), task);
		const checklist = $(card, 'task-checklist');
		const items = task.checklist;
		checklist.hidden = items.length === 0;
		const done = items.filter((item) => item.done).length;
		$(checklist, 'checklist-count').textContent = `${done}/${items.length}`;
		checklist.title = t('task.checklist.progress', { done, count: items.length });
		checklist.setAttribute('aria-label', checklist.title);
		card.classList.toggle('is-completed', task.status === 'completed');
	}

	/** A minute's change can make a task overdue: the signature carries the due state. */
	function cardFor(task) {
		let element = cards.get(task.id);
		if (!element) {
			element = newCard(task);
			cards.set(task.id, element);
		}
		const due = task.due_at ? `${relativeTime(task.due_at)}${isOverdue(task)}` : '';
		const signature = `${task.version}|${task.status}|${task.user_id}|${language()}|${membersRevision}|${due}`;
		if (element.dataset.signature !== signature) {
			fillCard(element, task);
			element.dataset.signature = signature;
		}
		return element;
	}

	function renderTasks() {
		const all = moves.columns();
		const known = new Set(tasks.items.map((task) => task.id));
		for (const id of cards.keys()) if (!known.has(id)) cards.delete(id);
		shownColumns = Object.fromEntries(STATUSES.map((status) => [status, all[status].filter(matches)]));
		const focused = document.activeElement;
		let total = 0;
		let visible = 0;
		for (const status of STATUSES) {
			total += all[status].length;
			visible += shownColumns[status].length;
			reconcile(lists[status], shownColumns[status].map(cardFor));
			const column = columnOf(status);
			setText($(column, 'column-count'), 'board.column.count', { count: shownColumns[status].length });
			const empty = $(column, 'column-empty');
			empty.hidden = shownColumns[status].length > 0;
			setText(empty, filtering() ? 'board.column.emptyFiltered' : 'board.column.empty');
		}
		if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
		const summary = $(el, 'filter-shown');
		summary.hidden = !filtering();
		setText(summary, 'board.filter.shown', { shown: visible, total });
	}

	function renderFilterOptions() {
		membersRevision += 1;
		fillMemberOptions(controls.assignee, openRoom.members, { first: new Option(t('board.filter.everyone'), '') });
		const { labels } = openRoom;
		const labelOptions = labels.map((label) => new Option(label.name, String(label.id)));
		controls.label.replaceChildren(new Option(t('board.filter.anyLabel'), ''), ...labelOptions);
		// A room with no labels has nothing to filter by label.
		$(el, 'filter-label-field').hidden = labels.length === 0 && !filters.label;
		showFilters();
	}

	return {
		render(what) {
			if (['all', 'members', 'labels', 'language', 'room'].includes(what)) renderFilterOptions();
			if (['all', 'members', 'labels', 'language', 'tasks'].includes(what)) renderTasks();
		},
		/** The route changed within the room: a board link carries its filters. */
		update(route) {
			if (route.taskId !== null) return;
			const wanted = readFilters(route.query);
			if (FILTERS.every((name) => wanted[name] === filters[name])) return;
			filters = wanted;
			showFilters();
			renderTasks();
		},
		filterQuery,
		/** Shows, or with null clears, why the board could not be refreshed. */
		showSync(failure) {
			if (!failure) return showMessage(syncError, null);
			if (failure.kind === 'offline') return showMessage(syncError, { key: 'board.offline' });
			if (failure.status >= 502) return showMessage(syncError, { key: 'board.unavailable' });
			return showMessage(syncError, describeError(failure));
		},
		/** Focus on the card of a task, or on the quick add of its column when it is gone. */
		focusTask(taskId, status = 'pending') {
			const link = cards.get(taskId)?.isConnected ? $(cards.get(taskId), 'task-open') : null;
			(link ?? $(columnOf(status), 'quick-add').elements.title).focus();
		},
		destroy() {},
	};
}

/** A label as a chip in its own colour, with text that reads on it. */
export function labelChip(label) {
	const chip = document.createElement('li');
	chip.className = 'label-chip';
	chip.textContent = label.name;
	chip.style.setProperty('--label', label.color);
	chip.style.setProperty('--on-label', readableOn(label.color));
	return chip;
}
