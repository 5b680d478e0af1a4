"""Skip marks for tests that need something the machine may lack (.ci/run installs it)."""

import pytest

from dashboard import fonts

needs_font = pytest.mark.skipif(
    not fonts.has_cjk_font(), reason="no CJK font: install fonts-noto-cjk (.ci/run does)"
)
