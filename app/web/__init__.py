"""HTTP plumbing shared by the features: loading items for a view, lifecycle routes, filters, pagination, forms, errors."""
