"""Allocating submissions to reviewers, one lens at a time. Pure and deterministic.

Rules (one lens): a submission gets at most one reviewer of the lens; never a reviewer who is
in the submitting group; a reviewer gets no more than their capacity; loads are balanced, so
no reviewer with room left could take a submission from someone carrying two or more than
them; submissions nobody can take are returned as uncovered (listed for the educator, never
forced on anyone). The same inputs and seed always give the same allocation.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reviewer:
    id: int
    capacity: int
    #: Groups the reviewer belongs to (they never review those groups' submissions).
    groups: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Sub:
    id: int
    group_id: int


@dataclass
class Allocation:
    #: submission id → reviewer id
    assigned: dict[int, int] = field(default_factory=dict)
    #: submissions no reviewer could take (capacity or eligibility)
    uncovered: list[int] = field(default_factory=list)

    def load(self, reviewer_id: int) -> int:
        return sum(1 for r in self.assigned.values() if r == reviewer_id)


def allocate(submissions: list[Sub], reviewers: list[Reviewer], seed: int = 0,
             existing: dict[int, int] | None = None) -> Allocation:
    """Allocate one lens. ``existing`` (submission → reviewer) is kept as it is (hand swaps,
    earlier runs); only the rest is allocated."""
    rng = random.Random(seed)
    by_id = {r.id: r for r in sorted(reviewers, key=lambda r: r.id)}
    result = Allocation(assigned={s: r for s, r in (existing or {}).items() if r in by_id})
    load = {r: 0 for r in by_id}
    for reviewer_id in result.assigned.values():
        load[reviewer_id] += 1
    order = {r: i for i, r in enumerate(rng.sample(sorted(by_id), len(by_id)))}
    todo = sorted((s for s in submissions if s.id not in result.assigned), key=lambda s: s.id)
    rng.shuffle(todo)
    def eligible(sub):
        return [r for r in by_id.values() if sub.group_id not in r.groups]

    # Hardest first: submissions with the fewest eligible reviewers, so capacity is not spent
    # where others could have helped.
    todo.sort(key=lambda s: len(eligible(s)))
    for sub in todo:
        candidates = [r for r in eligible(sub) if load[r.id] < r.capacity]
        if not candidates:
            result.uncovered.append(sub.id)
            continue
        chosen = min(candidates, key=lambda r: (load[r.id], order[r.id]))
        result.assigned[sub.id] = chosen.id
        load[chosen.id] += 1
    fixed = set(existing or {})
    movable = {s.id: s for s in submissions if s.id not in fixed}
    all_subs = {s.id: s for s in submissions}
    for _round in range(len(submissions) + 1):
        _rebalance(result, movable, by_id, load, order)
        placed = _augment(result, all_subs, movable, by_id, load, order)
        if not placed:
            break
    result.uncovered.sort()
    return result


def _augment(result, all_subs, movable, by_id, load, order) -> bool:
    """Cover what can still be covered by shifting movable submissions along a chain of
    reviewers to one with room (augmenting paths); True if anything was placed."""
    placed = False
    if not any(load[r] < by_id[r].capacity for r in by_id):
        return False  # nobody has room: no chain can end anywhere
    for sub_id in list(result.uncovered):
        path = _find_path(all_subs[sub_id], result, movable, by_id, load, order)
        if path is None:
            continue
        # path: [(submission, reviewer), …]; the last reviewer has room.
        for moving, reviewer in path:
            result.assigned[moving] = reviewer
        load[path[-1][1]] += 1
        result.uncovered.remove(sub_id)
        placed = True
    return placed


def _find_path(start, result, movable, by_id, load, order):
    def eligible(sub):
        return sorted((r for r in by_id.values() if sub.group_id not in r.groups),
                      key=lambda r: (load[r.id], order[r.id]))

    holding: dict[int, list[int]] = {}
    for sub, reviewer in result.assigned.items():
        if sub in movable:
            holding.setdefault(reviewer, []).append(sub)
    queue = deque([(start.id, [])])
    seen_reviewers: set[int] = set()
    while queue:
        sub_id, path = queue.popleft()
        sub = start if sub_id == start.id else movable[sub_id]
        for reviewer in eligible(sub):
            if reviewer.id in seen_reviewers or reviewer.capacity <= 0:
                continue
            seen_reviewers.add(reviewer.id)
            step = [*path, (sub_id, reviewer.id)]
            if load[reviewer.id] < reviewer.capacity:
                return step
            for other in sorted(holding.get(reviewer.id, [])):
                queue.append((other, step))
    return None


def _rebalance(result, subs, by_id, load, order) -> None:
    """Move submissions (not hand-placed ones) from heavy to light reviewers until no move
    narrows the gap."""
    for _round in range(10 * max(1, len(subs))):
        moved = False
        heavy_first = sorted(by_id, key=lambda r: (-load[r], order[r]))
        for heavy in heavy_first:
            for light in sorted(by_id, key=lambda r: (load[r], order[r])):
                if load[heavy] - load[light] < 2 or load[light] >= by_id[light].capacity:
                    continue
                movable = sorted(s for s, r in result.assigned.items() if r == heavy
                                 and s in subs and subs[s].group_id not in by_id[light].groups)
                if movable:
                    result.assigned[movable[0]] = light
                    load[heavy] -= 1
                    load[light] += 1
                    moved = True
                    break
            if moved:
                break
        if not moved:
            return
