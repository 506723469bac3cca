"""Synthetic platform exports with known, labelled violations (`payaudit sample`, the benchmark).

`generator` writes the tables chunk by chunk; `roster` draws the workers and which violation each
carries, `blocks` the day shapes, `pay` the money, `chunk` one chunk of worker-days, `write` the
files."""

from payaudit.sample.generator import TABLES, whole_months, write_sample

__all__ = ["TABLES", "whole_months", "write_sample"]
