# SPDX-License-Identifier: MIT
"""Sign in against the study's users; nothing else is shown until you do."""

from __future__ import annotations

import streamlit as st

from app_pages.common import TOKEN_KEY, client_address, engine, md
from qualcarto.auth import SignInThrottled, sign_in

st.title("qualcarto")
st.caption("Sign in to code your transcripts.")
with st.form("sign_in", border=True):
    name = st.text_input("User name", key="signin_name")
    password = st.text_input("Password", type="password", key="signin_password")
    submitted = st.form_submit_button("Sign in", type="primary")
if submitted:
    try:
        user = sign_in(engine(), name, password, client=client_address())
    except SignInThrottled as exc:
        st.error(md(f"{str(exc).capitalize()}."))
        st.stop()
    if user is None:
        st.error("Unknown user name or wrong password.")
    else:
        st.session_state[TOKEN_KEY] = user.token
        st.query_params["session"] = user.token
        st.rerun()
