"""Teacher ethics records and the one-vote veto (师德一票否决), DOMAIN §6."""
