// One task in a modal panel, opened by its URL: every field editable, its checklist, deleting it,
// its comments and its history. An edit is made to the version the panel showed; if someone else
// changed the task since, the server refuses (412) and the fresh task is shown.

import { confirmAction } from '../dialogs.js';
import { $, busy, delegate } from '../dom.js';
import { describeError } from '../errors.js';
import { setText, showMessage, t } from '../i18n.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';
import { createComments } from './comments.js';
import { createHistoryList } from './history-list.js';
import { fillMemberOptions } from './member-options.js';

const LABEL_COLORS = ['#1d4ed0', '#b1231b', '#1c6a33', '#8a5200', '#6b21a8', '#0e7490', '#facc15', '#f9a8d4'];

/** "YYYY-MM-DDTHH:MM" in local time, as a datetime-local input shows an RFC 3339 time. */
function localInput(iso) {
	if (!iso) return '';
	const date = new Date(iso);
	const pad = (value) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const sameSet = (a, b) => a.length === b.length && a.every((value) => b.includes(value));

export function createTaskPanel(ctx, dialog, { onClose }) {
	const { openRoom, tasks } = ctx;
	const form = $(dialog, 'task-form');
	const error = $(dialog, 'task-error');
	const checklistForm = $(dialog, 'checklist-form');
	const labelForm = $(dialog, 'label-form');
	const checklistList = $(dialog, 'checklist');
	let editing = null;
	/** The labels chosen in the panel: kept apart from the checkboxes, which labels arriving remake. */
	let chosen = new Set();
	const history = createHistoryList($(dialog, 'task-history'), {
		scope: 'task',
		load: (cursor) => ctx.api.taskActivity(openRoom.id, editing.id, { cursor }),
		names: { member: (id) => openRoom.memberName(id), label: (id) => openRoom.label(id)?.name ?? null },
	});
	const comments = createComments(ctx, $(dialog, 'comments'), { changed: () => history.refresh() });

	function fillLabels() {
		const choices = $(dialog, 'label-choices');
		choices.replaceChildren(
			...openRoom.labels.map((label) => {
				const option = document.createElement('label');
				option.className = 'label-choice';
				const box = document.createElement('input');
				box.type = 'checkbox';
				box.name = 'label_ids';
				box.value = String(label.id);
				box.checked = chosen.has(label.id);
				const swatch = document.createElement('span');
				swatch.className = 'label-swatch';
				swatch.style.setProperty('--label', label.color);
				option.append(box, swatch, document.createTextNode(label.name));
				return option;
			}),
		);
	}

	function fillChecklist(task) {
		const items = task.checklist;
		const done = items.filter((item) => item.done).length;
		setText($(dialog, 'checklist-progress'), 'task.checklist.progress', { done, count: items.length });
		checklistList.hidden = items.length === 0; // an empty list is no list (ARIA: a list has items)
		checklistList.replaceChildren(
			...items.map((item) => {
				const li = document.createElement('li');
				li.className = 'checklist-item';
				li.dataset.itemId = item.id;
				const id = `checklist-${task.id}-${item.id}`;
				const box = document.createElement('input');
				box.type = 'checkbox';
				box.id = id;
				box.checked = item.done;
				box.dataset.checklistDone = '';
				const label = document.createElement('label');
				label.htmlFor = id;
				label.textContent = item.text;
				const remove = document.createElement('button');
				remove.type = 'button';
				remove.className = 'small danger-text';
				remove.dataset.checklistRemove = '';
				remove.textContent = t('task.checklist.remove');
				remove.setAttribute('aria-label', t('task.checklist.removeLabel', { text: item.text }));
				li.append(box, label, remove);
				return li;
			}),
		);
	}

	function fill(task) {
		editing = task;
		const { elements } = form;
		elements.title.value = task.title;
		elements.description.value = task.description ?? '';
		fillMemberOptions(elements.user_id, openRoom.members, { keep: task.user_id });
		elements.status.value = task.status;
		elements.due_at.value = localInput(task.due_at);
		elements.priority.value = task.priority;
		chosen = new Set(task.label_ids);
		fillLabels();
		fillChecklist(task);
	}

	/** The fields that differ from the task as it was when the panel was filled. */
	function changes() {
		const { elements } = form;
		const wanted = {
			title: elements.title.value.trim(),
			description: elements.description.value,
			user_id: Number(elements.user_id.value),
			status: elements.status.value,
		};
		const before = { ...editing, description: editing.description ?? '' };
		const changed = Object.fromEntries(Object.entries(wanted).filter(([field, value]) => value !== before[field]));
		const due = elements.due_at.value ? new Date(elements.due_at.value).toISOString() : null;
		if (localInput(due) !== localInput(editing.due_at)) changed.due_at = due;
		if (elements.priority.value !== editing.priority) changed.priority = elements.priority.value;
		if (!sameSet([...chosen], editing.label_ids)) changed.label_ids = [...chosen];
		return changed;
	}

	/** What a refused write says, in the panel. */
	function failed(failure) {
		if (failure.status === 412 && failure.fresh) {
			fill(failure.fresh);
			showMessage(error, { key: 'task.conflict.dialog' });
		} else if (failure.status === 412) {
			showMessage(error, { key: 'error.taskGone' });
		} else {
			showMessage(error, describeError(failure, 'task'));
			if (failure.status === 404) ctx.checkRoom();
		}
	}

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		busy(form, save);
	});

	async function save() {
		if (!dialog.open || editing === null) return undefined; // a second submit while it was closing
		clearInvalid(form);
		const invalid = validate(form, ['title', 'description']);
		showMessage(error, invalid);
		if (invalid) return undefined;
		const changed = changes();
		if (Object.keys(changed).length === 0) return close();
		try {
			const task = await tasks.save(editing.id, changed, editing.version);
			close();
			ctx.announce({ key: 'task.saved', params: { title: task.title } });
		} catch (failure) {
			markInvalid(form, failure);
			failed(failure);
			if (failure.errors?.some((item) => item.field === 'label_ids')) await forgetGoneLabels();
		}
		return undefined;
	}

	/** A label chosen here was deleted meanwhile (422 on label_ids): it is no longer offered. */
	async function forgetGoneLabels() {
		try {
			await openRoom.refreshLabels();
		} catch {
			return;
		}
		chosen = new Set([...chosen].filter((id) => openRoom.label(id)));
		fillLabels();
	}

	$(dialog, 'task-delete').addEventListener('click', async () => {
		const task = editing;
		if (!task) return;
		const confirmed = await confirmAction({
			title: { key: 'task.delete.title' },
			message: { key: 'task.delete.message', params: { title: task.title } },
			ok: 'task.delete.ok',
		});
		if (!confirmed) return;
		try {
			await tasks.delete(task.id);
			close();
			ctx.announce({ key: 'task.deleted', params: { title: task.title } });
		} catch (failure) {
			failed(failure);
		}
	});

	// The checklist: each change is saved at once, to the version shown.
	/** Runs a checklist change and shows the task it answers, keeping the fields being edited. */
	async function checklistChange(write) {
		showMessage(error, null);
		try {
			const task = await write(editing);
			editing = task;
			fillChecklist(task);
			history.refresh();
			return true;
		} catch (failure) {
			failed(failure);
			return false;
		}
	}

	checklistForm.addEventListener('submit', (event) => {
		event.preventDefault();
		const input = checklistForm.elements.text;
		busy(checklistForm, async () => {
			const invalid = validate(checklistForm, ['text']);
			showMessage(error, invalid);
			if (invalid || !editing) return;
			const text = input.value.trim();
			const added = await checklistChange((task) => tasks.addChecklistItem(task.id, text, task.version));
			if (added) {
				input.value = '';
				input.focus();
				ctx.announce({ key: 'task.checklist.added', params: { text } });
			}
		});
	});
	delegate(form, 'change', 'input[name="label_ids"]', (event, box) => {
		if (box.checked) chosen.add(Number(box.value));
		else chosen.delete(Number(box.value));
	});
	const itemOf = (element) => Number(element.closest('[data-item-id]').dataset.itemId);
	delegate(checklistList, 'change', '[data-checklist-done]', (event, box) => {
		const itemId = itemOf(box);
		checklistChange((task) => tasks.changeChecklistItem(task.id, itemId, { done: box.checked }, task.version));
	});
	delegate(checklistList, 'click', '[data-checklist-remove]', async (event, button) => {
		const itemId = itemOf(button);
		const text = editing?.checklist.find((item) => item.id === itemId)?.text ?? '';
		const removed = await checklistChange((task) => tasks.removeChecklistItem(task.id, itemId, task.version));
		if (removed) {
			checklistForm.elements.text.focus();
			ctx.announce({ key: 'task.checklist.removed', params: { text } });
		}
	});

	// A new label of the room, chosen for this task at once.
	labelForm.addEventListener('submit', (event) => {
		event.preventDefault();
		busy(labelForm, async () => {
			const invalid = validate(labelForm, ['label_name']);
			showMessage(error, invalid);
			if (invalid) return;
			try {
				const label = await openRoom.createLabel(labelForm.elements.label_name.value.trim(), labelForm.elements.color.value);
				chosen.add(label.id);
				fillLabels();
				labelForm.elements.label_name.value = '';
				labelForm.elements.color.value = LABEL_COLORS[openRoom.labels.length % LABEL_COLORS.length];
				ctx.announce({ key: 'label.created', params: { name: label.name } });
			} catch (failure) {
				showMessage(error, describeError(failure, 'label'));
			}
		});
	});

	/** The panel is closing: the room hears it at once, not at the dialog's later close event, so
	 * that a card opened right after (Escape, then Enter on the card) opens it anew rather than
	 * being undone by the room's move back to the board. */
	function finish() {
		if (editing === null) return;
		const closed = editing;
		comments.close();
		history.clear();
		editing = null;
		onClose(closed);
	}

	function close() {
		if (dialog.open) dialog.close();
		finish();
	}

	$(dialog, 'panel-close').addEventListener('click', close);
	dialog.addEventListener('cancel', finish); // Escape: before the dialog closes
	dialog.addEventListener('close', () => {
		// The event comes after the dialog closed: if it was opened again since, it is stale.
		if (!dialog.open) finish();
	});

	return {
		get taskId() {
			return editing?.id ?? null;
		},
		open(task) {
			fill(task);
			comments.open(task.id);
			history.reload();
			ctx.notifications.readTask(openRoom.id, task.id);
			clearInvalid(form);
			showMessage(error, null);
			labelForm.elements.color.value = LABEL_COLORS[openRoom.labels.length % LABEL_COLORS.length];
			if (!dialog.open) dialog.showModal();
			form.elements.title.focus();
		},
		/** The task changed elsewhere while shown: its checklist follows; edited fields stay. */
		refresh(task) {
			if (!editing || task.version === editing.version) return;
			if (Object.keys(changes()).length === 0) fill(task);
			history.refresh();
		},
		/** The room changed (its revision): comments and history may have, without the task's version. */
		roomChanged() {
			if (!editing) return;
			comments.refresh();
			history.refresh();
		},
		/** The language or the minute changed: the lines of comments and history, made of messages and times, anew. */
		renderWords() {
			if (!editing) return;
			comments.render();
			history.render();
		},
		renderMembers() {
			if (!editing) return;
			comments.render();
			fillMemberOptions(form.elements.user_id, openRoom.members, { keep: Number(form.elements.user_id.value) });
			fillLabels();
		},
		close,
	};
}
