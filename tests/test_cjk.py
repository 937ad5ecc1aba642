"""The rule that keeps line breaks inside Chinese sentences from showing as spaces."""

import pytest

from site_tools.cjk import join_lines


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("神经\n元", "神经元"),
        ("阈值，\n    就是", "阈值，就是"),  # the next line's indentation goes too
        ("它说“\n是”", "它说“是”"),  # curly quotes next to Chinese characters
        ("叫作\n“阈值”", "叫作“阈值”"),
        ("“阈值”\n就是", "“阈值”就是"),
        ("最大\n<strong>间隔</strong>", "最大<strong>间隔</strong>"),  # tags in between
        ("间隔</strong>\n分类器", "间隔</strong>分类器"),
        ("收敛到**最大间隔**\n分类器", "收敛到**最大间隔**分类器"),  # Markdown bold
        ("收敛到\n**最大间隔**", "收敛到**最大间隔**"),
        ("一\n二\n三", "一二三"),
        ("（见第 1 章。）\n下一", "（见第 1 章。）下一"),
    ],
)
def test_breaks_between_chinese_characters_are_removed(text, joined):
    assert join_lines(text) == joined


@pytest.mark.parametrize(
    "text",
    [
        "two\nlines",  # English
        "the “yes”\n“no” answer",  # curly quotes between English words
        "中文\n\n段落",  # a blank line: a new paragraph
        "条目；\n- 条目",  # a list item
        "条目；\n1. 条目",
        "公式\n\\(x\\)",  # a formula, a number, a Latin word: a space is right there
        "第\n1 章",
        "调用\nPyTorch",
        "## 标题\n",
        "中文\n> 引文",  # a block quote starts
        "条目；\n* 条目",
        "<p>English</p>\n<p>中文</p>",
    ],
)
def test_other_breaks_stay(text):
    assert join_lines(text) == text


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        # after full-width punctuation: a formula, inline code, a Latin word, a number
        ("就够了：\n\\(\\min(a, b)\\)", "就够了：\\(\\min(a, b)\\)"),
        ("算出了异或。\n`parity_data` 给出", "算出了异或。`parity_data` 给出"),
        ("在另一侧。\nMinsky 和 Papert", "在另一侧。Minsky 和 Papert"),
        ("运行中，\n51 次", "运行中，51 次"),
        ("阈值是 −20，\n−1 不是", "阈值是 −20，−1 不是"),  # a minus sign
        ("比值是：\n0.77", "比值是：0.77"),  # a decimal point is not a list's number
        ("就够了：\n    \\(a\\)", "就够了：\\(a\\)"),  # indented, in an admonition
        ("最后。**\nMinsky", "最后。**Minsky"),  # emphasis on either side
        ("注意：\n**粗体**", "注意：**粗体**"),
        ("注意：\n*强调*", "注意：*强调*"),
        ('就够了：\n<span class="katex">x</span>', '就够了：<span class="katex">x</span>'),
        ("见第 1 章。</strong>\n<code>x</code>", "见第 1 章。</strong><code>x</code>"),
        # before full-width punctuation: a bracket after a number, a link, a tag, code
        ("小于 0.01\n（43 次中有 43 次）", "小于 0.01（43 次中有 43 次）"),
        ("[Basic Functions](https://x)\n（Towards", "[Basic Functions](https://x)（Towards"),
        ("Basic Functions</em></a>\n（Towards", "Basic Functions</em></a>（Towards"),
        ("函数 `f`\n（见下）", "函数 `f`（见下）"),
        ("\\(x\\)\n，以及", "\\(x\\)，以及"),
        ("PyTorch\n    （默认）", "PyTorch（默认）"),
    ],
)
def test_breaks_next_to_full_width_punctuation_are_removed(text, joined):
    assert join_lines(text) == joined


@pytest.mark.parametrize(
    "text",
    [
        # full-width punctuation, then a new block
        "条目；\n- 条目",
        "条目；\n    - 条目",  # in an admonition
        "条目；\n+ 条目",
        "条目；\n* 条目",
        "条目；\n12. 条目",
        "条目；\n3) 条目",
        "结束。\n\n段落",  # a blank line
        "结束。\n    \n段落",
        "结束。\n## 标题",
        "结束。\n> 引文",
        "结束。\n| a | b |",
        "结束。\n---",  # a thematic break, a setext heading's underline, front matter
        "结束。\n***",
        "结束。\n___",
        "标题。\n===",
        "如下：\n```python",
        "如下：\n~~~",
        "如下：\n\\[x^2\\]",  # display math
        "如下：\n$$x^2$$",
        "如下：\n\\begin{align} x \\end{align}",
        "如下：\n!!! note",
        '如下：\n??? question "答案"',
        '如下：\n--8<-- "less_than.py:data"',
        "如下：\n<!--pytest-codeblocks:cont-->",
        '如下：\n<figure markdown="span">',
        '如下：\n<div class="tn-widget" markdown>',
        "结束。</p>\n<p>Next",
        "结束。</li>\n</ul>",
        "结束。\n[id]: https://example.org",
        "结束。\n*[HTML]: HyperText",
        "结束。\n{: .note }",
        "结束。\n",  # the end of the text
        # a line that is not running text, then full-width punctuation
        "```\n（注）",
        "</figure>\n（注）",
        "\\]\n（注）",
        "| a | b |\n（注）",
        "段落\n\n（注）",
        # no full-width punctuation: ASCII brackets and commas are English
        "the answer\n(in brackets)",
        "one,\ntwo",
        "是\n−1",  # a Chinese character, then a minus sign: a space is right there
        "文章\n[How Tiny](https://x)",  # a Chinese character, then a Latin word
    ],
)
def test_breaks_between_blocks_or_outside_chinese_sentences_stay(text):
    assert join_lines(text) == text


def test_a_paragraph_of_chinese_becomes_one_line():
    text = "对于能用一个阈值分开的数据，\n对数损失取不到最小值：\n权重越大，损失越接近零。\n"
    assert (
        join_lines(text)
        == "对于能用一个阈值分开的数据，对数损失取不到最小值：权重越大，损失越接近零。\n"
    )
    text = (
        "把权重乘以同一个 \\(M > 0\\)，\n\\(\\sigma(M(10 - x))\\) 的阈值不变\n"
        "（\\(-Mb/(Ma) = -b/a\\)）。\n\n- 条目"
    )
    assert (
        join_lines(text) == "把权重乘以同一个 \\(M > 0\\)，\\(\\sigma(M(10 - x))\\) 的阈值不变"
        "（\\(-Mb/(Ma) = -b/a\\)）。\n\n- 条目"
    )


def test_refuses_what_is_not_text():
    with pytest.raises(TypeError, match="text must be a str"):
        join_lines(b"bytes")
