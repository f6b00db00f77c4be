// A comment's text as DOM nodes, never as HTML: text nodes, links for http(s) addresses and marks
// for the @usernames of the room's members (found as the server finds mentions, docs/api.md).

const LINK = /https?:\/\/[^\s<>"]+/giu;
const NAME_CHAR = /[\p{L}\p{N}\p{M}._-]/u;
// Punctuation that ends a sentence rather than an address ("see https://example.org.").
const TRAILING = /[.,;:!?'»”’]+$/u;

/** The form usernames are compared in: any letter case of a name is the same name. */
const nameKey = (name) => name.normalize('NFKD').toLocaleLowerCase('und').normalize('NFC');

/** An address with its closing punctuation left out, and a ")" only when it opened one. */
function trimLink(text) {
	let address = text.replace(TRAILING, '');
	while (address.endsWith(')') && address.split('(').length < address.split(')').length) {
		address = address.slice(0, -1).replace(TRAILING, '');
	}
	return address;
}

function safeHref(text) {
	try {
		const url = new URL(text);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
	} catch {
		return null;
	}
}

/**
 * The member named at `text[start]` (just after an "@"): the longest username that matches there,
 * ending where the name's characters do or before dots that end them. Returns its length, or 0.
 */
function mentionLength(text, start, names) {
	let end = start;
	while (end < text.length && NAME_CHAR.test(text[end])) end += 1;
	const run = text.slice(start, end);
	const shortest = run.replace(/\.+$/u, '').length;
	for (let length = run.length; length >= Math.max(shortest, 1); length -= 1) {
		if (length < run.length && run[length] !== '.') break;
		if (names.has(nameKey(run.slice(0, length)))) return length;
	}
	return 0;
}

/** Text with members' @mentions as <mark> elements. */
function withMentions(text, names) {
	const nodes = [];
	let plain = 0;
	for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
		if (at > 0 && NAME_CHAR.test(text[at - 1])) continue; // mail@example.org
		const length = mentionLength(text, at + 1, names);
		if (!length) continue;
		if (at > plain) nodes.push(document.createTextNode(text.slice(plain, at)));
		const mark = document.createElement('mark');
		mark.className = 'mention';
		mark.dataset.mention = '';
		mark.textContent = text.slice(at, at + 1 + length);
		nodes.push(mark);
		plain = at + 1 + length;
		at = plain - 1;
	}
	if (plain < text.length) nodes.push(document.createTextNode(text.slice(plain)));
	return nodes;
}

function link(text, href) {
	const a = document.createElement('a');
	a.href = href;
	a.textContent = text;
	a.target = '_blank';
	a.rel = 'noopener noreferrer';
	return a;
}

/** Fills `element` with `body`: its text, its links and the mentions of `usernames` (members). */
export function fillCommentText(element, body, usernames) {
	const names = new Set(usernames.map(nameKey));
	const nodes = [];
	let plain = 0;
	for (const match of body.matchAll(LINK)) {
		const text = trimLink(match[0]);
		const href = safeHref(text);
		if (!href) continue;
		nodes.push(...withMentions(body.slice(plain, match.index), names), link(text, href));
		plain = match.index + text.length;
	}
	nodes.push(...withMentions(body.slice(plain), names));
	element.replaceChildren(...nodes);
}
