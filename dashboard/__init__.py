"""County dashboard for the resident medical-insurance collection campaign (城乡居民医保征缴)."""
