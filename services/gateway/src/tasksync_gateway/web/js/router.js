// Routes are URL hashes, so a reload keeps the place and the back button works.

const ROUTES = [
	[/^#?\/?$/, () => ({ name: 'home' })],
	[/^#\/login$/, () => ({ name: 'login' })],
	[/^#\/rooms$/, () => ({ name: 'rooms' })],
	[/^#\/rooms\/(\d+)$/, (match) => ({ name: 'room', roomId: Number(match[1]) })],
	[/^#\/account$/, () => ({ name: 'account' })],
];

/** The route named by a hash such as "#/rooms/12"; unknown hashes give {name: "notFound"}. */
export function parseRoute(hash) {
	for (const [pattern, route] of ROUTES) {
		const match = pattern.exec(hash);
		if (match) return route(match);
	}
	return { name: 'notFound' };
}

export const roomHash = (roomId) => `#/rooms/${roomId}`;

/**
 * The href of a link to the route of `hash`: the page itself, then the hash. A bare "#/rooms"
 * reads as a link to an anchor named "/rooms" in the page, which no element is.
 */
export const routeHref = (hash) => `/${hash}`;
