"""Who reviews whom: automatic allocation, changes by hand, and late reviewers.

Rules: never oneself; optionally not the same country or organisation; the
load spread as evenly as the rules allow; the same seed gives the same
allocation. When too few reviewers are eligible, allocate what is possible
and report which submissions are short; never fall back to a self-review.
"""

import random
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from course_engine.audit.services import record
from course_engine.auth.models import User
from course_engine.courses.models import Course, Enrolment, Item
from course_engine.database import utcnow
from course_engine.deliverables.models import Deliverable, Submission
from course_engine.deliverables.services import deadlines, submissions_of
from course_engine.errors import Conflict
from course_engine.extensions import db
from course_engine.peer_review import notices
from course_engine.peer_review.models import (
    ACTIVE_STATES,
    Allocation,
    AllocationState,
)
from course_engine.peer_review.settings import Settings, settings_of
from course_engine.roles import Role

RACE = "Allocations changed at the same time in another window; nothing was saved. Reload."


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    country: str
    organisation: str


@dataclass
class Short:
    submission_id: int
    name: str
    wanted: int
    have: int


@dataclass
class AllocationReport:
    """What an allocation run did, for the facilitator."""

    created: list[Allocation] = field(default_factory=list)
    short: list[Short] = field(default_factory=list)
    submissions: int = 0

    def message(self) -> str:
        if not self.submissions:
            return "There are no submitted submissions to allocate yet."
        reviewers = len({a.reviewer_id for a in self.created})
        text = f"Allocated {len(self.created)} review(s) to {reviewers} reviewer(s)."
        if self.short:
            listed = "; ".join(f"{s.name} ({s.have} of {s.wanted})" for s in self.short)
            text += (
                f" {len(self.short)} submission(s) have fewer reviewers than asked, because "
                f"too few eligible reviewers remain: {listed}. Nobody was given their own "
                "work; add reviewers by hand or relax the rules."
            )
        return text


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def may_review(reviewer: Person, author: Person, settings: Settings) -> bool:
    """Tell whether the rules let this person review this author's work."""
    if reviewer.user_id == author.user_id:
        return False
    if settings.avoid_same_country and _same(reviewer.country, author.country):
        return False
    return not (
        settings.avoid_same_organisation and _same(reviewer.organisation, author.organisation)
    )


def _person(user: User) -> Person:
    return Person(user.id, user.display_name, user.country or "", user.organisation or "")


def reviewer_pool(deliverable: Deliverable, settings: Settings) -> list[Person]:
    """Return who may be asked to review: learners who submitted, designated reviewers, or both."""
    chosen = []
    if settings.reviewers in ("peers", "both"):
        chosen.append(
            select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .join(Submission, Submission.user_id == User.id)
            .where(
                Enrolment.course_id == deliverable.course_id,
                Enrolment.role == Role.LEARNER,
                Submission.deliverable_id == deliverable.id,
                Submission.submitted_count > 0,
                User.active.is_(True),
            )
        )
    if settings.reviewers in ("designated", "both"):
        chosen.append(
            select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(
                Enrolment.course_id == deliverable.course_id,
                Enrolment.role == Role.PEER_REVIEWER,
                User.active.is_(True),
            )
        )
    people = {u.id: _person(u) for query in chosen for u in db.session.scalars(query)}
    return [people[i] for i in sorted(people)]


def course_reviewers(course_id: int) -> list[Person]:
    """Return everyone a facilitator may allocate by hand: the course's learners and reviewers."""
    users = db.session.scalars(
        select(User)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(
            Enrolment.course_id == course_id,
            Enrolment.role.in_([Role.LEARNER, Role.PEER_REVIEWER]),
        )
        .order_by(User.display_name, User.id)
    )
    return [_person(u) for u in users]


def allocations_of(deliverable_id: int) -> list[Allocation]:
    """Return every allocation of a deliverable, oldest first."""
    return list(
        db.session.scalars(
            select(Allocation)
            .where(Allocation.deliverable_id == deliverable_id)
            .order_by(Allocation.submission_id, Allocation.number)
        )
    )


def authors_of(submissions: list[Submission]) -> dict[int, Person]:
    ids = {s.user_id for s in submissions}
    return {u.id: _person(u) for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def flush() -> None:
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(RACE) from None


class Plan:
    """The allocation state of one deliverable while new allocations are chosen."""

    def __init__(self, deliverable: Deliverable, settings: Settings, seed):
        self.deliverable, self.settings = deliverable, settings
        existing = allocations_of(deliverable.id)
        self.load = Counter(a.reviewer_id for a in existing if a.state in ACTIVE_STATES)
        self.active = Counter(a.submission_id for a in existing if a.state in ACTIVE_STATES)
        self.taken: defaultdict[int, set[int]] = defaultdict(set)
        self.numbers: Counter[int] = Counter()
        for a in existing:
            self.taken[a.submission_id].add(a.reviewer_id)
            self.numbers[a.submission_id] = max(self.numbers[a.submission_id], a.number)
        self.pool = reviewer_pool(deliverable, settings)
        rng = random.Random(deliverable.id if seed is None else seed)
        order = list(self.pool)
        rng.shuffle(order)
        self.rank = {p.user_id: index for index, p in enumerate(order)}
        self.rng = rng

    def candidates(self, submission: Submission, author: Person) -> list[Person]:
        return [
            p
            for p in self.pool
            if may_review(p, author, self.settings) and p.user_id not in self.taken[submission.id]
        ]

    def pick(self, submission: Submission, author: Person) -> Person | None:
        options = self.candidates(submission, author)
        if not options:
            return None
        return min(options, key=lambda p: (self.load[p.user_id], self.rank[p.user_id]))

    def balance(self, made: list[tuple[Allocation, Submission]], authors) -> None:
        """Pass new allocations along chains of reviewers until no load tops another's by 2.

        Choosing greedily can leave a submission whose least-loaded reviewer
        is its own author; shifting work along a chain (A gives one to B, B
        gives another to C) evens the load without breaking a rule.
        """
        while self._shift(made, authors):
            pass

    def _shift(self, made, authors) -> bool:
        lowest = min((self.load[p.user_id] for p in self.pool), default=0)
        holders: dict[int, list[int]] = defaultdict(list)
        for index, (allocation, _) in enumerate(made):
            holders[allocation.reviewer_id].append(index)
        sources = [r for r in holders if self.load[r] >= lowest + 2]
        for source in sorted(sources, key=lambda r: (-self.load[r], self.rank.get(r, 0))):
            came: dict[int, tuple[int, int] | None] = {source: None}
            queue = deque([source])
            while queue:
                giver = queue.popleft()
                for index in holders[giver]:
                    submission = made[index][1]
                    for person in self.candidates(submission, authors[submission.user_id]):
                        if person.user_id in came:
                            continue
                        came[person.user_id] = (giver, index)
                        if self.load[person.user_id] + 2 <= self.load[source]:
                            self._pass_along(came, person.user_id, made)
                            return True
                        queue.append(person.user_id)
        return False

    def _pass_along(self, came, taker: int, made) -> None:
        while came[taker] is not None:
            giver, index = came[taker]
            allocation, submission = made[index]
            self.taken[submission.id].discard(giver)
            self.taken[submission.id].add(taker)
            allocation.reviewer_id = taker
            self.load[giver] -= 1
            self.load[taker] += 1
            taker = giver

    def add(self, submission: Submission, reviewer_id: int, actor_id, now) -> Allocation:
        self.numbers[submission.id] += 1
        self.taken[submission.id].add(reviewer_id)
        self.load[reviewer_id] += 1
        self.active[submission.id] += 1
        allocation = Allocation(
            deliverable_id=self.deliverable.id,
            submission_id=submission.id,
            reviewer_id=reviewer_id,
            number=self.numbers[submission.id],
            state=AllocationState.ASSIGNED,
            due_at=now + timedelta(days=self.settings.window_days),
            created_by=actor_id,
            created_at=now,
        )
        db.session.add(allocation)
        return allocation


def allocate(
    deliverable: Deliverable,
    *,
    actor_id: int | None = None,
    now: datetime | None = None,
    seed=None,
) -> AllocationReport:
    """Give every submitted submission its reviewers, topping up those short of them."""
    settings = settings_of(deliverable)
    now = now or utcnow()
    plan = Plan(deliverable, settings, seed)
    submissions = submissions_of(deliverable.id)
    authors = authors_of(submissions)
    wanted = settings.reviews_per_submission
    # The most constrained submissions choose first, so they are not left with nobody.
    order = list(submissions)
    plan.rng.shuffle(order)
    order.sort(key=lambda s: len(plan.candidates(s, authors[s.user_id])))
    report = AllocationReport(submissions=len(submissions))
    pairs = []
    for _ in range(wanted):
        for submission in order:
            if plan.active[submission.id] >= wanted:
                continue
            chosen = plan.pick(submission, authors[submission.user_id])
            if chosen is not None:
                allocation = plan.add(submission, chosen.user_id, actor_id, now)
                report.created.append(allocation)
                pairs.append((allocation, submission))
    plan.balance(pairs, authors)
    flush()
    report.short = [
        Short(s.id, authors[s.user_id].name, wanted, plan.active[s.id])
        for s in sorted(submissions, key=lambda s: authors[s.user_id].name)
        if plan.active[s.id] < wanted
    ]
    notices.assigned(deliverable, settings.anonymity, pairs)
    if actor_id is not None:
        record(
            actor_id, "peer_review.allocate", course_id=deliverable.course_id,
            target=f"deliverable:{deliverable.id}", created=len(report.created),
            short=[s.submission_id for s in report.short],
        )  # fmt: skip
    return report


def deliverables_with_peer_review() -> list[Deliverable]:
    """Return every deliverable that has peer review settings."""
    # A JSON column may hold JSON null rather than SQL NULL, so filter here.
    everything = db.session.scalars(select(Deliverable).order_by(Deliverable.id))
    return [d for d in everything if d.peer_review is not None]


def window_closed(deliverable: Deliverable, now: datetime) -> bool:
    """Tell whether the deliverable's submission window (cut-off, else due date) has closed."""
    course = db.session.get_one(Course, deliverable.course_id)
    limits = deadlines(deliverable, course, None)
    closes = limits.cutoff or limits.due
    return closes is not None and closes <= now


def allocate_due(
    now: datetime | None = None, seed=None
) -> list[tuple[Deliverable, AllocationReport]]:
    """Allocate every deliverable whose window closed and that has no allocation yet."""
    now = now or utcnow()
    done = []
    for deliverable in deliverables_with_peer_review():
        item = db.session.get_one(Item, deliverable.item_id)
        if item.archived or not window_closed(deliverable, now):
            continue
        started = db.session.scalar(
            select(Allocation.id).where(Allocation.deliverable_id == deliverable.id).limit(1)
        )
        if started is None:
            done.append((deliverable, allocate(deliverable, now=now, seed=seed)))
    return done
