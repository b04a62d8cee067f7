"""Tools for the people who write rulesets: example tests, coverage, impact diff, docs."""
