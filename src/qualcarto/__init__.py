# SPDX-License-Identifier: MIT
"""qualcarto: code qualitative interview studies as a team.

The package is layered: ``store`` owns the database; ``transcripts``, ``codebook``,
``coding`` and ``users`` are services that take a SQLAlchemy session; ``agreement``,
``reports`` and ``cartography`` are a pure core over pandas frames; ``cli`` and the
Streamlit app in ``app.py`` are thin entry points over all of it.
"""

__version__ = "0.1.0"
