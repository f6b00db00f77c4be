// A room's history in words: each activity entry (docs/api.md, "Activity") as a message {key,
// params}, said of "this" task in the task's own history, and naming the task in the room's.

/** The kinds the server records, in the groups the room's Activity view filters by. */
export const KIND_GROUPS = {
	tasks: ['task.created', 'task.updated', 'task.moved', 'task.deleted'],
	checklists: ['checklist.updated'],
	comments: ['comment.created', 'comment.deleted'],
	labels: ['label.created', 'label.updated', 'label.deleted'],
	members: ['member.joined', 'member.left', 'member.removed'],
	room: ['room.renamed'],
};

export const KINDS = Object.values(KIND_GROUPS).flat();

/** The kinds a filter value (a group's name or one kind) stands for; [] for everything. */
export function filterKinds(value) {
	if (KIND_GROUPS[value]) return KIND_GROUPS[value];
	return KINDS.includes(value) ? [value] : [];
}

const FIELD_ORDER = ['title', 'status', 'user_id', 'due_at', 'priority', 'label_ids', 'description'];

/** One changed field of a task as "the priority to High". */
function change(field, value, names) {
	switch (field) {
		case 'title':
			return { key: 'history.change.title', params: { value } };
		case 'description':
			return { key: 'history.change.description' };
		case 'status':
			return { key: 'history.change.status', params: { value: { key: `status.${value}` } } };
		case 'user_id':
			return {
				key: 'history.change.user_id',
				params: { value: names.member(value) ?? { key: 'task.formerMember' } },
			};
		case 'due_at':
			return value ? { key: 'history.change.due_at', params: { value: { date: value } } } : { key: 'history.change.due_at.none' };
		case 'priority':
			return { key: 'history.change.priority', params: { value: { key: `priority.${value}` } } };
		case 'label_ids':
			return value?.length
				? {
						key: 'history.change.label_ids',
						params: { value: { list: value.map((id) => names.label(id) ?? { key: 'history.formerLabel' }) } },
					}
				: { key: 'history.change.label_ids.none' };
		default:
			return { key: 'history.change.other', params: { field } };
	}
}

function changeList(changes, names) {
	const fields = Object.keys(changes).sort((a, b) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b));
	return fields.map((field) => change(field, changes[field]?.[1], names));
}

function checklistLine(data) {
	const item = data.item?.text ?? '';
	const changes = data.changes ?? {};
	if (data.action === 'added') return { action: 'added', params: { item } };
	if (data.action === 'removed') return { action: 'removed', params: { item } };
	if (changes.text) return { action: 'renamed', params: { item: changes.text[1], old: changes.text[0] } };
	if (changes.done) return { action: changes.done[1] ? 'done' : 'undone', params: { item } };
	return { action: 'added', params: { item } };
}

/**
 * The message for `entry`. `scope` is "task" in a task's own history (the task is "this") or
 * "room"; `names` has member(userId) and label(labelId), each a name or null.
 */
export function describeEntry(entry, scope, names) {
	const data = entry.data ?? {};
	const here = scope === 'task' ? '.here' : '';
	const base = { actor: entry.actor_username, title: data.title ?? '' };
	const changes = data.changes ?? {};
	switch (entry.kind) {
		case 'task.created':
			return { key: `history.task.created${here}`, params: base };
		case 'task.deleted':
			return { key: 'history.task.deleted', params: base };
		case 'task.moved':
		case 'task.updated': {
			const fields = Object.keys(changes).filter((field) => field !== 'position');
			if (fields.length === 1 && fields[0] === 'status') {
				return { key: `history.task.moved${here}`, params: { ...base, status: { key: `status.${changes.status[1]}` } } };
			}
			if (fields.length === 0) return { key: `history.task.reordered${here}`, params: base };
			const only = Object.fromEntries(fields.map((field) => [field, changes[field]]));
			return { key: `history.task.updated${here}`, params: { ...base, changes: changeList(only, names) } };
		}
		case 'checklist.updated': {
			const { action, params } = checklistLine(data);
			return { key: `history.checklist.${action}${here}`, params: { ...base, ...params } };
		}
		case 'comment.created':
		case 'comment.deleted':
			return { key: `history.${entry.kind}${here}`, params: base };
		case 'label.created':
		case 'label.deleted':
			return { key: `history.${entry.kind}`, params: { ...base, name: data.name ?? '' } };
		case 'label.updated':
			return changes.name
				? { key: 'history.label.renamed', params: { ...base, name: changes.name[1], old: changes.name[0] } }
				: { key: 'history.label.updated', params: { ...base, name: data.name ?? '' } };
		case 'member.joined':
		case 'member.left':
		case 'member.removed':
			return { key: `history.${entry.kind}`, params: { ...base, name: data.username ?? '' } };
		case 'room.renamed':
			return { key: 'history.room.renamed', params: { ...base, name: changes.name?.[1] ?? data.name ?? '' } };
		default:
			return { key: 'history.unknown', params: { ...base, kind: entry.kind } };
	}
}
