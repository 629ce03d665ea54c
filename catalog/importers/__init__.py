"""Reading supplier catalogue files (CSV, XLSX, OIOUBL, Peppol) into checked rows, staging
them in bulk, and diffing them against the live catalogue in SQL."""
