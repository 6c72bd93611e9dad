"""Editable and LMS copies of courses and cases: slides (pptx), a participant pack (docx), a SCORM 1.2 package."""
