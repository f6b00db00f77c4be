// The planning fields of a task in words and colours: due dates relative to now (and how long ago
// something happened), the week's bounds, and a text colour that reads on any label colour.

import { language } from './i18n.js';

const DAY_MS = 86_400_000;

function startOfDay(date) {
	return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** Calendar days from `now` to `date` in local time: 0 today, 1 tomorrow, -1 yesterday. */
export function dayDiff(date, now = new Date()) {
	return Math.round((startOfDay(date) - startOfDay(now)) / DAY_MS);
}

/** The end of the current week (the start of next Monday, local time). */
export function endOfWeek(now = new Date()) {
	const today = startOfDay(now);
	const daysToMonday = ((8 - today.getDay()) % 7) || 7;
	return new Date(today.getFullYear(), today.getMonth(), today.getDate() + daysToMonday);
}

/** Whether a task is past its due time and not completed. */
export function isOverdue(task, now = new Date()) {
	return Boolean(task.due_at) && task.status !== 'completed' && new Date(task.due_at) < now;
}

/** Where a task's due date falls: "none", "overdue", "today", "week" or "later". */
export function dueGroup(task, now = new Date()) {
	if (!task.due_at) return 'none';
	const due = new Date(task.due_at);
	if (isOverdue(task, now)) return 'overdue';
	if (dayDiff(due, now) <= 0) return 'today';
	return due < endOfWeek(now) ? 'week' : 'later';
}

/** "in 2 days", "tomorrow", "3 hours ago"… in the page's language. */
export function relativeTime(iso, now = new Date()) {
	const date = new Date(iso);
	const format = new Intl.RelativeTimeFormat(language(), { numeric: 'auto' });
	const ms = date - now;
	const days = dayDiff(date, now);
	if (days === 0) {
		const minutes = Math.round(ms / 60_000);
		return Math.abs(minutes) < 60 ? format.format(minutes, 'minute') : format.format(Math.round(ms / 3_600_000), 'hour');
	}
	if (Math.abs(days) < 14) return format.format(days, 'day');
	if (Math.abs(days) < 60) return format.format(Math.round(days / 7), 'week');
	return format.format(Math.round(days / 30), 'month');
}

/** How long ago something happened: "now", "5 minutes ago", "3 hours ago", "yesterday"… */
export function timeAgo(iso, now = new Date()) {
	const ms = new Date(iso) - now;
	const format = new Intl.RelativeTimeFormat(language(), { numeric: 'auto' });
	if (Math.abs(ms) < 45_000) return format.format(0, 'second');
	if (Math.abs(ms) < 3_600_000) return format.format(Math.round(ms / 60_000), 'minute');
	if (Math.abs(ms) < DAY_MS) return format.format(Math.round(ms / 3_600_000), 'hour');
	return relativeTime(iso, now);
}

/** Fills a <time> with when something happened: how long ago, and in full as its title. */
export function showTimeAgo(time, iso) {
	time.dateTime = iso;
	time.title = absoluteTime(iso);
	time.textContent = timeAgo(iso);
}

/** A due time in full, for the title of a relative one. */
export function absoluteTime(iso) {
	return new Intl.DateTimeFormat(language(), { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}

function channel(value) {
	const c = value / 255;
	return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of "#RRGGBB". */
export function luminance(hex) {
	const [r, g, b] = [1, 3, 5].map((at) => channel(parseInt(hex.slice(at, at + 2), 16)));
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a, b) {
	const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever contrasts more with `background`: at least 4.58:1 for any colour. */
export function readableOn(background) {
	return contrast(background, '#000000') >= contrast(background, '#ffffff') ? '#000000' : '#ffffff';
}
