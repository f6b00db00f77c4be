// Finding elements by data-* attributes, cloning templates, delegating events.

/** The first element inside `root` carrying data-`name`. */
export function $(root, name) {
	return root.querySelector(`[data-${name}]`);
}

/** Every element inside `root` carrying data-`name`. */
export function $$(root, name) {
	return [...root.querySelectorAll(`[data-${name}]`)];
}

/** A fresh copy of the first element of <template id="`id`">. */
export function fromTemplate(id) {
	return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

/** One listener on `root` for every present and future element matching `selector`. */
export function delegate(root, type, selector, handler) {
	root.addEventListener(type, (event) => {
		const target = event.target instanceof Element ? event.target.closest(selector) : null;
		if (target && root.contains(target)) handler(event, target);
	});
}

/** Moves or inserts `node` before `reference`, keeping focus inside it where the browser can. */
export function place(parent, node, reference) {
	if (node.isConnected && typeof parent.moveBefore === 'function') {
		try {
			parent.moveBefore(node, reference);
			return;
		} catch {
			// Falls back to an ordinary insert.
		}
	}
	parent.insertBefore(node, reference);
}

/** Makes `parent`'s element children exactly `wanted`, in order, moving as few as possible. */
export function reconcile(parent, wanted) {
	wanted.forEach((node, index) => {
		const present = parent.children[index] ?? null;
		if (present !== node) place(parent, node, present);
	});
	while (parent.children.length > wanted.length) parent.lastElementChild.remove();
}

/** Guards a form against double submission while `action` runs. */
export async function busy(form, action) {
	if (form.getAttribute('aria-busy') === 'true') return undefined;
	form.setAttribute('aria-busy', 'true');
	try {
		return await action();
	} finally {
		form.removeAttribute('aria-busy');
	}
}
