// The signed-in person's account: who they are, the password, the e-mail address (and verifying
// it), when to be reminded of their tasks, and the calendar feed of them.

import { confirmAction } from '../dialogs.js';
import { $, busy, fromTemplate } from '../dom.js';
import { describeError } from '../errors.js';
import { setText, showMessage } from '../i18n.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';

/** The before-due choices offered at once (minutes): 15 min, 1 h, 1 day, 2 days, 1 week. */
const PRESETS = [15, 60, 1440, 2880, 10080];
/** The server's limits on offsets (docs/api.md, "Reminders"). */
const MAX_OFFSETS = 5;
const MIN_OFFSET = 5;
const MAX_OFFSET = 20160;

/** An offset in words, in its largest whole unit: "1 week", "2 days", "90 minutes". */
export function offsetWords(minutes) {
	for (const [unit, size] of [
		['weeks', 10080],
		['days', 1440],
		['hours', 60],
	]) {
		if (minutes % size === 0) return { key: `account.reminders.offset.${unit}`, params: { count: minutes / size } };
	}
	return { key: 'account.reminders.offset.minutes', params: { count: minutes } };
}

export function createAccountView(ctx) {
	const { api, session } = ctx;
	const el = fromTemplate('tpl-account');
	let alive = true;

	// Password

	const form = $(el, 'password-form');
	const error = $(el, 'password-error');
	const done = $(el, 'password-done');

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		busy(form, submit);
	});

	async function submit() {
		clearInvalid(form);
		showMessage(done, null);
		const invalid = validate(form, ['current_password', 'new_password']);
		showMessage(error, invalid);
		if (invalid) return;
		try {
			await ctx.session.changePassword(form.elements.current_password.value, form.elements.new_password.value);
			form.reset();
			showMessage(done, { key: 'account.password.done' });
		} catch (failure) {
			markInvalid(form, failure);
			if (failure.status === 403) form.elements.current_password.setAttribute('aria-invalid', 'true');
			showMessage(error, describeError(failure, 'password'));
		}
	}

	// E-mail: saving an address (again) sends a code to it; the code verifies it.

	const emailForm = $(el, 'email-form');
	const emailInput = emailForm.elements.email;
	const emailState = $(el, 'email-state');
	const emailError = $(el, 'email-error');
	const emailDone = $(el, 'email-done');
	const removeEmail = $(el, 'email-remove');
	const verifyForm = $(el, 'verify-form');
	const verifyError = $(el, 'verify-error');

	emailForm.addEventListener('submit', (event) => {
		event.preventDefault();
		busy(emailForm, () => saveEmail(emailInput.value.trim()));
	});
	removeEmail.addEventListener('click', () => busy(emailForm, () => saveEmail(null)));
	verifyForm.addEventListener('submit', (event) => {
		event.preventDefault();
		busy(verifyForm, verify);
	});

	async function saveEmail(email) {
		clearInvalid(emailForm);
		showMessage(emailDone, null);
		showMessage(verifyError, null);
		const invalid = email === null ? null : validate(emailForm, ['email']);
		showMessage(emailError, invalid);
		if (invalid) return;
		try {
			const user = await session.updateMe({ email });
			showMessage(
				emailDone,
				email === null
					? { key: 'account.email.removed' }
					: user.email_verified
						? { key: 'account.email.unchanged' }
						: { key: 'account.email.sent', params: { email: user.email } },
			);
			if (user.email && !user.email_verified) verifyForm.elements.verify_code.focus();
		} catch (failure) {
			markInvalid(emailForm, failure);
			showMessage(emailError, describeError(failure));
		}
	}

	async function verify() {
		clearInvalid(verifyForm);
		showMessage(emailDone, null);
		const invalid = validate(verifyForm, ['verify_code']);
		showMessage(verifyError, invalid);
		if (invalid) return;
		try {
			await api.verifyEmail(verifyForm.elements.verify_code.value);
			verifyForm.reset();
			session.keepUser({ ...session.user, email_verified: true });
			showMessage(emailDone, { key: 'account.email.verified' });
			emailInput.focus();
		} catch (failure) {
			if (failure.status === 422) verifyForm.elements.verify_code.setAttribute('aria-invalid', 'true');
			showMessage(verifyError, describeError(failure, 'verify'));
		}
	}

	function renderEmail() {
		const user = session.user ?? {};
		if (document.activeElement !== emailInput) emailInput.value = user.email ?? '';
		removeEmail.hidden = !user.email;
		verifyForm.hidden = !user.email || user.email_verified;
		emailState.className = user.email && user.email_verified ? 'badge' : 'muted';
		if (!user.email) setText(emailState, 'account.email.none');
		else if (user.email_verified) setText(emailState, 'account.email.isVerified', { email: user.email });
		else setText(emailState, 'account.email.unverified', { email: user.email });
		renderMailChoice();
	}

	// Reminders: the offsets are checkboxes, the presets and whatever the settings hold.

	const remindersForm = $(el, 'reminders-form');
	const choices = $(el, 'offset-choices');
	const remindersError = $(el, 'reminders-error');
	const remindersDone = $(el, 'reminders-done');
	const mailHint = $(el, 'reminders-email-hint');
	let offered = [...PRESETS];

	function checkedOffsets() {
		return [...choices.querySelectorAll('input:checked')].map((input) => Number(input.value));
	}

	function renderOffsets(checked) {
		offered = [...new Set([...offered, ...checked])].sort((a, b) => a - b);
		choices.replaceChildren(
			...offered.map((minutes) => {
				const label = document.createElement('label');
				label.className = 'label-choice';
				const input = document.createElement('input');
				input.type = 'checkbox';
				input.name = 'before_due';
				input.value = String(minutes);
				input.checked = checked.includes(minutes);
				const words = document.createElement('span');
				const { key, params } = offsetWords(minutes);
				setText(words, key, params);
				label.append(input, ' ', words);
				return label;
			}),
		);
	}

	function renderMailChoice() {
		const verified = Boolean(session.user?.email && session.user.email_verified);
		const box = remindersForm.elements.email;
		box.disabled = !verified;
		setText(mailHint, verified ? 'account.reminders.emailTo' : 'account.reminders.emailNeedsAddress', {
			email: session.user?.email ?? '',
		});
	}

	$(el, 'offset-add').addEventListener('click', () => {
		showMessage(remindersDone, null);
		const amount = Number(remindersForm.elements.offset_amount.value);
		const minutes = amount * Number(remindersForm.elements.offset_unit.value);
		const fine = Number.isInteger(amount) && minutes >= MIN_OFFSET && minutes <= MAX_OFFSET;
		remindersForm.elements.offset_amount.toggleAttribute('aria-invalid', !fine);
		if (!fine) {
			showMessage(remindersError, { key: 'account.reminders.badOffset' });
			remindersForm.elements.offset_amount.focus();
			return;
		}
		showMessage(remindersError, null);
		renderOffsets([...checkedOffsets(), minutes]);
		remindersForm.elements.offset_amount.value = '';
		choices.querySelector(`input[value="${minutes}"]`)?.focus();
	});

	remindersForm.addEventListener('submit', (event) => {
		event.preventDefault();
		busy(remindersForm, saveReminders);
	});

	async function saveReminders() {
		showMessage(remindersDone, null);
		const beforeDue = checkedOffsets();
		if (beforeDue.length > MAX_OFFSETS) {
			showMessage(remindersError, { key: 'account.reminders.tooMany', params: { count: MAX_OFFSETS } });
			return;
		}
		showMessage(remindersError, null);
		const elements = remindersForm.elements;
		try {
			const saved = await api.saveReminders({
				before_due: beforeDue,
				overdue: elements.overdue.checked,
				email: elements.email.checked,
			});
			showReminders(saved);
			showMessage(remindersDone, { key: 'account.reminders.saved' });
		} catch (failure) {
			showMessage(remindersError, describeError(failure));
		}
	}

	function showReminders(settings) {
		renderOffsets(settings.before_due);
		remindersForm.elements.overdue.checked = settings.overdue;
		remindersForm.elements.email.checked = settings.email;
	}

	// The calendar feed: its address is shown only in the answer that makes it.

	const calendar = $(el, 'calendar');
	const calendarState = $(el, 'calendar-state');
	const address = $(el, 'calendar-address');
	const url = $(el, 'calendar-url');
	const calendarError = $(el, 'calendar-error');
	const calendarDone = $(el, 'calendar-done');
	const copy = $(el, 'calendar-copy');
	const create = $(el, 'calendar-create');
	const replace = $(el, 'calendar-replace');
	const off = $(el, 'calendar-off');
	let feed = null;

	function renderCalendar() {
		if (feed) setText(calendarState, 'account.calendar.on', { since: { date: feed.created_at } });
		else setText(calendarState, 'account.calendar.none');
		address.hidden = !feed?.url;
		copy.hidden = !feed?.url;
		url.value = feed?.url ?? '';
		create.hidden = Boolean(feed);
		replace.hidden = !feed;
		off.hidden = !feed;
	}

	async function calendarAction(action, doneMessage) {
		showMessage(calendarError, null);
		showMessage(calendarDone, null);
		try {
			feed = await action();
			renderCalendar();
			showMessage(calendarDone, doneMessage);
			(feed?.url ? url : create).focus();
			if (feed?.url) url.select();
		} catch (failure) {
			showMessage(calendarError, describeError(failure));
		}
	}

	create.addEventListener('click', () =>
		busy(calendar, () => calendarAction(() => api.createCalendar(), { key: 'account.calendar.created' })),
	);
	replace.addEventListener('click', () =>
		busy(calendar, async () => {
			const sure = await confirmAction({
				title: { key: 'account.calendar.replaceTitle' },
				message: { key: 'account.calendar.replaceMessage' },
				ok: 'account.calendar.replace',
			});
			if (sure) await calendarAction(() => api.createCalendar(), { key: 'account.calendar.replaced' });
		}),
	);
	off.addEventListener('click', () =>
		busy(calendar, () =>
			calendarAction(async () => {
				await api.deleteCalendar();
				return null;
			}, { key: 'account.calendar.turnedOff' }),
		),
	);
	// The Clipboard API needs a secure context and permission; else the address is selected for
	// the person to copy themselves.
	copy.addEventListener('click', async () => {
		try {
			await navigator.clipboard.writeText(url.value);
			showMessage(calendarDone, { key: 'account.calendar.copied' });
		} catch {
			url.focus();
			url.select();
			showMessage(calendarDone, { key: 'account.calendar.selected' });
		}
	});

	// Loading what the server has: each part on its own, so one failing leaves the others usable.

	async function load() {
		const [me, reminders, current] = await Promise.allSettled([api.me(), api.reminders(), api.calendar()]);
		if (!alive) return;
		if (me.status === 'fulfilled') session.keepUser(me.value);
		if (reminders.status === 'fulfilled') showReminders(reminders.value);
		else showMessage(remindersError, describeError(reminders.reason));
		if (current.status === 'fulfilled') feed = current.value;
		else showMessage(calendarError, describeError(current.reason));
		renderCalendar();
	}

	const onSession = (event) => {
		if (event.detail.what === 'session') renderEmail();
	};
	session.addEventListener('change', onSession);

	function render() {
		setText($(el, 'account-user'), 'account.user', { name: session.user?.username ?? '' });
		renderEmail();
		renderOffsets(checkedOffsets());
		renderCalendar();
	}

	renderOffsets([]);
	load();

	return {
		el,
		title: 'account.title',
		heading: $(el, 'heading'),
		render,
		destroy() {
			alive = false;
			session.removeEventListener('change', onSession);
		},
	};
}

