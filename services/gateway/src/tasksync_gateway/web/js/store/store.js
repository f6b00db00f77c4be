// What every store is: an EventTarget that says what changed.

/** A store dispatches "change" on every change; detail.what names the part that changed. */
export class Store extends EventTarget {
	emit(what, detail = {}) {
		this.dispatchEvent(new CustomEvent('change', { detail: { what, ...detail } }));
	}
}
