"""HTTP only: one package per HubSpot API family, named as the SDK names them."""
