"""The widget's rules: origins (``origins``), identification (``identity``), what is shown
and answered (``impressions``) and the settings of a survey's widget (``setup``)."""
