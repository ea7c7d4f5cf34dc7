"""Laying letters and envelopes out on paper, with QtGui only (no widgets): runs headless."""
