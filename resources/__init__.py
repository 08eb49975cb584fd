"""Data shipped with Keel: prompt library, assessment questions, icons, style sheets."""
