"""Fixtures several contract modules share: three people, and a room two of them are in."""

from __future__ import annotations

import pytest

from tests.contract.helpers import join, make_room, sign_up


@pytest.fixture(scope="module")
def people(stack):
    """Three users reused by a module's tests (each test makes its own rooms)."""
    return [sign_up(stack.url) for _ in range(3)]


@pytest.fixture
def owner(people):
    return people[0]


@pytest.fixture
def member(people):
    return people[1]


@pytest.fixture
def outsider(people):
    """In none of the rooms the others share, until a test lets them in."""
    return people[2]


@pytest.fixture
def team(owner, member):
    """A fresh room of ``owner`` that ``member`` has joined."""
    room = make_room(owner)
    join(member, room)
    return room
