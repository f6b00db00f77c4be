// Loaded as a classic script in <head>, before the styles apply: a kept light or dark choice
// (js/theme.js) is on the page from its first paint, with no flash of the other scheme.

try {
	const theme = window.localStorage.getItem('tasksync.theme');
	if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
	// No storage (a locked-down browser): the system's scheme.
}
