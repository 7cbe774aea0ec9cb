"""The domain core every feature stands on: the unit's year, each rule once, the year's read model, audit, errors."""
