"""/compat/cliniko: seed 003's individual appointments in Cliniko's own requests and answers."""
