// Routes are URL hashes, so a reload keeps the place and the back button works. A route may carry
// a query after "?" (the board's filters), so that a filtered board can be shared as a link.

const ROUTES = [
	[/^#?\/?$/, () => ({ name: 'home' })],
	[/^#\/login$/, () => ({ name: 'login' })],
	[/^#\/rooms$/, () => ({ name: 'rooms' })],
	[/^#\/rooms\/(\d+)$/, (match) => ({ name: 'room', roomId: Number(match[1]), taskId: null })],
	[/^#\/rooms\/(\d+)\/tasks\/(\d+)$/, (match) => ({ name: 'room', roomId: Number(match[1]), taskId: Number(match[2]) })],
	[/^#\/rooms\/(\d+)\/activity$/, (match) => ({ name: 'activity', roomId: Number(match[1]) })],
	[/^#\/my-tasks$/, () => ({ name: 'myTasks' })],
	[/^#\/account$/, () => ({ name: 'account' })],
];

/**
 * The route named by a hash such as "#/rooms/12?label=3"; unknown hashes give {name: "notFound"}.
 * `query` holds the parameters after "?".
 */
export function parseRoute(hash) {
	const at = hash.indexOf('?');
	const path = at === -1 ? hash : hash.slice(0, at);
	const query = new URLSearchParams(at === -1 ? '' : hash.slice(at + 1));
	for (const [pattern, route] of ROUTES) {
		const match = pattern.exec(path);
		if (match) return { ...route(match), query };
	}
	return { name: 'notFound', query };
}

/** The hash with `query` (URLSearchParams) appended when it has any parameter. */
export function withQuery(hash, query) {
	const text = query?.toString() ?? '';
	return text ? `${hash}?${text}` : hash;
}

export const roomHash = (roomId) => `#/rooms/${roomId}`;
export const taskHash = (roomId, taskId) => `#/rooms/${roomId}/tasks/${taskId}`;
export const activityHash = (roomId) => `#/rooms/${roomId}/activity`;

/**
 * The href of a link to the route of `hash`: the page itself, then the hash. A bare "#/rooms"
 * reads as a link to an anchor named "/rooms" in the page, which no element is.
 */
export const routeHref = (hash) => `/${hash}`;
