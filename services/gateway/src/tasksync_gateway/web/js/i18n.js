// Languages: which one is in use, messages looked up by key, dates and numbers in its format.
// Elements carrying data-i18n="key" (and data-i18n-params='{"json": 1}') are translated in place;
// data-i18n-attr="aria-label:key;title:key" translates attributes.

import en from './i18n/en.js';
import uk from './i18n/uk.js';

const CATALOGS = { en, uk };
const STORAGE_KEY = 'tasksync.language';

export const LANGUAGES = Object.keys(CATALOGS);

/** The saved choice, else the first of the browser's preferred languages that we have. */
function initialLanguage() {
	const saved = window.localStorage.getItem(STORAGE_KEY);
	if (CATALOGS[saved]) return saved;
	for (const tag of navigator.languages ?? [navigator.language]) {
		const primary = String(tag).toLowerCase().split('-')[0];
		if (CATALOGS[primary]) return primary;
	}
	return 'en';
}

let current = initialLanguage();

/** Whether the person chose a language in this browser (else it follows the browser's or the account's). */
export function languageChosen() {
	return Boolean(CATALOGS[window.localStorage.getItem(STORAGE_KEY)]);
}

export function language() {
	return current;
}

/** Switches language, remembers the choice and translates the page. */
export function setLanguage(lang) {
	if (!CATALOGS[lang]) return;
	current = lang;
	window.localStorage.setItem(STORAGE_KEY, lang);
	applyLanguage(document);
}

export function applyLanguage(root) {
	document.documentElement.lang = current;
	translate(root);
}

export function formatDate(iso) {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '';
	return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(value) {
	return new Intl.NumberFormat(current).format(value);
}

/** A wait such as "2 minutes", rounded up to whole minutes past one minute. */
function formatWait(seconds) {
	return seconds < 60
		? t('duration.seconds', { count: Math.max(1, Math.ceil(seconds)) })
		: t('duration.minutes', { count: Math.ceil(seconds / 60) });
}

function formatParam(value) {
	if (typeof value === 'number') return formatNumber(value);
	if (Array.isArray(value)) return value.map(formatParam).join('; ');
	if (value && typeof value === 'object') {
		if ('key' in value) return t(value.key, value.params);
		if ('wait' in value) return formatWait(value.wait);
		if ('date' in value) return formatDate(value.date);
		if ('list' in value) return new Intl.ListFormat(current).format(value.list.map(formatParam));
	}
	return String(value ?? '');
}

/**
 * The message for `key` in the current language. A message may be plural forms keyed by
 * Intl.PluralRules categories, chosen by params.count. {name} placeholders take params.name,
 * which may be a number, a nested {key, params}, {wait: seconds}, {date: iso}, a list (joined by
 * "; ") or {list: [...]} (joined as the language says "a, b and c").
 */
export function t(key, params = {}) {
	let message = CATALOGS[current][key] ?? CATALOGS.en[key];
	if (message === undefined) {
		console.warn(`Missing message: ${key}`);
		return key;
	}
	if (typeof message === 'object') {
		const form = new Intl.PluralRules(current).select(params.count ?? 0);
		message = message[form] ?? message.other;
	}
	return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? formatParam(params[name]) : whole));
}

/** Sets an element's text to a message, and keeps it so a language switch re-translates it. */
export function setText(element, key, params) {
	element.dataset.i18n = key;
	if (params) element.dataset.i18nParams = JSON.stringify(params);
	else delete element.dataset.i18nParams;
	element.textContent = t(key, params);
}

/** Shows a message descriptor {key, params} in an element, or hides the element for null. */
export function showMessage(element, message) {
	if (message) {
		setText(element, message.key, message.params);
		element.hidden = false;
	} else {
		delete element.dataset.i18n;
		delete element.dataset.i18nParams;
		element.textContent = '';
		element.hidden = true;
	}
}

function translateElement(element) {
	if (element.dataset.i18n) {
		const params = element.dataset.i18nParams ? JSON.parse(element.dataset.i18nParams) : undefined;
		element.textContent = t(element.dataset.i18n, params);
	}
	if (element.dataset.i18nAttr) {
		for (const pair of element.dataset.i18nAttr.split(';')) {
			const [attribute, key] = pair.split(':').map((part) => part.trim());
			if (attribute && key) element.setAttribute(attribute, t(key));
		}
	}
}

/** Translates an element and everything inside it that is marked for translation. */
export function translate(root) {
	if (root instanceof Element) translateElement(root);
	for (const element of root.querySelectorAll('[data-i18n], [data-i18n-attr]')) translateElement(element);
}
