// Failures in words: an error (with what was being done) becomes a message {key, params}.

import { ApiError } from './api.js';

const FIELDS = new Set([
	'username', 'password', 'current_password', 'new_password', 'name', 'code',
	'title', 'description', 'user_id', 'status', 'due_at', 'priority', 'label_ids', 'text', 'label_name', 'color', 'body',
	'email', 'verify_code',
]);

/** A "Field — hint" item for one offending field. */
export function fieldItem(field, hint = null) {
	const known = FIELDS.has(field);
	return {
		key: 'error.validationItem',
		params: {
			field: known ? { key: `field.${field}` } : field,
			hint: { key: hint ?? (known ? `hint.${field}` : 'hint.invalid') },
		},
	};
}

const BY_STATUS = {
	400: () => ({ key: 'error.badRequest' }),
	403: (error, doing) => ({
		key: { password: 'error.currentPassword', comment: 'error.commentEdit', commentDelete: 'error.commentDelete' }[doing] ?? 'error.forbidden',
	}),
	404: (error, doing) => ({
		key:
			{ join: 'error.codeNotFound', room: 'room.gone', task: 'error.taskGone', comment: 'error.commentGone', commentDelete: 'error.commentGone' }[
				doing
			] ?? 'error.notFound',
	}),
	409: (error, doing) => ({
		key: { signup: 'error.usernameTaken', leave: 'error.ownerCannotLeave', label: 'error.labelTaken' }[doing] ?? 'error.conflict',
	}),
	413: () => ({ key: 'error.tooLarge' }),
	415: () => ({ key: 'error.badRequest' }),
	422: (error, doing) =>
		doing === 'verify'
			? { key: 'error.verifyCode' }
			: error.errors.length
			? { key: 'error.validation', params: { items: error.errors.map((item) => fieldItem(item.field)) } }
			: { key: 'error.badRequest' },
	429: (error) =>
		error.retryAfter !== null
			? { key: 'error.throttled', params: { wait: { wait: error.retryAfter } } }
			: { key: 'error.throttledNoWait' },
};

function unavailable(error) {
	return error.retryAfter !== null
		? { key: 'error.unavailableWait', params: { wait: { wait: error.retryAfter } } }
		: { key: 'error.unavailable' };
}

/**
 * The message for `error`; `doing` names the action for the statuses whose meaning depends on it:
 * login, signup, password, join, leave, room, task, label, comment (an edit), commentDelete, verify
 * (an e-mail code).
 */
export function describeError(error, doing = '') {
	if (!(error instanceof ApiError)) {
		console.error(error);
		return { key: 'error.unexpected' };
	}
	if (error.kind === 'offline') return { key: 'error.offline' };
	if (error.status === 401) return { key: doing === 'login' ? 'error.credentials' : 'error.session' };
	if (error.status === 502 || error.status === 503 || error.status === 504) return unavailable(error);
	const describe = BY_STATUS[error.status];
	return describe ? describe(error, doing) : { key: 'error.status', params: { status: error.status } };
}
