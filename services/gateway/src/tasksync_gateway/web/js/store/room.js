// The open room: the room itself, its members and labels, and what its owner or a member may do.
// Opening or closing it also resets its tasks and moves. Dispatches "change" with what "room",
// "members" (members and labels reloaded) or "labels"; answers for a room closed meanwhile are dropped.

import { Store } from './store.js';

export class OpenRoomStore extends Store {
	constructor(api, { session, rooms, tasks, moves }) {
		super();
		this.api = api;
		this.session = session;
		this.rooms = rooms;
		this.tasks = tasks;
		this.moves = moves;
		this.clear();
		session.addEventListener('change', () => {
			if (!session.signedIn) this.clear();
		});
	}

	clear() {
		this.id = null;
		this.room = null;
		this.members = [];
		/** The room's labels (docs/api.md, "Labels"). */
		this.labels = [];
		this.tasks.clear();
		this.moves.clear();
	}

	async open(roomId) {
		this.clear();
		this.id = roomId;
		this.tasks.open(roomId);
		this.emit('room');
		await Promise.all([this.refresh(), this.tasks.refresh()]);
	}

	close() {
		this.clear();
	}

	/** Reloads the room and its members. */
	async refresh() {
		const roomId = this.id;
		const [room, members, labels] = await Promise.all([
			this.api.room(roomId),
			this.api.members(roomId),
			this.api.labels(roomId),
		]);
		if (roomId !== this.id) return;
		this.room = room;
		this.members = members;
		this.labels = labels;
		this.emit('room');
		this.emit('members');
	}

	/**
	 * Reloads the labels. Their changes count in the room's revision, so the task list's ETag
	 * changing is the cue: a task may carry a label made, or renamed, since they were loaded.
	 */
	async refreshLabels() {
		const roomId = this.id;
		const labels = await this.api.labels(roomId);
		if (roomId !== this.id || JSON.stringify(labels) === JSON.stringify(this.labels)) return;
		this.labels = labels;
		this.emit('labels');
	}

	set(room) {
		this.room = room;
		this.emit('room');
	}

	async rename(name) {
		this.set(await this.api.renameRoom(this.id, name));
	}

	async newCode() {
		this.set(await this.api.newCode(this.id));
	}

	async delete() {
		await this.api.deleteRoom(this.id);
		this.forget(this.id);
	}

	async leave() {
		await this.api.removeMember(this.id, this.session.user.id);
		this.forget(this.id);
	}

	/** A room deleted, left or found gone: off the list, and closed if it is the open one. */
	forget(roomId) {
		this.rooms.forget(roomId);
		if (this.id === roomId) this.clear();
	}

	async removeMember(userId) {
		await this.api.removeMember(this.id, userId);
		this.members = this.members.filter((member) => member.user_id !== userId);
		this.emit('members');
	}

	async createLabel(name, color) {
		const label = await this.api.createLabel(this.id, name, color);
		this.labels = [...this.labels, label];
		this.emit('labels');
		return label;
	}

	label(labelId) {
		return this.labels.find((label) => label.id === labelId) ?? null;
	}

	memberName(userId) {
		return this.members.find((member) => member.user_id === userId)?.username ?? null;
	}
}
