"""What is wrong in mkdocs.yml is reported as ``file:line: error|warning: message``, never as a traceback.

`briefing check` and `export` read mkdocs.yml themselves (``generator.settings``);
`mkdocs build --strict` has MkDocs validate it. A plugin option of the wrong
type, an unknown option, a docs dir that is not there, a file that is not YAML,
or a config file named with -f that does not exist: the commands say so, naming
the file actually read and the line, and fail where the strict build fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import mkdocs_build, note, run, topics, write_site

from generator.problems import Severity
from generator.settings import ConfigError, Options, read_config

HEAD = "site_name: Config errors\nsite_url: https://example.org/\ndocs_dir: briefings\ntheme:\n  name: material\n"


def _config(options: str = "", *, head: str = HEAD) -> str:
    """mkdocs.yml with the briefing plugin's options (lines of ``key: value``, indented here); its first option is on line 9."""
    plugin = "  - briefing\n" if not options else "  - briefing:\n" + "".join(f"      {line}\n" for line in options.splitlines())
    return head + "plugins:\n  - search\n" + plugin


OPTION_LINE = 9  # HEAD is 5 lines, then plugins:, - search, - briefing:


def _site(root: Path, config: str, name: str = "mkdocs.yml") -> Path:
    return write_site(
        root,
        {name: config, **topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note("A")},
        defaults=name == "mkdocs.yml",
    )


# --- plugin options of the wrong type -----------------------------------------------------------------

BAD_OPTIONS = [
    ("recent_weeks: lots", "'recent_weeks' expects a whole number of weeks", "found the text 'lots'"),
    ("recent_weeks: 2.5", "'recent_weeks' expects a whole number of weeks", "found the number 2.5"),
    ("templates_dir: 5", "'templates_dir' expects a folder name", "found the number 5"),
    ("email: nope", "'email' expects a mapping of email settings", "found the text 'nope'"),
    (
        "allow_raw_html: 'yes'",
        "'allow_raw_html' expects true or false",
        "found the text 'yes'; write true or false without quotes",
    ),
]


@pytest.mark.parametrize(("option", "expected", "found"), BAD_OPTIONS, ids=[o for o, _, _ in BAD_OPTIONS])
def test_check_reports_a_plugin_option_of_the_wrong_type_at_its_line(
    tmp_path: Path, option: str, expected: str, found: str
) -> None:
    root = _site(tmp_path, _config(f"# a comment line: the line is the option's, not the plugin's\n{option}"))
    result = run(["briefing", "check"], cwd=root)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    problem = f"mkdocs.yml:{OPTION_LINE + 1}: error: {expected}"
    lines = [line for line in result.stdout.splitlines() if line.startswith(problem)]
    assert len(lines) == 1, result.stdout
    assert lines[0].endswith(found), lines[0]
    assert "1 error" in result.stderr
    # MkDocs refuses the same value: check and the strict build agree.
    build = mkdocs_build(root, "--strict")
    assert build.returncode != 0 and option.split(":")[0] in build.stderr


def test_true_is_not_a_number_of_weeks(tmp_path: Path) -> None:
    """Python counts a bool as an int (and so does MkDocs' type check); the core does not."""
    write_site(tmp_path, {"mkdocs.yml": _config("recent_weeks: true"), "briefings/index.md": "# Home\n"}, defaults=False)
    config = read_config(tmp_path / "mkdocs.yml", "mkdocs.yml")
    assert [str(p) for p in config.problems] == [
        f"mkdocs.yml:{OPTION_LINE}: error: 'recent_weeks' expects a whole number of weeks, such as 8; found true"
    ]
    assert config.options == Options()  # the default stands in, so the rest of the site is still checked


def test_every_option_is_type_checked(tmp_path: Path) -> None:
    good = Options(templates_dir="mine", allow_raw_html=True, recent_weeks=3, email={"to": "a@example.org"})
    options, problems = Options.checked(
        {"templates_dir": "mine", "allow_raw_html": True, "recent_weeks": 3, "email": {"to": "a@example.org"}}, "x.yml", {}
    )
    assert (options, problems) == (good, [])
    wrong = {"templates_dir": ["a"], "allow_raw_html": 1, "recent_weeks": "8", "email": ["a@example.org"]}
    options, problems = Options.checked(wrong, "x.yml", {"allow_raw_html": 4, "recent_weeks": 5}, line=3)
    assert options == Options()
    assert [(p.line, p.severity, p.field) for p in problems] == [
        (3, Severity.ERROR, "templates_dir"),
        (4, Severity.ERROR, "allow_raw_html"),
        (5, Severity.ERROR, "recent_weeks"),
        (3, Severity.ERROR, "email"),
    ]
    assert problems[1].message.endswith("found the number 1")
    assert problems[2].message.endswith("found the text '8'; write the number without quotes")
    assert problems[3].message.endswith("found a list")
    # Nothing after the key: the default, as MkDocs has it.
    assert Options.checked({"recent_weeks": None}, "x.yml", {}) == (Options(), [])


def test_options_of_plugins_written_as_a_mapping_are_found_with_their_lines(tmp_path: Path) -> None:
    text = HEAD + "plugins:\n  search: {}\n  briefing:\n    recent_weeks: many\n"
    write_site(tmp_path, {"mkdocs.yml": text, "briefings/index.md": "# Home\n"}, defaults=False)
    (problem,) = read_config(tmp_path / "mkdocs.yml", "mkdocs.yml").problems
    assert (problem.line, problem.field) == (9, "recent_weeks")


def test_plugin_options_that_are_not_a_mapping_are_an_error(tmp_path: Path) -> None:
    text = HEAD + "plugins:\n  - search\n  - briefing: 5\n"
    write_site(tmp_path, {"mkdocs.yml": text, "briefings/index.md": "# Home\n"}, defaults=False)
    (problem,) = read_config(tmp_path / "mkdocs.yml", "mkdocs.yml").problems
    assert str(problem).startswith("mkdocs.yml:8: error: the briefing plugin's options must be a mapping")


@pytest.mark.parametrize(
    ("option", "command", "output", "code", "expected"),
    [
        ("recent_weeks: lots", ["export", "out"], "out", 1, "'recent_weeks' expects a whole number of weeks"),
        ("email: nope", ["email", "2025-W37", "-o", "x.eml"], "x.eml", 2, "'email' expects a mapping"),
    ],
    ids=["export", "email"],
)
def test_a_command_stops_on_a_bad_option_and_writes_nothing(
    tmp_path: Path, option: str, command: list[str], output: str, code: int, expected: str
) -> None:
    root = _site(tmp_path, _config(option))
    result = run(["briefing", *command], cwd=root)
    assert "Traceback" not in result.stderr
    assert result.returncode == code
    assert f"mkdocs.yml:{OPTION_LINE}: error: {expected}" in result.stderr
    assert not (root / output).exists()


# --- unknown options -----------------------------------------------------------------------------------


def test_an_unknown_option_is_a_warning_with_a_suggestion(tmp_path: Path) -> None:
    root = _site(tmp_path, _config("recent_weeks: 4\nrecent_week: 3\nbogus_option: 1"))
    result = run(["briefing", "check"], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr  # warnings do not fail check (SPEC 6) ...
    assert result.stdout.splitlines() == [
        f"mkdocs.yml:{OPTION_LINE + 1}: warning: unknown option 'recent_week' of the briefing plugin; did you mean 'recent_weeks'?",
        f"mkdocs.yml:{OPTION_LINE + 2}: warning: unknown option 'bogus_option' of the briefing plugin; "
        "known options: templates_dir, allow_raw_html, recent_weeks, email",
    ]
    assert "0 errors, 2 warnings" in result.stderr
    build = mkdocs_build(root, "--strict")  # ... and fail the strict build, as MkDocs warns about them too
    assert build.returncode != 0 and "bogus_option" in build.stderr
    json_result = run(["briefing", "check", "--format", "json"], cwd=root)
    assert '"severity": "warning"' in json_result.stdout and '"field": "bogus_option"' in json_result.stdout


def test_export_reports_an_unknown_option_and_goes_on(tmp_path: Path) -> None:
    root = _site(tmp_path, _config("bogus_option: 1"))
    result = run(["briefing", "export", "out"], cwd=root)
    assert result.returncode == 0, result.stderr
    assert f"mkdocs.yml:{OPTION_LINE}: warning: unknown option 'bogus_option'" in result.stderr
    assert (root / "out" / "mkdocs.yml").is_file()


# --- the docs dir ---------------------------------------------------------------------------------------


def test_a_docs_dir_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    root = _site(tmp_path, _config(head=HEAD.replace("docs_dir: briefings", "docs_dir: nope")))
    result = run(["briefing", "check"], cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == (
        "mkdocs.yml:3: error: 'docs_dir' expects an existing folder (relative to mkdocs.yml); 'nope' does not exist"
    )
    assert mkdocs_build(root, "--strict").returncode != 0
    export = run(["briefing", "export", "out"], cwd=root)
    assert export.returncode == 1 and "'docs_dir' expects an existing folder" in export.stderr
    assert not (root / "out").exists()


def test_no_docs_dir_and_no_docs_folder_is_an_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"mkdocs.yml": "site_name: X\n"}, defaults=False)
    (problem,) = read_config(tmp_path / "mkdocs.yml", "mkdocs.yml").problems
    assert (problem.line, problem.severity, problem.field) == (1, Severity.ERROR, "docs_dir")


def test_without_mkdocs_yml_the_defaults_stand(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    result = run(["briefing", "check"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert read_config(tmp_path / "mkdocs.yml").problems == ()


# --- the config file named with -f ------------------------------------------------------------------------


def test_a_missing_config_file_named_with_f_is_a_usage_error(tmp_path: Path) -> None:
    _site(tmp_path, _config())
    for command in (["check"], ["export", "out"]):
        result = run(["briefing", "-f", "nope.yml", *command], cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "Error: Invalid value for '-f' / '--config-file': 'nope.yml': No such file or directory" in result.stderr
    assert not (tmp_path / "out").exists()


def test_problems_name_the_config_file_actually_read(tmp_path: Path) -> None:
    no_url = HEAD.replace("site_url: https://example.org/\n", "")
    root = _site(tmp_path, _config("bogus_option: 1", head=no_url), name="other.yml")
    result = run(["briefing", "-f", "other.yml", "check"], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"other.yml:{OPTION_LINE - 1}: warning: unknown option 'bogus_option' of the briefing plugin; "
        "known options: templates_dir, allow_raw_html, recent_weeks, email",
        "other.yml:1: warning: no site_url, so no feeds: they need absolute links (https://owner.github.io/repo/)",
    ]
    assert "mkdocs.yml" not in result.stdout
    export = run(["briefing", "-f", "other.yml", "export", "out"], cwd=root)
    assert export.returncode == 0, export.stderr
    assert "other.yml:1: warning: no site_url" in export.stderr
    assert "mkdocs.yml:" not in export.stderr


# --- mkdocs.yml that cannot be read ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "site_name: x\ndocs_dir: briefings\n  bad: [\n",
            "mkdocs.yml:3: error: not valid YAML: mapping values are not allowed here",
        ),
        ("site_name: x\nplugins: [search\n", "mkdocs.yml:3: error: not valid YAML: "),
        (b"site_name: x\nsite_description: caf\xe9\n", "mkdocs.yml:2: error: not UTF-8: undecodable byte 0xe9"),
        ("- a list\n- of things\n", "mkdocs.yml:1: error: expected a mapping of settings (key: value lines), found a list"),
    ],
)
def test_an_unreadable_mkdocs_yml_is_one_line_with_its_line(tmp_path: Path, text: str | bytes, expected: str) -> None:
    write_site(tmp_path, {"mkdocs.yml": text, "briefings/index.md": "# Home\n"}, defaults=False)
    with pytest.raises(ConfigError) as caught:
        read_config(tmp_path / "mkdocs.yml", "mkdocs.yml")
    assert str(caught.value.problem).startswith(expected)
    for command in (["check"], ["export", "out"]):
        result = run(["briefing", *command], cwd=tmp_path)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(expected), result.stderr
        assert result.stderr.count("\n") == 1, result.stderr  # one line, not PyYAML's multi-line dump


@pytest.mark.parametrize("option", ["recent_weeks: true", "recent_weeks: -3"])
def test_what_mkdocs_lets_through_fails_the_strict_build_as_it_fails_check(tmp_path: Path, option: str) -> None:
    """MkDocs' type check takes true (and -3) for a number of weeks; the plugin runs the core's check too."""
    root = _site(tmp_path, _config(option))
    assert run(["briefing", "check"], cwd=root).returncode == 1
    build = mkdocs_build(root, "--strict")
    assert build.returncode != 0 and "'recent_weeks' expects a whole number of weeks" in build.stderr, build.stderr[-1500:]


@pytest.mark.parametrize("command", ["new", "check", "export", "email", "schema"])
def test_every_commands_help_works_whatever_state_the_config_is_in(tmp_path: Path, command: str) -> None:
    root = _site(tmp_path, _config("recent_weeks: lots\nno_such_option: 1"))
    for asked in (["--help"], ["-h"]):
        result = run(["briefing", command, *asked], cwd=root)
        assert result.returncode == 0 and result.stdout.startswith(f"Usage: briefing {command}"), result.stderr
