// Checks a form before it is sent, with messages in the page's language (forms are novalidate).

import { fieldItem } from './errors.js';

/** What each API field accepts (docs/api.md); `trim` fields are trimmed by the server. */
const RULES = {
	username: { min: 3, max: 80, pattern: /^[\p{L}\p{N}._-]+$/u },
	password: { min: 8, max: 128 },
	new_password: { min: 8, max: 128 },
	current_password: {},
	name: { min: 1, max: 100, trim: true },
	code: { pattern: /^[A-Za-z0-9]{9}$/, normalize: (value) => value.replace(/[\s-]+/g, '') },
	title: { min: 1, max: 255, trim: true },
	description: { max: 10000, optional: true },
	text: { min: 1, max: 500, trim: true },
	label_name: { min: 1, max: 40, trim: true },
	body: { min: 1, max: 5000, trim: true },
	// The form only: the server checks the address properly (email-validator).
	email: { max: 254, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, trim: true },
	verify_code: { pattern: /^[A-Za-z0-9]{6,10}$/, normalize: (value) => value.replace(/\s+/g, '') },
};

function problem(name, value, { lenient }) {
	const rule = RULES[name] ?? {};
	let text = rule.normalize ? rule.normalize(value) : value;
	if (rule.trim) text = text.trim();
	if (!text) return rule.optional ? null : 'hint.required';
	if (lenient) return null;
	const length = [...text].length;
	const wrong =
		(rule.min && length < rule.min) || (rule.max && length > rule.max) || (rule.pattern && !rule.pattern.test(text));
	return wrong ? `hint.${name}` : null;
}

/**
 * Checks the named fields of `form`; marks each offending one aria-invalid and returns the
 * message to show (null when all is well). `lenient` checks only that required fields are filled.
 */
export function validate(form, names, { lenient = false } = {}) {
	const items = [];
	let first = null;
	for (const name of names) {
		const input = form.elements.namedItem(name);
		const hint = problem(name, input.value, { lenient });
		if (hint) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
		if (hint) {
			items.push(fieldItem(name, hint));
			first ??= input;
		}
	}
	first?.focus();
	return items.length ? { key: 'error.validation', params: { items } } : null;
}

/** Marks the fields a 422 answer named. */
export function markInvalid(form, error) {
	for (const item of error?.errors ?? []) {
		const input = form.elements.namedItem(item.field);
		if (input instanceof Element) input.setAttribute('aria-invalid', 'true');
	}
}

export function clearInvalid(form) {
	for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}
