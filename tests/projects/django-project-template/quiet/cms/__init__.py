"""A content management framework."""
