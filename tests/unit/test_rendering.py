"""Course Markdown renders to safe HTML whatever the file contains."""

import re

import pytest

from webapp.rendering import render_markdown


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](file:///etc/passwd)",
    '<a href="https://x.org" onclick="alert(1)">x</a>',
    "<iframe src=https://x.org></iframe>",
    '<style>body{display:none}</style>',
])
def test_hostile_markdown_renders_as_harmless_text(hostile):
    html = str(render_markdown(hostile))
    tags = re.findall(r"<[a-z][^>]*>", html)
    assert all(re.match(r"<(p|a href=\"https://[^\"]*\" rel=\"noopener noreferrer\")>$", t)
               for t in tags), tags


def test_ordinary_markdown_keeps_its_structure():
    html = str(render_markdown("# Title\n\n**bold** and *soft*\n\n- one\n- two\n\n"
                               "[site](https://example.org)", {}))
    assert "<h2>Title</h2>" in html  # below the page's own h1
    assert "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in html


def test_citations_link_to_the_reference_list():
    html = str(render_markdown("As shown [@a; @b].", {"a": "Ann 2020", "b": "Bo 2021"}))
    assert '<a href="#ref-a" rel="noopener noreferrer">(Ann 2020; Bo 2021)</a>' in html
