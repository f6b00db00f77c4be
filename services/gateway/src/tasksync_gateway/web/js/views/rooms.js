// The signed-in person's rooms with their progress; creating and joining rooms.

import { $, busy, fromTemplate, reconcile } from '../dom.js';
import { describeError } from '../errors.js';
import { setText, showMessage } from '../i18n.js';
import { Poller } from '../poller.js';
import { roomHash, routeHref } from '../router.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';

const REFRESH_MS = 15000;

export function createRoomsView(ctx) {
	const { rooms } = ctx;
	const el = fromTemplate('tpl-rooms');
	const list = $(el, 'room-list');
	const listError = $(el, 'list-error');
	const items = new Map();

	bindForm($(el, 'create-form'), $(el, 'create-error'), ['name'], 'create', async (form) => {
		const room = await rooms.create(form.elements.name.value.trim());
		ctx.navigate(roomHash(room.id), { flash: { key: 'rooms.created', params: { name: room.name } } });
	});
	bindForm($(el, 'join-form'), $(el, 'join-error'), ['code'], 'join', async (form) => {
		const room = await rooms.join(form.elements.code.value);
		ctx.navigate(roomHash(room.id), { flash: { key: 'rooms.joined', params: { name: room.name } } });
	});

	/** Validates, runs `action`, and shows any failure in the form's own alert. */
	function bindForm(form, error, fields, doing, action) {
		form.addEventListener('submit', (event) => {
			event.preventDefault();
			busy(form, async () => {
				clearInvalid(form);
				const invalid = validate(form, fields);
				showMessage(error, invalid);
				if (invalid) return;
				try {
					await action(form);
				} catch (failure) {
					markInvalid(form, failure);
					if (failure.status === 404 || failure.status === 429) form.elements[fields[0]].setAttribute('aria-invalid', 'true');
					showMessage(error, describeError(failure, doing));
					form.elements[fields[0]].focus();
				}
			});
		});
	}

	async function load() {
		try {
			await rooms.load();
			showMessage(listError, null);
		} catch (failure) {
			showMessage(listError, describeError(failure));
		}
	}

	function item(room) {
		let li = items.get(room.id);
		if (!li) {
			li = fromTemplate('tpl-room-item');
			const progress = $(li, 'room-progress');
			progress.id = `room-progress-${room.id}`;
			$(li, 'room-progress-label').htmlFor = progress.id;
			items.set(room.id, li);
		}
		const link = $(li, 'room-link');
		link.href = routeHref(roomHash(room.id));
		link.textContent = room.name;
		setText($(li, 'room-role'), `role.${room.role}`);
		setText($(li, 'room-members'), 'rooms.members', { count: room.member_count });
		renderProgress(li, rooms.summaries.get(room.id));
		return li;
	}

	function renderProgress(li, summary) {
		const progress = $(li, 'room-progress');
		const label = $(li, 'room-progress-label');
		progress.hidden = summary === null;
		if (summary === undefined) {
			progress.removeAttribute('value');
			setText(label, 'app.loading');
		} else if (summary === null) {
			setText(label, 'rooms.progress.unknown');
		} else {
			progress.max = Math.max(summary.total, 1);
			progress.value = summary.completed;
			if (summary.total === 0) setText(label, 'rooms.progress.none');
			else setText(label, 'rooms.progress', { completed: summary.completed, total: summary.total });
		}
	}

	function render() {
		const shown = rooms.list ?? [];
		reconcile(list, shown.map(item));
		$(el, 'rooms-empty').hidden = rooms.list === null || shown.length > 0;
	}

	const onChange = (event) => {
		if (['rooms', 'summaries'].includes(event.detail.what)) render();
	};
	rooms.addEventListener('change', onChange);
	// The bell's count is read as this view polls, not by a timer of its own.
	const poller = new Poller(() => {
		ctx.notifications.poll();
		return load();
	}, REFRESH_MS);
	poller.start();
	load();

	return {
		el,
		title: 'rooms.title',
		heading: $(el, 'heading'),
		render,
		destroy() {
			poller.stop();
			rooms.removeEventListener('change', onChange);
		},
	};
}
