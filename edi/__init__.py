"""Pure wire formats: no Django, no ORM, no settings, nothing of Rekvi's. Anyone may import it."""
