"""The bench scheduler's decisions (pure: fake xdist nodes and a fake bench plan)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from firebridge.lab.sched import DRAIN_NAME, BenchScheduling, Work


@dataclass
class FakeGateway:
    id: str


@dataclass(eq=False)
class FakeNode:
    """An xdist WorkerController as the scheduler sees it: an id and a send method."""

    gateway: FakeGateway
    sent: list[int] = field(default_factory=list)

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent.extend(indices)


@dataclass
class FakePlan:
    mode: str
    node_device: dict[str, str]
    markers: dict[str, str] = field(default_factory=dict)  # nodeid -> the device name it needs
    lost: set[str] = field(default_factory=set)
    not_run_calls: list[tuple[str, str | None, str]] = field(default_factory=list)
    total: int = 0
    durations: dict[str, float] = field(default_factory=dict)

    def device_of(self, node):
        return self.node_device.get(node.gateway.id)

    def usable_devices(self):
        return [d for d in self.node_device.values() if d not in self.lost]

    def marker_ok(self, nodeid, device):
        return self.markers.get(nodeid, device) == device

    def sent(self, work, node):
        pass

    def not_run(self, work, reason):
        self.not_run_calls.append((work.nodeid, work.device, reason))

    def on_scheduled(self, collection, total):
        self.total = total

    def expected_duration(self, nodeid):
        return self.durations.get(nodeid, 0.0)


# Two modules of three tests; bench workers add one drain item per module, after the tests.
TESTS = [f"test_x.py::test_{i}" for i in range(3)] + [f"test_y.py::test_{i}" for i in range(3, 6)] + [
    f"test_x.py::{DRAIN_NAME}", f"test_y.py::{DRAIN_NAME}"]
DRAIN_X, DRAIN_Y = 6, 7


def setup(mode: str = "spread", devices: int = 2, markers: dict[str, str] | None = None,
          durations: dict[str, float] | None = None):
    names = {f"gw{i}": f"tv-{i + 1}" for i in range(devices)}
    plan = FakePlan(mode, names, markers or {}, durations=durations or {})
    sched = BenchScheduling(devices, plan)
    nodes = [FakeNode(FakeGateway(gw)) for gw in names]
    for node in nodes:
        sched.add_node(node)
    for node in nodes:
        sched.add_node_collection(node, TESTS)
    assert sched.collection_is_completed
    sched.schedule()
    return sched, plan, nodes


def real(indices: list[int]) -> list[int]:
    return [i for i in indices if i not in (DRAIN_X, DRAIN_Y)]


def run_all(sched: BenchScheduling, nodes: list[FakeNode], limit: int = 200) -> dict[str, list[int]]:
    """Complete tests the way xdist workers do (a test runs once the next is known) until done."""
    ran: dict[str, list[int]] = {n.gateway.id: [] for n in nodes}
    for _ in range(limit):
        if sched.tests_finished:
            return ran
        for node in nodes:
            pending = sched.node2pending[node]
            if len(pending) >= 2:
                ran[node.gateway.id] += real(pending[:1])
                sched.mark_test_complete(node, pending[0])
    raise AssertionError("the scheduler never finished")


def test_spread_runs_every_test_once_over_both_devices():
    sched, plan, nodes = setup()
    assert plan.total == 6
    assert [n.sent for n in nodes] == [[0, DRAIN_X], [1, DRAIN_X]]  # one test each, then its module's drain
    ran = run_all(sched, nodes)
    assert sorted(ran["gw0"] + ran["gw1"]) == list(range(6))
    assert ran["gw0"] and ran["gw1"]


def test_the_drain_that_follows_a_test_is_its_own_modules():
    sched, plan, nodes = setup(devices=1)
    run_all(sched, nodes)
    sent = nodes[0].sent
    for position, index in enumerate(sent):
        if index in range(6):
            assert sent[position + 1] == (DRAIN_X if index < 3 else DRAIN_Y)
    assert sched.node2pending[nodes[0]] in ([], [DRAIN_Y])


def test_known_durations_start_the_longest_tests_first():
    sched, plan, nodes = setup(durations={TESTS[4]: 30.0, TESTS[5]: 20.0, TESTS[0]: 1.0})
    assert real(nodes[0].sent) == [4] and real(nodes[1].sent) == [5]  # the long ones, on different devices
    assert [w.index for w in sched.queue] == [0, 1, 2, 3]  # then the rest in collection order


def test_marked_tests_go_to_the_matching_device_only():
    sched, plan, nodes = setup(markers={TESTS[0]: "tv-2", TESTS[1]: "tv-2", TESTS[2]: "tv-2"})
    ran = run_all(sched, nodes)
    assert {0, 1, 2} <= set(ran["gw1"])
    assert not {0, 1, 2} & set(ran["gw0"])


def test_a_test_no_device_matches_still_runs_somewhere_to_be_skipped_there():
    sched, plan, nodes = setup(markers={TESTS[3]: "tv-9"})
    ran = run_all(sched, nodes)
    assert 3 in ran["gw0"] + ran["gw1"]


def test_a_retry_prefers_another_device():
    sched, plan, nodes = setup()
    run_all(sched, nodes)
    sched.requeue(Work(0, TESTS[0], None, 2, frozenset({"tv-1"})))
    assert run_all(sched, nodes) == {"gw0": [], "gw1": [0]}


def test_a_retry_runs_on_the_same_device_when_it_is_the_only_one():
    sched, plan, nodes = setup(devices=1)
    run_all(sched, nodes)
    sched.requeue(Work(4, TESTS[4], None, 2, frozenset({"tv-1"})))
    assert not sched.tests_finished
    assert run_all(sched, nodes) == {"gw0": [4]}


def test_a_lost_device_gets_no_more_work_and_the_rest_still_runs():
    sched, plan, nodes = setup()
    held = real(sched.node2pending[nodes[0]])
    plan.lost.add("tv-1")
    for index in held:  # what the lost worker held comes back (handed back) and runs on tv-2
        sched.requeue(Work(index, TESTS[index], None, 1, frozenset({"tv-1"})))
    sent_before = len(nodes[0].sent)
    ran = run_all(sched, nodes)
    assert real(nodes[0].sent[sent_before:]) == []
    assert set(range(6)) <= set(ran["gw1"])


def test_nothing_is_dropped_silently_when_no_device_is_left():
    sched, plan, nodes = setup()
    plan.lost.update({"tv-1", "tv-2"})
    sched.requeue(Work(5, TESTS[5]))
    assert sched.queue == []
    assert TESTS[5] in {call[0] for call in plan.not_run_calls}
    assert all("no usable device" in call[2] for call in plan.not_run_calls)


def test_each_mode_queues_every_test_for_every_device():
    sched, plan, nodes = setup(mode="each")
    assert plan.total == 12
    ran = run_all(sched, nodes)
    assert sorted(ran["gw0"]) == list(range(6))
    assert sorted(ran["gw1"]) == list(range(6))


def test_each_mode_tests_of_a_lost_device_are_reported_not_run():
    sched, plan, nodes = setup(mode="each")
    plan.lost.add("tv-2")
    sched.fill()
    assert {c[1] for c in plan.not_run_calls} == {"tv-2"}
    assert len(plan.not_run_calls) == 5  # the one it holds comes back as a hand-back


def test_a_crashed_worker_gives_back_what_it_held():
    sched, plan, nodes = setup()
    held = real(sched.node2pending[nodes[0]])
    assert sched.remove_node(nodes[0]) == TESTS[held[0]]  # xdist reports this one; the controller retries it
    assert nodes[0] not in sched.nodes


def test_collections_must_agree():
    plan = FakePlan("spread", {"gw0": "tv-1", "gw1": "tv-2"})
    sched = BenchScheduling(2, plan)
    a, b = FakeNode(FakeGateway("gw0")), FakeNode(FakeGateway("gw1"))
    sched.add_node(a)
    sched.add_node(b)
    sched.add_node_collection(a, TESTS)
    sched.add_node_collection(b, TESTS)
    sched.schedule()
    with pytest.raises(RuntimeError, match="collected other tests"):
        sched.add_node_collection(FakeNode(FakeGateway("gw2")), TESTS[:-2])
