"""Pages of the reserve pool (后备干部): thin views over `reserve_pool.selectors` and `reserve_pool.services`."""
