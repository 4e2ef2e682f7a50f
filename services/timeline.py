"""The timeline engine: a profile, the catalog, what is done and today's date → ordered phases.

Pure and deterministic: the same inputs always give the same timeline (property-tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from services.catalog import PHASES, Catalog, Step
from services.deadlines import Deadline, compute_deadline
from services.municipal import MunicipalData, load_municipal
from services.profile import Child, Profile
from services.rules import child_facts, evaluate, profile_facts

TODO, DONE, NOT_RELEVANT = "todo", "done", "not_relevant"
STATUSES = (TODO, DONE, NOT_RELEVANT)
DUE_SOON_DAYS = 7
NEXT_ACTIONS = 3
# The last day after arrival that each phase covers (a due date places a step in its phase).
PHASE_ENDS = (("first_week", 7), ("first_month", 31), ("first_three_months", 92))


@dataclass(frozen=True)
class TimelineItem:
    """One step for this household (per-child steps appear once per child)."""

    key: str
    step: Step
    child: Child | None
    deadline: Deadline
    status: str
    blocked_by: tuple[str, ...]
    overdue: bool
    due_soon: bool
    phase: str  # the catalog's phase, or an earlier one when the due date falls earlier

    @property
    def due(self) -> date | None:
        return self.deadline.due

    @property
    def state(self) -> str:
        """done / not_relevant / blocked / todo — what the user sees on the item."""
        if self.status in (DONE, NOT_RELEVANT):
            return self.status
        return "blocked" if self.blocked_by else TODO


@dataclass(frozen=True)
class Phase:
    id: str
    items: tuple[TimelineItem, ...]

    @property
    def relevant(self) -> int:
        return sum(1 for i in self.items if i.status != NOT_RELEVANT)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.status == DONE)

    @property
    def progress(self) -> float:
        return self.done / self.relevant if self.relevant else 1.0


@dataclass(frozen=True)
class Timeline:
    phases: tuple[Phase, ...]
    next_actions: tuple[TimelineItem, ...]
    items: dict[str, TimelineItem] = field(default_factory=dict)


def item_key(step_id: str, child: Child | None) -> str:
    """Stable key of a timeline item; statuses are stored under it and survive profile edits."""
    return f"{step_id}:{child.id}" if child else step_id


def reference_date(profile: Profile, today: date) -> date:
    """The date ages and annual deadlines are computed from: today, or a planned arrival."""
    if profile.arrival_date and profile.arrival_date > today:
        return profile.arrival_date
    return today


def applicable_instances(
    catalog: Catalog, profile: Profile, today: date, municipal: MunicipalData | None = None
) -> list[tuple[Step, Child | None, Deadline]]:
    """Every (step, child, deadline) that applies to this household, in catalog order. A step whose
    deadline rule finds no place for the child (kindergarten when school starts) does not apply."""
    municipal = municipal or load_municipal()
    layer = municipal.layer(profile.municipality)
    facts = profile_facts(profile)
    reference = reference_date(profile, today)
    found: list[tuple[Step, Child | None, Deadline]] = []

    def add(step: Step, child: Child | None) -> None:
        deadline = compute_deadline(step.deadline, profile.arrival_date, reference, child, layer, municipal)
        if deadline is not None:
            found.append((step, child, deadline))

    for step in catalog.steps:
        if step.per_child:
            for child in profile.children:
                if evaluate(step.applies, {**facts, **child_facts(child, reference)}):
                    add(step, child)
        elif evaluate(step.applies, facts):
            add(step, None)
    return found


def phase_of(step: Step, due: date | None, arrival: date | None) -> str:
    """The step's phase: its catalog phase, moved earlier when its due date falls in an earlier
    phase (a kindergarten deadline two months after arrival belongs with the first three months)."""
    if due is None or arrival is None or step.phase == "before_arrival":
        return step.phase
    days = (due - arrival).days
    by_due = next((phase for phase, last in PHASE_ENDS if days <= last), "first_year")
    return min(step.phase, by_due, key=PHASES.index)


def prerequisite_keys(step: Step, child: Child | None, catalog: Catalog, profile: Profile) -> list[str]:
    """Keys of the items this one waits for (conditional prerequisites resolved for this profile)."""
    facts = profile_facts(profile)
    steps = catalog.by_id()
    keys = []
    for req in step.requires:
        if evaluate(req.when, facts):
            keys.append(item_key(req.step, child if steps[req.step].per_child else None))
    return keys


def build_timeline(
    catalog: Catalog,
    profile: Profile,
    statuses: dict[str, str],
    today: date,
    municipal: MunicipalData | None = None,
) -> Timeline:
    """Compute the household's timeline. `statuses` maps item keys to done / not_relevant."""
    instances = applicable_instances(catalog, profile, today, municipal)
    keys = {item_key(s.id, c) for s, c, _d in instances}
    order = {s.id: n for n, s in enumerate(catalog.steps)}
    child_order = {c.id: n for n, c in enumerate(profile.children)}
    items: dict[str, TimelineItem] = {}
    for step, child, deadline in instances:
        key = item_key(step.id, child)
        status = statuses.get(key, TODO)
        blocked = tuple(
            k
            for k in prerequisite_keys(step, child, catalog, profile)
            if k in keys and statuses.get(k, TODO) == TODO
        )
        open_ = status == TODO
        due = deadline.due
        items[key] = TimelineItem(
            key=key,
            step=step,
            child=child,
            deadline=deadline,
            status=status,
            blocked_by=blocked,
            overdue=open_ and due is not None and due < today,
            due_soon=open_ and due is not None and today <= due <= today + timedelta(DUE_SOON_DAYS),
            phase=phase_of(step, due, profile.arrival_date),
        )

    def sort_key(item: TimelineItem) -> tuple:
        due = item.due or date.max
        return (due, order[item.step.id], child_order[item.child.id] if item.child else -1)

    phases = tuple(
        Phase(phase, tuple(sorted((i for i in items.values() if i.phase == phase), key=sort_key)))
        for phase in PHASES
    )
    actionable = [i for i in items.values() if i.state == TODO]
    actionable.sort(key=lambda i: (not i.overdue, PHASES.index(i.phase), *sort_key(i)))
    return Timeline(phases, tuple(actionable[:NEXT_ACTIONS]), items)
