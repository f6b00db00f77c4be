// The service worker: keeps the client's own files (the page, its scripts, styles, icons and
// manifest) so that TaskSync opens without a network. Each file is fetched from the network first,
// so a new release shows at once, and taken from the cache only when the network fails. API
// answers (/api/...) are never cached nor answered here: they go to the network as if there were
// no worker, so nobody sees another moment's, or another person's, data.

// A block: a classic worker script's declarations stay its own.
{
	const CACHE = 'tasksync-static-v1';

	// Every file of the client; tests/browser/test_installable.py checks this list against the folder.
	const FILES = [
		'/',
		'/assets/css/app.css',
		'/assets/manifest.webmanifest',
		'/assets/icons/icon.svg',
		'/assets/icons/icon-192.png',
		'/assets/icons/icon-512.png',
		'/assets/js/api.js',
		'/assets/js/comment-text.js',
		'/assets/js/dialogs.js',
		'/assets/js/dom.js',
		'/assets/js/errors.js',
		'/assets/js/event-stream.js',
		'/assets/js/history.js',
		'/assets/js/i18n.js',
		'/assets/js/i18n/en.js',
		'/assets/js/i18n/uk.js',
		'/assets/js/main.js',
		'/assets/js/planning.js',
		'/assets/js/poller.js',
		'/assets/js/router.js',
		'/assets/js/store/moves.js',
		'/assets/js/store/notifications.js',
		'/assets/js/store/room.js',
		'/assets/js/store/rooms.js',
		'/assets/js/store/session.js',
		'/assets/js/store/store.js',
		'/assets/js/store/tasks.js',
		'/assets/js/theme-boot.js',
		'/assets/js/theme.js',
		'/assets/js/validate.js',
		'/assets/js/views/account.js',
		'/assets/js/views/activity.js',
		'/assets/js/views/auth.js',
		'/assets/js/views/board.js',
		'/assets/js/views/comments.js',
		'/assets/js/views/history-list.js',
		'/assets/js/views/member-options.js',
		'/assets/js/views/my-tasks.js',
		'/assets/js/views/not-found.js',
		'/assets/js/views/notifications.js',
		'/assets/js/views/room-live.js',
		'/assets/js/views/room.js',
		'/assets/js/views/rooms.js',
		'/assets/js/views/task-panel.js',
	];

	/** Whether a request is for one of the client's own files (never the API, never elsewhere). */
	const isClientFile = (url) => {
		if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return false;
		return url.pathname === '/' || url.pathname.startsWith('/assets/');
	};

	self.addEventListener('install', (event) => {
		event.waitUntil(
			caches
				.open(CACHE)
				.then((cache) => cache.addAll(FILES))
				.then(() => self.skipWaiting()),
		);
	});

	self.addEventListener('activate', (event) => {
		event.waitUntil(
			caches
				.keys()
				.then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
				.then(() => self.clients.claim()),
		);
	});

	const networkFirst = async (request) => {
		const cache = await caches.open(CACHE);
		try {
			const response = await fetch(request);
			if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
			return response;
		} catch (failure) {
			const kept = await cache.match(request, { ignoreSearch: true });
			if (kept) return kept;
			throw failure;
		}
	};

	self.addEventListener('fetch', (event) => {
		const { request } = event;
		const url = new URL(request.url);
		// Not answered here at all: the browser fetches it as without a worker.
		if (request.method !== 'GET' || !isClientFile(url)) return;
		event.respondWith(networkFirst(request));
	});
}
