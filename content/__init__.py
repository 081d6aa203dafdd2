"""Everything the coach says, as data, with a typed loader that fails loudly."""
