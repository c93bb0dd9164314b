"""The pytest-xdist scheduler of ``pytest --bench``: which test runs on which device, and when.

xdist's own schedulers hand tests out in chunks and never move a test once sent. A bench needs three
more things, all kept here so xdist stays the engine (docs/architecture.md, "Scale"):

- routing: in ``spread`` mode a test marked ``firetv(model=...)`` goes to a device that matches (a test
  no device matches goes anywhere, to be skipped there with the reason); in ``each`` mode every test is
  queued once per device;
- order: with durations from an earlier run (``--bench-durations``), the longest tests go first;
- retries: the controller puts a test back in the queue (:meth:`requeue`) after an infrastructure
  failure, to run on another device when one is usable;
- lost devices: a worker whose device is gone hands back what it was sent, and gets nothing more.

Each worker holds one real test at a time, so a free device takes the next test the moment it is
free (a test sent ahead to a busy worker would wait there while another device idles). But an xdist
worker only runs a test once it knows the next one (pytest tears fixtures down according to it), so
each real test is followed by a *drain* item: a no-op item that bench workers add to their collection,
one per test module or class, as that collector's last child. Sending the drain of the running test's
own module (or class) as its "next" keeps the module's and class's fixtures up, exactly as a next test
from the same module would; they are torn down when the next real test comes from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

DRAIN_NAME = "firebridge-bench-drain"
PREFETCH = 1  # real tests a worker holds at a time (its lookahead is a drain item)


@dataclass
class Work:
    """One run of one test: which item, on which device (``each`` mode), which attempt."""

    index: int
    nodeid: str
    device: str | None = None  # each mode: the device it belongs to; spread mode: any
    attempt: int = 1
    exclude: frozenset[str] = field(default_factory=frozenset)  # devices it must avoid (retries)


class Plan(Protocol):
    """What the scheduler asks the bench controller (firebridge.lab.plugin.BenchController)."""

    mode: str

    def device_of(self, node: Any) -> str | None: ...

    def usable_devices(self) -> list[str]: ...

    def marker_ok(self, nodeid: str, device: str) -> bool: ...

    def sent(self, work: Work, node: Any) -> None: ...

    def not_run(self, work: Work, reason: str) -> None: ...

    def on_scheduled(self, collection: list[str], total: int) -> None: ...

    def expected_duration(self, nodeid: str) -> float: ...


class BenchScheduling:
    """Implements xdist's Scheduling protocol (xdist/scheduler/protocol.py)."""

    def __init__(self, numnodes: int, plan: Plan, log: Any = None) -> None:
        self.numnodes = numnodes
        self.plan = plan
        self.log = log
        self.node2collection: dict[Any, list[str]] = {}
        self.node2pending: dict[Any, list[int]] = {}
        self.collection: list[str] | None = None
        self.drains: dict[str, int] = {}  # parent collector node id -> its drain item's index
        self.drain_set: set[int] = set()
        self.queue: list[Work] = []
        self.scheduled = False

    # -- xdist's protocol -------------------------------------------------------------------------
    @property
    def nodes(self) -> list[Any]:
        return list(self.node2pending)

    @property
    def collection_is_completed(self) -> bool:
        return len(self.node2collection) >= self.numnodes

    @property
    def tests_finished(self) -> bool:
        if not self.collection_is_completed or not self.scheduled or self.queue:
            return False
        return not any(self._real(pending) for pending in self.node2pending.values())

    @property
    def has_pending(self) -> bool:
        return bool(self.queue) or any(self._real(pending) for pending in self.node2pending.values())

    def add_node(self, node: Any) -> None:
        self.node2pending[node] = []

    def add_node_collection(self, node: Any, collection: Sequence[str]) -> None:
        collection = list(collection)
        if self.collection is not None and collection != self.collection:
            raise RuntimeError(f"worker {getattr(node.gateway, 'id', node)} collected other tests than the first "
                               f"worker; bench workers must collect the same tests (check for randomised ids)")
        self.node2collection[node] = collection

    def mark_test_complete(self, node: Any, item_index: int, duration: float = 0) -> None:
        pending = self.node2pending.get(node)
        if pending is not None and item_index in pending:
            pending.remove(item_index)
        self.fill()

    def mark_test_pending(self, item: str) -> None:
        """xdist's crash-rerun hook: queue the test again (another device preferred)."""
        assert self.collection is not None
        self.requeue(Work(self.collection.index(item), item))

    def remove_pending_tests_from_node(self, node: Any, indices: Sequence[int]) -> None:
        raise NotImplementedError("the bench scheduler never steals tests")

    def remove_node(self, node: Any) -> str | None:
        """A worker went away (crash or end): requeue what it held except the test it crashed in,
        which xdist reports (and the controller retries as an infrastructure failure)."""
        pending = self._real(self.node2pending.pop(node, []))
        if not pending or self.collection is None:
            self.fill()
            return None
        device = self.plan.device_of(node)
        for index in pending[1:]:
            self.requeue(Work(index, self.collection[index], device if self.plan.mode == "each" else None))
        self.fill()
        return self.collection[pending[0]]

    def schedule(self) -> None:
        if not self.scheduled:
            self.collection = next(iter(self.node2collection.values()))
            suffix = "::" + DRAIN_NAME
            self.drains = {nodeid[:-len(suffix)]: i for i, nodeid in enumerate(self.collection)
                           if nodeid.endswith(suffix)}
            self.drain_set = set(self.drains.values())
            tests = [i for i in range(len(self.collection)) if i not in self.drain_set]
            if self.plan.mode == "each":
                devices = self.plan.usable_devices()
                self.queue = [Work(i, self.collection[i], device) for device in devices for i in tests]
            else:
                self.queue = [Work(i, self.collection[i]) for i in tests]
            # Longest first when durations are known (an earlier run's): long tests do not end up last,
            # on one device, while the others sit idle. Equal (unknown) durations keep collection order.
            self.queue.sort(key=lambda work: -self.plan.expected_duration(work.nodeid))
            self.scheduled = True
            self.plan.on_scheduled(self.collection, len(self.queue))
        self.fill()

    # -- the bench's additions --------------------------------------------------------------------
    def requeue(self, work: Work) -> None:
        """Run ``work`` again (a retry or a handed-back test); it goes before untried tests."""
        self.queue.insert(0, work)
        self.fill()

    def fill(self) -> None:
        """Give every worker work up to PREFETCH, keep each able to finish its last test (drain), and
        give up on tests no usable device can ever run."""
        if not self.scheduled:
            return
        for node in list(self.node2pending):
            self._fill(node)
        self._drop_unrunnable()

    def _real(self, pending: list[int]) -> list[int]:
        return [i for i in pending if i not in self.drain_set]

    def drain_for(self, index: int) -> int | None:
        """The drain item that keeps test ``index``'s module and class set up (any drain as a fallback)."""
        assert self.collection is not None
        parent = self.collection[index].rsplit("::", 1)[0]
        return self.drains.get(parent, next(iter(self.drains.values()), None))

    def _fill(self, node: Any) -> None:
        pending = self.node2pending[node]
        device = self.plan.device_of(node)
        usable = device is not None and device in self.plan.usable_devices()
        while usable and len(self._real(pending)) < PREFETCH:
            work = self._take(device)
            if work is None:
                break
            pending.append(work.index)
            self.plan.sent(work, node)
            node.send_runtest_some([work.index])
        if pending and pending[-1] not in self.drain_set:
            drain = self.drain_for(pending[-1])
            if drain is not None:
                pending.append(drain)
                node.send_runtest_some([drain])

    def _take(self, device: str) -> Work | None:
        for position, work in enumerate(self.queue):
            if self._eligible(work, device):
                return self.queue.pop(position)
        return None

    def _eligible(self, work: Work, device: str) -> bool:
        if self.plan.mode == "each":
            return work.device == device
        usable = self.plan.usable_devices()
        matching = [d for d in usable if self.plan.marker_ok(work.nodeid, d)] or usable
        preferred = [d for d in matching if d not in work.exclude] or matching
        return device in preferred

    def _drop_unrunnable(self) -> None:
        usable = set(self.plan.usable_devices())
        for work in list(self.queue):
            if self.plan.mode == "each" and work.device not in usable:
                self.queue.remove(work)
                self.plan.not_run(work, f"{work.device} is lost")
            elif self.plan.mode != "each" and not usable:
                self.queue.remove(work)
                self.plan.not_run(work, "no usable device left on the bench")
