"""Render: turn assessments and explanations into text, Markdown, HTML and JSON."""
