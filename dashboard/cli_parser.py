"""argparse in the command line's language: usage, help and its own errors in Chinese.

argparse writes its messages in English (``usage:``, ``invalid choice: …``); the rest of the
command line speaks Chinese and says 错误：… on one line. Its error messages are translated here
from the forms argparse 3.11 writes; a form not listed stays as argparse wrote it.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

TYPE_NAMES = {"int": "整数", "float": "数值"}

# (argparse's message, ours); \1, \2… are the parts argparse filled in
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^the following arguments are required: (.+)$", r"缺少参数 \1"),
        (r"^one of the arguments (.+) is required$", r"须给出 \1 之一"),
        (r"^unrecognized arguments: (.+)$", r"无法识别的参数 \1"),
        (r"^ambiguous option: (\S+) could match (.+)$", r"选项 \1 不明确，可能是 \2"),
        (
            r"^argument (\S+): invalid choice: (.+) \(choose from (.+)\)$",
            r"\1：\2 不是可选的值（可选：\3）",
        ),
        (r"^argument (\S+): invalid (\w+) value: (.+)$", r"\1：\3 不是有效的\2"),
        (r"^argument (\S+): expected one argument$", r"\1 后面缺少取值"),
        (r"^argument (\S+): expected at least one argument$", r"\1 后面至少要有一个取值"),
        (r"^argument (\S+): expected (\d+) arguments$", r"\1 后面要有\2个取值"),
        (r"^argument (\S+): not allowed with argument (\S+)$", r"\1 不能与 \2 同时使用"),
        (r"^argument (\S+): ignored explicit argument (.+)$", r"\1 不带取值（多了 \2）"),
        (r"^argument (\S+): (.+)$", r"\1：\2"),  # our own type checks say the rest in Chinese
    )
)


def chinese(message: str) -> str:
    """argparse's error ``message`` in Chinese (unchanged where its form is not known)."""
    for pattern, replacement in MESSAGES:
        if pattern.match(message):
            said = pattern.sub(replacement, message)
            for name, word in TYPE_NAMES.items():
                said = said.replace(f"有效的{name}", f"有效的{word}")
            return said
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Help whose usage line starts 用法：."""

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser (and its sub-commands) speaking Chinese: 用法, 选项, -h 显示帮助, and
    one line 错误：… with exit code 2 for a bad argument."""

    def __init__(self, *, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{chinese(message)}（{self.prog} -h 显示用法）\n")
