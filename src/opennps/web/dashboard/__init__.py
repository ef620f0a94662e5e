"""The dashboard: overview, segments and comments of a survey, with honest statistics.

Every figure comes from :mod:`opennps.core`; this app only turns answers into score
histograms (one GROUP BY query per figure) and renders the results.
"""
