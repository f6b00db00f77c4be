// The header's bell: the unread count (a badge, and the button's name says it), and a list of the
// notifications, newest first, each linking to its task's panel and marked read when followed;
// "mark all read". The list opens under the button (a disclosure) and closes on Escape or a click
// elsewhere, giving the focus back to the bell.

import { $, delegate } from '../dom.js';
import { describeError } from '../errors.js';
import { language, setText, showMessage, t } from '../i18n.js';
import { relativeTime, showTimeAgo } from '../planning.js';
import { roomHash, routeHref, taskHash } from '../router.js';

/**
 * When a reminder said the task was due, from where it was sent: "in 1 day" (its offset, in the
 * largest whole unit, as Intl says it), else from the due time itself.
 */
function dueIn(data) {
	const minutes = Number(data.offset);
	if (!Number.isInteger(minutes) || minutes <= 0) return data.due_at ? relativeTime(data.due_at) : '';
	const format = new Intl.RelativeTimeFormat(language(), { numeric: 'always' });
	for (const [unit, size] of [
		['week', 10080],
		['day', 1440],
		['hour', 60],
	]) {
		if (minutes % size === 0) return format.format(minutes / size, unit);
	}
	return format.format(minutes, 'minute');
}

/** A notification in words. */
function describe(item) {
	const data = item.data ?? {};
	const params = { actor: item.actor_username ?? { key: 'notifications.someone' }, title: data.title ?? '', kind: item.kind };
	if (item.kind === 'due_soon') params.when = dueIn(data);
	const known = ['mentioned', 'assigned', 'commented', 'due_soon', 'overdue', 'webhook_disabled'];
	return { key: known.includes(item.kind) ? `notifications.${item.kind}` : 'notifications.other', params };
}

export function createNotificationsControl(ctx, root) {
	const { notifications, session } = ctx;
	const bell = $(root, 'bell');
	const count = $(root, 'bell-count');
	const panel = $(root, 'notifications-panel');
	const list = $(root, 'notification-list');
	const empty = $(root, 'notifications-empty');
	const more = $(root, 'notifications-more');
	const markAll = $(root, 'mark-all-read');
	const error = $(root, 'notifications-error');

	function setOpen(open, { focusBell = false } = {}) {
		panel.hidden = !open;
		bell.setAttribute('aria-expanded', String(open));
		if (open) notifications.refresh();
		if (!open && focusBell) bell.focus();
	}

	bell.addEventListener('click', () => setOpen(panel.hidden));
	root.addEventListener('keydown', (event) => {
		if (event.key === 'Escape' && !panel.hidden) {
			event.preventDefault();
			setOpen(false, { focusBell: true });
		}
	});
	document.addEventListener('click', (event) => {
		if (!panel.hidden && !root.contains(event.target)) setOpen(false);
	});

	markAll.addEventListener('click', async () => {
		if (notifications.unread === 0) return;
		try {
			await notifications.markAllRead();
			ctx.announce({ key: 'notifications.markedAll' });
		} catch (failure) {
			showMessage(error, describeError(failure));
		}
	});
	more.addEventListener('click', async () => {
		try {
			await notifications.more();
		} catch (failure) {
			showMessage(error, describeError(failure));
		}
	});
	// Following one: it is read, and the list closes (the panel it opens takes the focus).
	delegate(list, 'click', '[data-notification-link]', (event, link) => {
		const id = Number(link.closest('[data-notification-id]').dataset.notificationId);
		notifications.markRead([id]).catch(() => {});
		setOpen(false);
	});

	function item(notification) {
		const li = document.createElement('li');
		li.className = 'notification';
		li.dataset.notificationId = notification.id;
		li.toggleAttribute('data-unread', !notification.read);
		const link = document.createElement('a');
		link.dataset.notificationLink = '';
		link.href = routeHref(
			notification.task_id === null ? roomHash(notification.room_id) : taskHash(notification.room_id, notification.task_id),
		);
		if (!notification.read) {
			const unread = document.createElement('span');
			unread.className = 'visually-hidden';
			unread.textContent = `${t('notifications.unread')} `;
			link.append(unread);
		}
		const message = describe(notification);
		link.append(t(message.key, message.params));
		li.append(link);
		const excerpt = notification.data?.excerpt;
		if (excerpt) {
			const quote = document.createElement('p');
			quote.className = 'notification-excerpt muted';
			quote.textContent = excerpt;
			li.append(quote);
		}
		const time = document.createElement('time');
		time.className = 'muted';
		showTimeAgo(time, notification.created_at);
		li.append(time);
		return li;
	}

	function render() {
		root.hidden = !session.signedIn || !notifications.available;
		const unread = notifications.unread;
		count.hidden = unread === 0;
		count.textContent = unread > 99 ? '99+' : String(unread);
		bell.setAttribute('aria-label', unread ? t('notifications.label', { count: unread }) : t('notifications.labelNone'));
		bell.classList.toggle('has-unread', unread > 0);
		const focused = document.activeElement?.closest?.('[data-notification-id]')?.dataset.notificationId;
		list.replaceChildren(...notifications.items.map(item));
		if (focused) list.querySelector(`[data-notification-id="${focused}"] a`)?.focus();
		list.hidden = notifications.items.length === 0;
		empty.hidden = notifications.items.length > 0;
		setText(empty, 'notifications.empty');
		more.hidden = !notifications.next;
		// aria-disabled, not disabled: the button keeps the focus it had when it marked the last one.
		markAll.setAttribute('aria-disabled', String(unread === 0));
		if (root.hidden && !panel.hidden) setOpen(false);
	}

	notifications.addEventListener('change', render);
	render();
	return { render };
}
