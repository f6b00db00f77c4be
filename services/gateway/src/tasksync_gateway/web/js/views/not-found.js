// An address that names nothing.

import { $, fromTemplate } from '../dom.js';

export function createNotFoundView() {
	const el = fromTemplate('tpl-not-found');
	return { el, title: 'notFound.title', heading: $(el, 'heading') };
}
