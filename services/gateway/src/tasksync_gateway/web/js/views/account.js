// The signed-in person's account: who they are, and changing the password.

import { $, busy, fromTemplate } from '../dom.js';
import { describeError } from '../errors.js';
import { setText, showMessage } from '../i18n.js';
import { clearInvalid, markInvalid, validate } from '../validate.js';

export function createAccountView(ctx) {
	const el = fromTemplate('tpl-account');
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

	function render() {
		setText($(el, 'account-user'), 'account.user', { name: ctx.session.user?.username ?? '' });
	}

	return { el, title: 'account.title', heading: $(el, 'heading'), render };
}
