"""Developer tools: writers of test and example documents (not part of the installed package)."""
