// Editing one task in a modal <dialog>. The edit is made to the version the dialog opened with;
// if someone else changed the task since, the server refuses (412) and the fresh task is shown.

import { $, busy } from '../dom.js';
import { describeError } from '../errors.js';
import { showMessage } from '../i18n.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';
import { fillMemberOptions } from './member-options.js';

export function createTaskDialog(ctx, dialog) {
	const { openRoom, tasks } = ctx;
	const form = $(dialog, 'task-form');
	const error = $(dialog, 'task-error');
	let editing = null;
	let opener = null;

	function fill(task) {
		editing = task;
		form.elements.title.value = task.title;
		form.elements.description.value = task.description ?? '';
		fillMemberOptions(form.elements.user_id, openRoom.members, { keep: task.user_id });
		form.elements.status.value = task.status;
	}

	/** The fields that differ from the task as it was when the form was filled. */
	function changes() {
		const wanted = {
			title: form.elements.title.value.trim(),
			description: form.elements.description.value,
			user_id: Number(form.elements.user_id.value),
			status: form.elements.status.value,
		};
		const before = { ...editing, description: editing.description ?? '' };
		return Object.fromEntries(Object.entries(wanted).filter(([field, value]) => value !== before[field]));
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
		if (invalid) return;
		const changed = changes();
		if (Object.keys(changed).length === 0) return close();
		try {
			const task = await tasks.save(editing.id, changed, editing.version);
			close();
			ctx.announce({ key: 'task.saved', params: { title: task.title } });
		} catch (failure) {
			markInvalid(form, failure);
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
		return undefined;
	}

	function close() {
		if (dialog.open) dialog.close();
	}

	$(dialog, 'task-cancel').addEventListener('click', close);
	dialog.addEventListener('close', () => {
		// The event comes after the dialog closed: if it was opened again since, it is stale.
		if (dialog.open) return;
		editing = null;
		if (opener?.isConnected) opener.focus();
		opener = null;
	});

	return {
		open(task, from) {
			opener = from;
			fill(task);
			clearInvalid(form);
			showMessage(error, null);
			dialog.showModal();
			form.elements.title.focus();
		},
		renderMembers() {
			if (editing) fillMemberOptions(form.elements.user_id, openRoom.members, { keep: Number(form.elements.user_id.value) });
		},
		close,
	};
}
