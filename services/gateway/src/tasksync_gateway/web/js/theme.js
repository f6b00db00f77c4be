// The colour scheme: the system's (prefers-color-scheme), or light or dark as chosen and kept.
// js/theme-boot.js applies a kept choice before the page first paints; this keeps it in step.

export const THEME_KEY = 'tasksync.theme';
const THEMES = ['system', 'light', 'dark'];

function savedTheme() {
	const saved = window.localStorage.getItem(THEME_KEY);
	return THEMES.includes(saved) ? saved : 'system';
}

function applyTheme(theme) {
	if (theme === 'system') delete document.documentElement.dataset.theme;
	else document.documentElement.dataset.theme = theme;
}

/** Wires the scheme switch (a <select> of system/light/dark), also across tabs. */
export function initTheme(select) {
	select.value = savedTheme();
	applyTheme(select.value);
	select.addEventListener('change', () => {
		const theme = THEMES.includes(select.value) ? select.value : 'system';
		if (theme === 'system') window.localStorage.removeItem(THEME_KEY);
		else window.localStorage.setItem(THEME_KEY, theme);
		applyTheme(theme);
	});
	window.addEventListener('storage', (event) => {
		if (event.key !== THEME_KEY) return;
		select.value = savedTheme();
		applyTheme(select.value);
	});
}
