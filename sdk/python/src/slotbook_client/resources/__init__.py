"""One module per API resource; each class is shared by the sync and async clients."""
