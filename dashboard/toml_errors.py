"""A policy file that is not valid TOML, said in Chinese: the line and column, and what is
wrong there (Python's TOML reader says it in English)."""

from __future__ import annotations

import re
import tomllib

from dashboard.problems import Problem

POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")

# What the reader says, and what a county's admin reads instead ({0}: what the message names)
REASONS = [
    (r"Invalid value", "值的写法不对（文字要用英文双引号括起，日期写作 2023-09-01）"),
    (r"Invalid date or datetime", "不是有效的日期（应写作 2023-09-01）"),
    (r"Cannot overwrite a value", "同一设置项写了不止一次"),
    (r"Cannot declare \((.*)\) twice", "小节 [{0}] 写了不止一次"),
    (r"Cannot redefine namespace \((.*)\)", "小节 [{0}] 与同名设置项重复"),
    (r"Cannot mutate immutable namespace \((.*)\)", "设置项 {0} 已在花括号中写全，不能再添加"),
    (r"Duplicate inline table key '(.*)'", "花括号中的 {0} 写了不止一次"),
    (
        r"Expected newline or end of document after a statement",
        "一行只能写一个设置项（设置项 = 值），值的后面多出了内容",
    ),
    (r"Expected '=' after a key in a key/value pair", "设置项名后面缺少等号（=）"),
    (r"Expected '\]' at the end of a table declaration", "小节名后面缺少 ]"),
    (r"Expected '\]\]' at the end of an array declaration", "小节名后面缺少 ]]"),
    (r"Invalid initial character for a key part", "设置项名只能由字母、数字、_ 或 - 写成"),
    (r"Invalid statement", "无法识别这一行（应为“设置项 = 值”或“[小节名]”）"),
    (r"Unclosed array", "方括号 [ ] 没有闭合"),
    (r"Unclosed inline table", "花括号 { } 没有闭合（花括号中的设置须写在同一行）"),
    (r"Unterminated string", "引号没有闭合（文字须在同一行内用英文双引号括起）"),
    (r"Unescaped '\\' in a string", "文字中的反斜杠 \\ 须写成 \\\\"),
    (r"(?:Illegal|Found invalid) character (.*)", "含有不允许的字符（{0}）"),
]


def toml_problem(file: str, error: tomllib.TOMLDecodeError) -> Problem:
    """The reader's complaint as a Problem on its line, in Chinese; one it has not said
    before keeps its English words after a Chinese heading."""
    text = str(error)
    position = POSITION.search(text)
    message = POSITION.sub("", text)
    line = int(position.group(1)) if position and position.group(1) else None
    where = f"第{position.group(2)}列：" if position and position.group(2) else ""
    for pattern, reason in REASONS:
        if found := re.fullmatch(pattern, message):
            said = reason.replace("{0}", _named(found.group(1))) if found.groups() else reason
            return Problem(file, line, None, None, f"不是有效的 TOML：{where}{said}")
    return Problem(file, line, None, None, f"不是有效的 TOML：{where}{message}")


def _named(group: str) -> str:
    """A key as the reader quotes it (('campaign', 'start') or 'x') as it is written."""
    return ".".join(part.strip(" '\"") for part in group.split(",") if part.strip(" '\""))
