"""Read constitution documents (Word, PDF, HTML, Markdown) into facts with their clause."""
