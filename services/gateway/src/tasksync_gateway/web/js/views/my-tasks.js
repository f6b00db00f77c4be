// "My tasks": the tasks assigned to the signed-in person across their rooms, not yet completed,
// grouped by when they are due (GET /users/me/tasks).

import { $, fromTemplate } from '../dom.js';
import { describeError } from '../errors.js';
import { setText, showMessage } from '../i18n.js';
import { absoluteTime, dueGroup, relativeTime } from '../planning.js';
import { Poller } from '../poller.js';
import { routeHref, taskHash } from '../router.js';

const GROUPS = ['overdue', 'today', 'week', 'later', 'none'];
const REFRESH_MS = 15000;

export function createMyTasksView(ctx) {
	const { api } = ctx;
	const el = fromTemplate('tpl-my-tasks');
	const heading = $(el, 'heading');
	const error = $(el, 'my-error');
	const groupsEl = $(el, 'my-groups');
	let items = null;
	let roomNames = new Map();

	async function load() {
		try {
			const [rooms, mine] = await Promise.all([api.rooms(), api.myTasks()]);
			roomNames = new Map(rooms.map((room) => [room.id, room.name]));
			items = mine.filter((task) => task.status !== 'completed');
			showMessage(error, null);
			render();
		} catch (failure) {
			showMessage(error, describeError(failure));
		}
	}

	function item(task) {
		const li = fromTemplate('tpl-my-task');
		const link = $(li, 'my-task-link');
		link.href = routeHref(taskHash(task.room_id, task.id));
		link.textContent = task.title;
		$(li, 'my-task-room').textContent = roomNames.get(task.room_id) ?? '';
		setText($(li, 'my-task-status'), `status.${task.status}`);
		const priority = $(li, 'my-task-priority');
		priority.hidden = task.priority === 'none';
		priority.dataset.priority = task.priority;
		setText(priority, `priority.${task.priority}.card`);
		const due = $(li, 'my-task-due');
		due.hidden = !task.due_at;
		if (task.due_at) {
			due.dateTime = task.due_at;
			due.title = absoluteTime(task.due_at);
			const overdue = dueGroup(task) === 'overdue';
			due.classList.toggle('is-overdue', overdue);
			setText(due, overdue ? 'task.due.overdue' : 'task.due', { when: relativeTime(task.due_at) });
		}
		return li;
	}

	function render() {
		if (items === null) return;
		$(el, 'my-empty').hidden = items.length > 0;
		const sections = GROUPS.map((group) => {
			const tasks = items.filter((task) => dueGroup(task) === group); // the server's order: by due time
			if (tasks.length === 0) return null;
			const section = fromTemplate('tpl-my-group');
			const id = `my-group-${group}`;
			const title = $(section, 'my-group-title');
			title.id = id;
			section.setAttribute('aria-labelledby', id);
			setText($(title, 'my-group-name'), `myTasks.group.${group}`);
			setText($(title, 'my-group-count'), 'board.column.count', { count: tasks.length });
			section.dataset.group = group;
			$(section, 'my-group-list').replaceChildren(...tasks.map(item));
			return section;
		}).filter(Boolean);
		groupsEl.replaceChildren(...sections);
		groupsEl.setAttribute('aria-busy', 'false');
	}

	// The bell's count is read as this view polls, not by a timer of its own.
	const poller = new Poller(() => {
		ctx.notifications.poll();
		return load();
	}, REFRESH_MS);
	load().finally(() => poller.start());

	return {
		el,
		title: 'myTasks.title',
		heading,
		render(what) {
			if (what === 'language') render();
		},
		destroy() {
			poller.stop();
		},
	};
}
