"""Build content: COMPONENT lines rendered and read back, continuation lines, comparison."""

from __future__ import annotations

from alicloud_imagebuilder_provider.models.content import commands, normalize_text, render, split


def test_components_render_before_content_and_split_back():
    rendered = render("RUN echo hi", [("ic-a", {}), ("ic-b", {"version": "1.2 beta", "x": "y"})])
    assert rendered == "COMPONENT ic-a\nCOMPONENT ic-b --version '1.2 beta' --x y\nRUN echo hi"
    components, rest = split(rendered)
    assert components == [{"component_id": "ic-a", "parameters": {}},
                          {"component_id": "ic-b", "parameters": {"version": "1.2 beta", "x": "y"}}]
    assert rest == "RUN echo hi"


def test_nothing_to_render_is_no_content():
    assert render(None, []) is None and split(None) == ([], None)


def test_continued_lines_make_one_command_and_comments_none():
    text = "# setup\nRUN yum install -y \\\n    nginx\n\nENV A 1\n"
    assert commands(text) == [(2, "RUN", "yum install -y      nginx"), (5, "ENV", "A 1")]


def test_content_compares_without_trailing_blanks_or_newline_style():
    assert normalize_text("RUN a  \r\nRUN b\n\n") == normalize_text("RUN a\nRUN b")
    assert normalize_text("RUN a") != normalize_text("RUN  a")
