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


def test_a_paragraph_of_chinese_becomes_one_line():
    text = "对于能用一个阈值分开的数据，\n对数损失取不到最小值：\n权重越大，损失越接近零。\n"
    assert (
        join_lines(text)
        == "对于能用一个阈值分开的数据，对数损失取不到最小值：权重越大，损失越接近零。\n"
    )


def test_refuses_what_is_not_text():
    with pytest.raises(TypeError, match="text must be a str"):
        join_lines(b"bytes")
