"""cchc: the yearly administrative-reform plan of a Vietnamese province, as a living system."""
