"""The working group's own publications, generated from the content and the assessments:
the high-level principles (:mod:`.principles`) and the policy guidance (:mod:`.guidance`)."""
