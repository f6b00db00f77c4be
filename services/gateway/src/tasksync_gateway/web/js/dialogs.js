// A confirmation asked in a modal <dialog>; resolves true only when confirmed.

import { $ } from './dom.js';
import { setText } from './i18n.js';

/** Asks `title`/`message` (message descriptors); `ok` is the confirming button's message key. */
export function confirmAction({ title, message, ok }) {
	const dialog = $(document, 'confirm-dialog');
	setText($(dialog, 'confirm-title'), title.key, title.params);
	setText($(dialog, 'confirm-message'), message.key, message.params);
	setText($(dialog, 'confirm-ok'), ok);
	return new Promise((resolve) => {
		const onClose = () => {
			dialog.removeEventListener('close', onClose);
			resolve(dialog.returnValue === 'ok');
		};
		dialog.returnValue = '';
		dialog.addEventListener('close', onClose);
		dialog.showModal();
		$(dialog, 'confirm-cancel').focus();
	});
}
