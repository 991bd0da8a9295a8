"""The Word reference document (reference.docx) that holds the report's styles, page setup and page-number footers."""
