"""The polling watcher: what counts as a change, and one report per burst of saves."""
import os
import threading
import time

from casebook.preview.watch import Watcher, changed_paths, is_editor_litter, same_state, take_snapshot


def test_a_same_size_save_within_one_clock_tick_is_a_change(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("title: one\n")
    before = take_snapshot([path])
    stat = path.stat()
    path.write_text("title: two\n")  # same size; then the same mtime, as within one tick
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert changed_paths(before, take_snapshot([path])) == {path}


def test_a_file_that_stops_being_recent_is_unchanged():
    assert same_state((1, 2, 3, "hash"), (1, 2, 3, ""))
    assert not same_state((1, 2, 3, "hash"), (1, 2, 3, "other"))
    assert not same_state((1, 2, 3, ""), (1, 9, 3, ""))
    assert not same_state((1, 2, 3, ""), None)


def test_added_and_removed_files_are_changes(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text("a")
    before = take_snapshot([old, new])
    old.unlink()
    new.write_text("b")
    assert changed_paths(before, take_snapshot([old, new])) == {old, new}


def test_editor_litter():
    assert all(map(is_editor_litter, [".case.yaml.swp", "case.yaml~", "4913.tmp", ".#case.yaml"]))
    assert not is_editor_litter("case.yaml")


def test_a_burst_of_saves_is_reported_once_it_settles(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("title: 0\n")
    watcher = Watcher(lambda: [path], interval=0.02, settle=0.15)

    def saves():
        for number in range(1, 6):
            path.write_text(f"title: {number}\n")
            time.sleep(0.05)  # less than `settle` apart: one burst

    writer = threading.Thread(target=saves)
    writer.start()
    assert watcher.wait_for_changes() == {path}
    writer.join()
    assert path.read_text() == "title: 5\n"
    assert not changed_paths(watcher.last, watcher.snapshot())  # the last save was included
