"""/compat/treats: the treats.vet API (seed 004) over Slotbook's use cases."""
