"""The after-commit mechanism (tasksync_common.after_commit), on its own: effects run after the
commit only, once each and in order; never after a rollback or a failed commit; a savepoint
counts for nothing; a failing effect's exception reaches the committer and drops the rest."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tasksync_common.after_commit import defer, session_options


@pytest.fixture
def db(tmp_path):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'effects.sqlite3'}"
    database = SQLAlchemy(session_options=session_options())
    database.init_app(app)

    class Note(database.Model):
        __tablename__ = "notes"
        id = database.Column(database.Integer, primary_key=True)
        body = database.Column(database.Text, nullable=False)

    database.Note = Note
    with app.app_context():
        database.create_all()
        yield database
        database.session.remove()
        database.engine.dispose()


def _write(db, note_id: int, body: str = "x") -> None:
    db.session.execute(text("INSERT INTO notes (id, body) VALUES (:id, :body)"), {"id": note_id, "body": body})


def _count(db) -> int:
    return db.session.execute(text("SELECT count(*) FROM notes")).scalar()


def test_effects_run_after_the_commit_once_in_order(db):
    ran = []
    _write(db, 1)
    defer(db.session, ran.append, "first")
    defer(db.session, ran.append, "second")
    assert ran == []  # not before the commit
    db.session.commit()
    assert ran == ["first", "second"]
    db.session.commit()
    _write(db, 2)
    db.session.commit()
    assert ran == ["first", "second"]  # once: a later commit does not run them again


def test_an_effect_sees_the_committed_data_and_may_read_the_database(db):
    seen = []
    _write(db, 1)
    defer(db.session, lambda: seen.append(_count(db)))
    db.session.commit()
    assert seen == [1]


def test_effects_are_dropped_on_rollback(db):
    ran = []
    _write(db, 1)
    defer(db.session, ran.append, "rolled back")
    db.session.rollback()
    _write(db, 2)
    defer(db.session, ran.append, "committed")
    db.session.commit()
    assert ran == ["committed"]


def test_effects_are_dropped_when_the_commit_fails(db):
    ran = []
    _write(db, 1)
    db.session.commit()
    db.session.add(db.Note(id=1, body="again"))  # flushed by the commit, which fails on the id
    defer(db.session, ran.append, "never")
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.commit()
    assert ran == []


def test_effects_are_dropped_when_the_session_closes(db):
    ran = []
    defer(db.session, ran.append, "never")
    db.session.remove()
    db.session.commit()
    assert ran == []


def test_a_savepoint_neither_runs_nor_drops_them(db):
    ran = []
    defer(db.session, ran.append, "outer")
    with db.session.begin_nested():
        _write(db, 1)
    assert ran == []
    with pytest.raises(IntegrityError), db.session.begin_nested():
        _write(db, 1)
    db.session.commit()
    assert ran == ["outer"]


def test_an_effect_deferred_before_any_statement_runs_at_the_commit(db):
    ran = []
    defer(db.session, ran.append, "early")
    db.session.commit()
    assert ran == ["early"]


def test_a_failing_effect_reaches_the_committer_and_drops_the_rest(db):
    ran = []

    def fail():
        raise RuntimeError("cache unreachable")

    _write(db, 1)
    defer(db.session, ran.append, "before")
    defer(db.session, fail)
    defer(db.session, ran.append, "after")
    with pytest.raises(RuntimeError, match="cache unreachable"):
        db.session.commit()
    assert ran == ["before"]
    assert _count(db) == 1  # the commit stands
    db.session.commit()
    assert ran == ["before"]  # what came after the failure is not run later either


def test_an_effect_deferred_by_an_effect_waits_for_the_next_commit(db):
    ran = []
    defer(db.session, lambda: defer(db.session, ran.append, "next"))
    db.session.commit()
    assert ran == []
    db.session.commit()
    assert ran == ["next"]
