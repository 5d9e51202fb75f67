# SPDX-License-Identifier: MIT
"""Streamlit pages: each renders what one core call returns, nothing more."""
