"""Which encoding a text file is in: a BOM, UTF-8, or GB18030 (a superset of GBK) when the
text reads as Chinese; any other is refused with a message rather than guessed."""

from __future__ import annotations

import codecs

import charset_normalizer

from dashboard.problems import InputError, Problem

CHINESE_ENCODINGS = {"gb18030", "gbk", "gb2312", "cp936", "hz", "utf_8", "ascii"}
# Multi-byte encodings of other scripts, whose bytes GB18030 also decodes (into nonsense)
OTHER_CJK_ENCODINGS = {
    "big5", "big5hkscs", "cp950",
    "shift_jis", "shift_jis_2004", "shift_jisx0213", "cp932", "euc_jp", "euc_jis_2004",
    "euc_jisx0213", "iso2022_jp",
    "euc_kr", "cp949", "johab", "iso2022_kr",
}  # fmt: skip
SAMPLE = 200_000  # bytes the guesses look at
# Of the distinct characters beyond ASCII, the share in GB2312's 6 763 common ones from which
# a GB18030 reading is Chinese text. A table's headers, township, village and people's names
# are (0.96 to 1 in generated tables of the sample counties; a rare character such as 堌 in a
# village name lowers it), while Big5 or Shift-JIS bytes read as GB18030 fall largely on GBK's
# rare extension characters (0.2 to 0.6 for Big5, 0 for Shift-JIS).
COMMON_SHARE = 0.8


def detect_encoding(raw: bytes, file: str, *, kind: str = "CSV") -> str:
    """The codec of a text file (``kind``: what to save it as, in the message when it cannot
    be read): a BOM decides; else UTF-8, else GB18030 when the text reads as Chinese.

    UTF-8 is validated incrementally, so a file of a million lines is never held twice in
    memory. A GB18030 reading is taken unless charset-normalizer names another multi-byte
    encoding (Big5, Shift-JIS, EUC-KR …) or, naming none of the GB family, the text is not
    mostly common simplified characters: those are refused with a message instead of being
    read as garbage.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _valid(raw, "utf-16"):
            return "utf-16"
        reason = "文件标明是 UTF-16 编码，内容却不是（可能不完整），请重新导出"
        raise InputError([Problem(file, None, None, None, reason)])
    if _valid(raw, "utf-8"):
        return "utf-8-sig"
    guess = charset_normalizer.from_bytes(raw[:SAMPLE]).best()
    if _valid(raw, "gb18030") and _reads_as_chinese(raw[:SAMPLE], guess):
        return "gb18030"
    found = f"（疑似 {guess.encoding}）" if guess is not None else ""
    spaced = f" {kind}" if kind.isascii() else kind  # 编码的 CSV, 编码的文本文件
    reason = f"无法识别文件编码{found}，请另存为 UTF-8 或 GBK 编码的{spaced}"
    raise InputError([Problem(file, None, None, None, reason)])


def _reads_as_chinese(sample: bytes, guess: charset_normalizer.CharsetMatch | None) -> bool:
    """Whether bytes that GB18030 decodes are Chinese text in it. charset-normalizer's guess
    decides where it names the GB family or another multi-byte encoding; it can name neither
    for a real GBK table (a progress report of dates and counts, a few names repeated row
    after row, read as Cyrillic by it), which the share of common characters then decides."""
    if guess is None or guess.encoding in CHINESE_ENCODINGS:
        return True
    if guess.encoding in OTHER_CJK_ENCODINGS:
        return False
    return common_chinese_share(sample) >= COMMON_SHARE


def common_chinese_share(raw: bytes) -> float:
    """Of the distinct characters beyond ASCII that GB18030 reads in ``raw`` (possibly cut
    inside a character at its end), the share that GB2312 holds; 1.0 where there are none."""
    beyond_ascii = {c for c in raw.decode("gb18030", errors="ignore") if not c.isascii()}
    if not beyond_ascii:
        return 1.0
    return sum(_in_gb2312(c) for c in beyond_ascii) / len(beyond_ascii)


def _in_gb2312(character: str) -> bool:
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _valid(raw: bytes, encoding: str, block: int = 1 << 22) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(raw), block):
            decoder.decode(raw[start : start + block])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
