// A room's Activity: its history, newest first, "show older", narrowed to a kind or a group of kinds
// that the URL keeps (#/rooms/{id}/activity?kind=members), so that a filtered history is a link.

import { $, fromTemplate } from '../dom.js';
import { describeError } from '../errors.js';
import { setText, showMessage, t } from '../i18n.js';
import { KIND_GROUPS, filterKinds } from '../history.js';
import { activityHash, roomHash, routeHref, taskHash, withQuery } from '../router.js';
import { createHistoryList } from './history-list.js';

/** The filter's choices: everything, then each group with its kinds under it. */
function fillFilter(select, value) {
	const all = new Option(t('activity.filter.all'), '');
	const groups = Object.entries(KIND_GROUPS).map(([group, kinds]) => {
		const optgroup = document.createElement('optgroup');
		optgroup.label = t(`activity.filter.${group}`);
		const options = kinds.map((kind) => new Option(t(`activity.kind.${kind}`), kind));
		if (kinds.length > 1) options.unshift(new Option(t(`activity.filter.${group}`), group));
		optgroup.append(...options);
		return optgroup;
	});
	select.replaceChildren(all, ...groups);
	select.value = value;
}

const filterOf = (query) => {
	const value = query.get('kind') ?? '';
	return filterKinds(value).length ? value : '';
};

export function createActivityView(ctx, route) {
	const { api } = ctx;
	const { roomId } = route;
	const el = fromTemplate('tpl-activity');
	const heading = $(el, 'heading');
	const error = $(el, 'activity-error');
	const select = $(el, 'activity-kind');
	let room = null;
	let members = new Map();
	let labels = new Map();
	let filter = filterOf(route.query);
	let left = false;

	$(el, 'tab-board').href = routeHref(roomHash(roomId));
	$(el, 'tab-activity').href = routeHref(activityHash(roomId));

	const history = createHistoryList(el, {
		scope: 'room',
		load: (cursor) => api.activity(roomId, { kinds: filterKinds(filter), cursor }),
		names: { member: (id) => members.get(id) ?? null, label: (id) => labels.get(id) ?? null },
		// A deleted task has no panel to open.
		href: (entry) => (entry.task_id !== null && entry.kind !== 'task.deleted' ? routeHref(taskHash(roomId, entry.task_id)) : null),
	});

	function gone() {
		if (left) return;
		left = true;
		ctx.rooms.forget(roomId);
		ctx.navigate('#/rooms', { replace: true, alert: { key: 'room.gone' } });
	}

	async function load() {
		try {
			const [found, people, kept] = await Promise.all([api.room(roomId), api.members(roomId), api.labels(roomId)]);
			room = found;
			members = new Map(people.map((member) => [member.user_id, member.username]));
			labels = new Map(kept.map((label) => [label.id, label.name]));
			renderRoom();
			showMessage(error, null);
		} catch (failure) {
			if (failure.status === 404) return gone();
			showMessage(error, describeError(failure));
		}
		return history.reload();
	}

	select.addEventListener('change', () => {
		filter = select.value;
		ctx.replaceHash(withQuery(activityHash(roomId), filter ? new URLSearchParams({ kind: filter }) : null));
		showFilter();
		history.reload();
	});

	function showFilter() {
		history.setEmptyKey(filter ? 'activity.emptyFiltered' : 'activity.empty');
	}

	function renderRoom() {
		if (!room) return;
		delete heading.dataset.i18n;
		heading.textContent = room.name;
		document.title = `${t('activity.documentTitle', { room: room.name })} — TaskSync`;
	}

	function render() {
		fillFilter(select, filter);
		renderRoom();
		history.render();
	}

	showFilter();
	fillFilter(select, filter);
	setText($(el, 'history-empty'), 'activity.empty');
	load();

	return {
		el,
		title: 'activity.title',
		heading,
		render,
		documentTitle: () => (room ? t('activity.documentTitle', { room: room.name }) : null),
		accepts(next) {
			return next.name === 'activity' && next.roomId === roomId && !left;
		},
		update(next) {
			const wanted = filterOf(next.query);
			if (wanted === filter) return;
			filter = wanted;
			select.value = filter;
			showFilter();
			history.reload();
		},
		destroy() {
			left = true;
			history.clear();
		},
	};
}
