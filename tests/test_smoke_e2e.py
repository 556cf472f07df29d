from conftest import mkdocs_build, note, topics


def test_temp_site_builds_strictly(make_site):
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-a-note.md": note()})
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    assert (root / "site/weeks/2025-W37/chips/index.html").is_file()
