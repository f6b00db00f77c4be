// Log in or sign up.

import { $, busy, fromTemplate } from '../dom.js';
import { describeError } from '../errors.js';
import { showMessage } from '../i18n.js';
import { clearInvalid, validate } from '../validate.js';

export function createAuthView(ctx) {
	const el = fromTemplate('tpl-auth');
	const form = $(el, 'auth-form');
	const error = $(el, 'auth-error');

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const mode = event.submitter?.value === 'signup' ? 'signup' : 'login';
		busy(form, () => submit(mode));
	});

	async function submit(mode) {
		clearInvalid(form);
		const invalid = validate(form, ['username', 'password'], { lenient: mode === 'login' });
		showMessage(error, invalid);
		if (invalid) return;
		const username = form.elements.username.value.trim();
		const password = form.elements.password.value;
		try {
			if (mode === 'signup') await ctx.session.signUp(username, password);
			else await ctx.session.logIn(username, password);
			ctx.signedIn();
		} catch (failure) {
			showMessage(error, describeError(failure, mode));
			if (failure.status === 401) {
				form.elements.password.select();
				form.elements.password.focus();
			} else if (failure.status === 409) {
				form.elements.username.focus();
			}
		}
	}

	return {
		el,
		title: 'auth.title',
		heading: $(el, 'heading'),
		/** Shows a message handed over by the previous view (a session that ended). */
		alert(message) {
			showMessage(error, message);
		},
	};
}
