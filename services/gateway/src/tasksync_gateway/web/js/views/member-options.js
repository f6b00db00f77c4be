// The members of the open room as the options of a <select>.

import { t } from '../i18n.js';

/** Fills a <select> with one option per member (plus `keep` if it is no member), keeping its value. */
export function fillMemberOptions(select, members, { keep = null, first = null } = {}) {
	const value = keep ?? select.value;
	const options = members.map((member) => new Option(member.username, String(member.user_id)));
	if (keep !== null && !members.some((member) => member.user_id === keep)) {
		options.push(new Option(t('task.formerMember'), String(keep)));
	}
	if (first) options.unshift(first);
	select.replaceChildren(...options);
	if ([...select.options].some((option) => option.value === String(value))) select.value = String(value);
}
