# SPDX-License-Identifier: MIT
"""qualcarto's Streamlit app: the router. Each screen is a thin page in ``app_pages/``.

Run with ``streamlit run app.py``; the store is ``$QUALCARTO_DB`` (default
``sqlite:///qualcarto.db``, which ``qualcarto demo`` fills with the demo study).
Until someone signs in, the only page is the sign-in page.
"""

import streamlit as st
from app_pages.common import md, sign_out, signed_in

st.set_page_config(page_title="qualcarto", page_icon="🗺️", layout="wide")

user = signed_in()
if user is None:
    pages = [st.Page("app_pages/signin.py", title="Sign in", icon=":material/login:", default=True)]
else:
    pages = [
        st.Page(
            "app_pages/coding.py",
            title="Code",
            icon=":material/format_ink_highlighter:",
            default=True,
        ),
        st.Page("app_pages/search.py", title="Search", icon=":material/search:"),
        st.Page("app_pages/query.py", title="Query", icon=":material/manage_search:"),
        st.Page("app_pages/notebook.py", title="Notebook", icon=":material/book:"),
        st.Page("app_pages/suggestions.py", title="Suggestions", icon=":material/lightbulb:"),
        st.Page("app_pages/review.py", title="Review", icon=":material/fact_check:"),
        st.Page("app_pages/codebook.py", title="Codebook", icon=":material/sell:"),
        st.Page("app_pages/exports.py", title="Exports", icon=":material/download:"),
        st.Page("app_pages/cartography.py", title="Cartography", icon=":material/map:"),
    ]
    if user.is_lead:
        pages += [
            st.Page(
                "app_pages/assignments.py", title="Assignments", icon=":material/assignment_ind:"
            ),
            st.Page("app_pages/reconcile.py", title="Reconcile", icon=":material/balance:"),
            st.Page("app_pages/agreement.py", title="Agreement", icon=":material/join_inner:"),
            st.Page("app_pages/calibration.py", title="Calibration", icon=":material/school:"),
            st.Page("app_pages/corrections.py", title="Correct", icon=":material/edit_note:"),
            st.Page("app_pages/groups.py", title="Groups", icon=":material/folder_copy:"),
            st.Page("app_pages/speakers.py", title="Speakers", icon=":material/record_voice_over:"),
            st.Page("app_pages/pseudonyms.py", title="Pseudonyms", icon=":material/badge:"),
            st.Page("app_pages/appendix.py", title="Appendix", icon=":material/description:"),
        ]
    with st.sidebar:
        st.caption(f"Signed in as **{md(user.name)}** ({md(user.role)})")
        st.button("Sign out", key="sign_out", on_click=sign_out)

navigation = st.navigation(pages)
navigation.run()
