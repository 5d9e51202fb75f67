# SPDX-License-Identifier: MIT
"""``python -m qualcarto``: the ``qualcarto`` command, for when its script is not on PATH."""

import sys

from qualcarto.cli import main

sys.exit(main())
