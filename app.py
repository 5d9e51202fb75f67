# SPDX-License-Identifier: MIT
"""qualcarto's Streamlit app: the router. Each screen is a thin page in ``app_pages/``.

Run with ``streamlit run app.py``; the store is ``$QUALCARTO_DB`` (default
``sqlite:///qualcarto.db``, which ``qualcarto demo`` fills with the demo study).
"""

import streamlit as st

st.set_page_config(page_title="qualcarto", page_icon="🗺️", layout="wide")

navigation = st.navigation(
    [
        st.Page("app_pages/transcripts.py", title="Transcripts", icon="📄", default=True),
        st.Page("app_pages/codebook.py", title="Codebook", icon="🏷️"),
    ]
)
navigation.run()
