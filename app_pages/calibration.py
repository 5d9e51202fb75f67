# SPDX-License-Identifier: MIT
"""The lead's calibration page: the standard layer, training transcripts, new coders'
results against it. Every figure comes from ``qualcarto.calibration``, the same calls as
``qualcarto calibration`` on the command line."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.common import md, reading, require_lead, store
from qualcarto.agreement.calibration import DEFAULT_PASS_AT
from qualcarto.calibration import (
    add_training,
    calibration_setting,
    calibration_status,
    check_coder,
    set_standard,
    start_training,
)
from qualcarto.errors import QualcartoError
from qualcarto.status import store_status
from qualcarto.transcripts import transcripts_frame
from qualcarto.users import coder_kinds

lead = require_lead()
st.title("Calibration")
st.caption(
    "A new coder codes the training transcripts blind; the result is Cohen's kappa per code "
    "against the standard at the character unit, and the coder passes when the pooled kappa "
    "reaches the threshold (default 0.8: Krippendorff 2004; docs/agreement.md)."
)
with reading() as session:
    setting = calibration_setting(session)
    status = calibration_status(session)
    kinds = coder_kinds(session)
    coded = store_status(session)["codings"]
    transcripts = list(transcripts_frame(session)["transcript"])
layers = [name for name in coded if kinds.get(name) != "machine"]
people = sorted((n for n, kind in kinds.items() if kind == "human"), key=lambda n: n == lead.name)


def act(done: str, action: Callable[..., object], *args: object) -> None:
    """Run one write as the lead; a refusal is one line, a success reruns the page."""
    try:
        with store() as session:
            outcome = action(session, lead.name, *args)
    except QualcartoError as exc:
        st.error(md(str(exc)))
        return
    st.session_state["cal_done"] = done
    st.session_state.pop("cal_training", None)  # what was added is in the caption now
    if action is check_coder:  # the result stays on screen until another check
        st.session_state["cal_result"] = (args[0], outcome)
    st.rerun()


if "cal_done" in st.session_state:
    st.success(md(st.session_state.pop("cal_done")))
st.subheader("Standard and training", anchor=False)
st.caption(
    f"Standard: {md(setting['standard'] or '(none)')} · threshold {setting['threshold']:g}"
    f" · training: {md(', '.join(setting['transcripts']) or '(none)')}"
)
cols = st.columns([2, 1, 1])
chosen = cols[0].selectbox(
    "Standard layer",
    layers,
    key="cal_standard",
    index=layers.index(setting["standard"]) if setting["standard"] in layers else 0,
)
threshold = cols[1].number_input(
    "Pass at kappa",
    -1.0,
    1.0,
    float(setting["threshold"]),
    0.05,
    key="cal_threshold",
    help=f"Default {DEFAULT_PASS_AT:g}",
)
if cols[2].button("Mark as standard", key="cal_set"):
    act(f"{chosen} is the standard.", set_standard, chosen, float(threshold))
training = st.multiselect("Training transcripts to add", transcripts, key="cal_training")
if st.button("Add to training", key="cal_add"):
    act("Training transcripts added.", add_training, training)

st.subheader("Coders", anchor=False)
cols = st.columns([2, 1, 1])
coder = cols[0].selectbox("Coder", people, key="cal_coder")
if cols[1].button("Assign the training", key="cal_assign"):
    act(f"{coder} has the training transcripts to code blind.", start_training, coder)
if cols[2].button("Check against the standard", key="cal_check"):
    act(f"{coder} checked against the standard.", check_coder, coder)
checked, result = st.session_state.get("cal_result", (None, None))
if result is not None and checked == coder:
    verdict = "passed" if result.passed else "not passed yet"
    st.markdown(
        f"**{md(coder)}: pooled kappa {result.pooled:.3f}, {verdict}** "
        f"(threshold {result.threshold:g})"
    )
    st.dataframe(result.per_code, hide_index=True, key="cal_per_code")
if len(status):
    st.dataframe(status, hide_index=True, key="cal_status")
else:
    st.info(
        "No coder has been checked yet: mark a standard layer, add training transcripts it "
        "has coded, assign the training to a coder, and check them once they have coded it."
    )
