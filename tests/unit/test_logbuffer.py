"""The log tail's captured text (firebridge.device.logbuffer): window, file, incremental search."""

from __future__ import annotations

import re

import pytest

from firebridge.device.logbuffer import LogBuffer, may_span_lines


def line(n: int, text: str = "filler") -> str:
    return f"12-03 04:00:00.000  1234  1250 I Tag: {text} {n:08d} lorem ipsum dolor sit amet\n"


@pytest.fixture
def buffer(tmp_path):
    buf = LogBuffer(tmp_path / "device.log", window_chars=8192, max_match=1024)
    yield buf
    buf.close()


def search_all(buf: LogBuffer, regex: re.Pattern[str], since: int, pieces: list[str]):
    """Feed pieces one by one, searching after each as a waiting expect does; the first match or None."""
    resume = since
    for piece in pieces:
        buf.append(piece)
        match, resume = buf.search(regex, since, resume)
        if match is not None:
            return match
    return None


@pytest.mark.parametrize("cut", [1, 2, 5, 7, 13, 40])
def test_a_match_split_across_pieces_is_found(buffer, cut):
    text = "".join(line(n) for n in range(50)) + line(50, "the MARKER here") + "".join(line(n) for n in range(51, 60))
    pieces = [text[i:i + cut] for i in range(0, len(text), cut)]
    match = search_all(buffer, re.compile(r"MARKER (here) (\d+)"), 0, pieces)
    assert match is not None and match.group(1) == "here" and match.group(2) == "00000050"
    assert text[match.start():match.end()] == match.group(0)


def test_a_multiline_match_within_max_match_is_found_when_it_arrives_in_pieces(buffer):
    pieces = [line(1, "BEGIN"), *(line(n) for n in range(5)), line(9, "END")]  # ~600 chars apart
    match = search_all(buffer, re.compile(r"BEGIN.*?END", re.S), 0, pieces)
    assert match is not None and match.group().startswith("BEGIN") and match.group().endswith("END")


def test_only_complete_lines_are_searched(buffer):
    regex = re.compile(r"^.*Tag: (\w+)$", re.M)
    buffer.append("12-03 04:00:00.000  1234  1250 I Tag: hal")
    assert buffer.search(regex, 0, 0)[0] is None  # "$" must not match the end of half a line
    buffer.append("f done\n")
    match, _ = buffer.search(regex, 0, 0)
    assert match is None  # the whole line is "half done": \w+$ cannot match "half done"
    buffer.append("12-03 04:00:00.000  1234  1250 I Tag: whole\n")
    assert buffer.search(regex, 0, 0)[0].group(1) == "whole"
    assert buffer.search(re.compile("hal"), 0, 0, final=True)[0] is not None


def test_positions_count_from_since_or_from_the_origin(buffer):
    for n in range(10):
        buffer.append(line(n))
    since = len(line(0)) * 4
    match, _ = buffer.search(re.compile(r"filler 00000007"), since, since)
    assert buffer.read(since + match.start(), since + match.end()) == "filler 00000007"
    absolute, _ = buffer.search(re.compile(r"filler 00000007"), since, since, origin=0)
    assert absolute.span() == (since + match.start(), since + match.end())
    assert match[0] == match.group() == "filler 00000007"


def test_memory_stays_bounded_after_megabytes_of_log(tmp_path):
    buf = LogBuffer(tmp_path / "device.log", window_chars=64 * 1024, max_match=4096)
    total, n, peak = 0, 0, 0
    while total < 8 * 1024 * 1024:  # 8 MiB, in pieces of 1 to ~40 lines as reads would deliver them
        piece = "".join(line(n + i) for i in range(1 + n % 40))
        n += 1 + n % 40
        buf.append(piece)
        total += len(piece)
        peak = max(peak, buf.buffered_chars)
    assert buf.size == total
    assert peak <= 64 * 1024 + 2 * 4096, f"window grew to {peak} chars"
    assert buf.window_start > 7 * 1024 * 1024  # the rest is only on disk
    buf.append("x" * 300_000 + "\n")  # one read larger than the window
    assert buf.buffered_chars <= 64 * 1024 + 2 * 4096
    assert buf.read(buf.size - 300_001) == "x" * 300_000 + "\n"
    buf.close()


def test_text_since_reads_what_left_memory_back_from_the_file(tmp_path):
    path = tmp_path / "device.log"
    path.write_text("an earlier run's text\n")  # offsets count from this capture, not from the file's start
    buf = LogBuffer(path, window_chars=4096, max_match=1024)
    text = "".join(line(n, "héllo wörld ✓") for n in range(3000))  # non-ASCII: chars != bytes
    for i in range(0, len(text), 997):
        buf.append(text[i:i + 997])
    assert buf.window_start > 0
    for since in (0, 1, 70_000, len(text) - 5000, len(text) - 10, buf.window_start - 3):
        assert buf.read(since) == text[since:]
    assert buf.read(12_345, 170_000) == text[12_345:170_000]
    assert path.read_text(encoding="utf-8") == "an earlier run's text\n" + text
    assert list(buf.lines_from(0, buf.size)) == text[:-1].split("\n")
    assert buf.last_lines(3) == text[:-1].split("\n")[-3:]
    buf.close()
    assert buf.read(100, 200) == text[100:200]  # still readable after the stream ended


def test_a_late_search_from_an_old_offset_scans_the_file(tmp_path):
    buf = LogBuffer(tmp_path / "device.log", window_chars=4096, max_match=1024)
    buf.append(line(0, "EARLY"))
    for n in range(1, 30_000):
        buf.append(line(n))
    match, _ = buf.search(re.compile(r"EARLY (\d+)"), 0, 0)
    assert match is not None and match.start() > 0 and match.group(1) == "00000000"
    match, _ = buf.search(re.compile(r"filler 00029999"), 0, 0)
    assert match is not None
    assert buf.read(match.start(), match.end()) == "filler 00029999"
    buf.close()


@pytest.mark.parametrize("pattern, flags, spans", [
    (r"MARK (\d+) (\d+)", 0, False), (r"^.* W Tag: (\w+)$", re.M, False), (r"a.*b", 0, False),
    (r"a.*b", re.S, True), (r"(?s)a.b", 0, True), (r"a\nb", 0, True), ("a\nb", 0, True), (r"a\sb", 0, True),
    (r"a[^x]b", 0, True), (r"[\x00-\x7f]+", 0, True), (r"a\Wb", 0, True), (r"\x0a", 0, True),
])
def test_which_patterns_may_match_across_a_line_end(pattern, flags, spans):
    assert may_span_lines(re.compile(pattern, flags)) is spans


def test_a_single_line_pattern_is_not_searched_again(tmp_path):
    """Only a pattern that may cross a line end re-searches the last max_match characters."""
    buf = LogBuffer(tmp_path / "device.log", window_chars=8192, max_match=1024)
    for n in range(40):
        buf.append(line(n))
    _, resume = buf.search(re.compile(r"never (\d+)"), 0, 0)
    assert resume == buf.complete
    _, resume = buf.search(re.compile(r"never\s(\d+)"), 0, 0)
    assert buf.complete - 1024 <= resume < buf.complete - 1024 + len(line(0))  # a line start
    assert buf.read(resume - 1, resume) == "\n"
    buf.close()
